package cache_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// flakyStore fails every Bump while down is set.
type flakyStore struct {
	cache.Store
	down atomic.Bool
}

func (f *flakyStore) Bump(ctx context.Context, ns string, tables []string) error {
	if f.down.Load() {
		return errors.New("store unreachable")
	}
	return f.Store.Bump(ctx, ns, tables)
}

// TestFailedBumpRetried: a commit whose invalidation cannot reach the
// store never fails; the writer's process stops reading the store, the
// invalidation is retried in the background, and once it gets through
// the other processes see the write.
func TestFailedBumpRetried(t *testing.T) {
	a := dbtest.Open(t, dbtest.SQLite)
	seed(t, a)
	b := dbtest.Reopen(t, a)
	shared := cache.NewMemoryStore(1 << 20)
	flaky := &flakyStore{Store: shared}
	ns := uniqueNS(t)
	ca := install(t, a, flaky, cache.WithNamespace(ns))
	install(t, b, shared, cache.WithNamespace(ns))
	names(t, a)
	names(t, b)

	flaky.down.Store(true)
	if err := a.Model(&fixture.User{ID: 8}).Update("name", "late").Error; err != nil {
		t.Fatalf("a write failed because the store did: %v", err)
	}
	if ca.Stats().Errors == 0 {
		t.Fatal("the failed invalidation was not counted")
	}
	if got := names(t, a); got[1] != "late" {
		t.Fatalf("the writer's process read %v: it must not read the store while its invalidation is pending", got)
	}
	flaky.down.Store(false)
	deadline := time.Now().Add(5 * time.Second)
	for names(t, b)[1] != "late" {
		if time.Now().After(deadline) {
			t.Fatal("the invalidation was never retried")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
