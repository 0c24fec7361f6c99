package scoped

import (
	"context"
	"errors"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

func memoryDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	t.Cleanup(func() { sqlDB.Close() })
	return db
}

func TestDBIsNeverNil(t *testing.T) {
	reg := New(memoryDB(t))
	//lint:ignore SA1012 DB documents that a nil context is accepted
	if reg.DB(nil) == nil || reg.DB(context.Background()) == nil {
		t.Fatal("DB returned nil")
	}
	if reg.InTransaction(context.Background()) {
		t.Fatal("a bare context reports a transaction")
	}
}

func TestDBCarriesTheContext(t *testing.T) {
	reg := New(memoryDB(t))
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	if got := reg.DB(ctx).Statement.Context.Value(key{}); got != "v" {
		t.Fatalf("session context value = %v", got)
	}
	_ = reg.Transaction(ctx, func(inner context.Context) error {
		if got := reg.DB(inner).Statement.Context.Value(key{}); got != "v" {
			t.Errorf("transaction session context value = %v", got)
		}
		return nil
	})
}

func TestCommitErrorIsReturned(t *testing.T) {
	reg := New(memoryDB(t))
	err := reg.Transaction(context.Background(), func(ctx context.Context) error {
		// Ending the transaction behind Transaction's back makes its commit fail.
		return reg.DB(ctx).Commit().Error
	})
	if err == nil {
		t.Fatal("a failed commit was swallowed")
	}
}

func TestWithContextErr(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	other := errors.New("other")
	for _, in := range []error{nil, other, context.Canceled} {
		got := withContextErr(ctx, in)
		if !errors.Is(got, context.Canceled) || (in != nil && !errors.Is(got, in)) {
			t.Errorf("withContextErr(%v) = %v", in, got)
		}
	}
	if got := withContextErr(context.Background(), other); got != other {
		t.Errorf("live context: %v", got)
	}
}
