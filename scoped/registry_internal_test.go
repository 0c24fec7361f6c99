package scoped

import (
	"context"
	"database/sql"
	"errors"
	"testing"
)

func TestWithContextErr(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	other := errors.New("other")
	for _, tt := range []struct {
		name string
		in   error
	}{{"nil", nil}, {"other", other}, {"already the context's", context.Canceled}} {
		t.Run(tt.name, func(t *testing.T) {
			got := withContextErr(cancelled, tt.in)
			if !errors.Is(got, context.Canceled) || (tt.in != nil && !errors.Is(got, tt.in)) {
				t.Errorf("withContextErr(%v) = %v", tt.in, got)
			}
		})
	}
	if got := withContextErr(context.Background(), other); got != other {
		t.Errorf("live context changed the error: %v", got)
	}
}

func TestJoinCleanup(t *testing.T) {
	base := errors.New("fn")
	if got := joinCleanup(base, "rollback", nil); got != base {
		t.Errorf("no cleanup error: %v", got)
	}
	if got := joinCleanup(base, "rollback", sql.ErrTxDone); got != base {
		t.Errorf("sql.ErrTxDone is expected after cancellation, got %v", got)
	}
	broken := errors.New("broken pipe")
	got := joinCleanup(base, "rollback", broken)
	if !errors.Is(got, base) || !errors.Is(got, broken) {
		t.Errorf("cleanup error not joined: %v", got)
	}
}
