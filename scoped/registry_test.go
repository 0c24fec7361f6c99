package scoped_test

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/gormpickle/gormpickle/scoped"
)

func TestNewPanicsOnNilDB(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New(nil) did not panic")
		}
	}()
	scoped.New(nil)
}

func TestDBIsNeverNil(t *testing.T) {
	reg := scoped.New(sqliteDB(t))
	//lint:ignore SA1012 DB documents that a nil context is accepted
	if reg.DB(nil) == nil || reg.DB(context.Background()) == nil {
		t.Fatal("DB returned nil outside a transaction")
	}
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		if reg.DB(ctx) == nil {
			t.Error("DB returned nil inside a transaction")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDBCarriesTheContext(t *testing.T) {
	reg := scoped.New(sqliteDB(t))
	type key struct{}
	ctx := context.WithValue(testContext(t), key{}, "v")
	if got := reg.DB(ctx).Statement.Context.Value(key{}); got != "v" {
		t.Fatalf("session context value = %v", got)
	}
	err := reg.Transaction(ctx, func(ctx context.Context) error {
		if got := reg.DB(ctx).Statement.Context.Value(key{}); got != "v" {
			t.Errorf("transaction session context value = %v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTransactionCommits(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	ctx := testContext(t)
	if reg.InTransaction(ctx) {
		t.Fatal("a bare context reports a transaction")
	}
	err := reg.Transaction(ctx, func(ctx context.Context) error {
		if !reg.InTransaction(ctx) {
			t.Error("InTransaction is false inside Transaction")
		}
		insert(t, reg.DB(ctx), 1)
		if got := ids(t, reg.DB(ctx)); !reflect.DeepEqual(got, []uint{1}) {
			t.Errorf("inside: %v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, db); !reflect.DeepEqual(got, []uint{1}) {
		t.Fatalf("after commit: %v", got)
	}
}

func TestTransactionReturnsFnErrorUnchanged(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	want := errors.New("fn failed")
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 1)
		return want
	})
	if err != want {
		t.Fatalf("Transaction returned %v, want fn's error itself", err)
	}
	if got := ids(t, db); len(got) != 0 {
		t.Fatalf("rolled back rows survived: %v", got)
	}
}

func TestTransactionPanicRollsBackAndRepanics(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	type boom struct{}
	func() {
		defer func() {
			if r := recover(); r != (boom{}) {
				t.Fatalf("recovered %v, want the original panic value", r)
			}
		}()
		_ = reg.Transaction(testContext(t), func(ctx context.Context) error {
			insert(t, reg.DB(ctx), 1)
			panic(boom{})
		})
	}()
	if got := ids(t, db); len(got) != 0 {
		t.Fatalf("rows survived a panic: %v", got)
	}
}

func TestTransactionGoexitRollsBack(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = reg.Transaction(context.Background(), func(ctx context.Context) error {
			if err := reg.DB(ctx).Create(&item{ID: 1}).Error; err != nil {
				return err
			}
			runtime.Goexit() // what t.FailNow does
			return nil
		})
	}()
	<-done
	if got := ids(t, db); len(got) != 0 {
		t.Fatalf("rows survived runtime.Goexit: %v", got)
	}
}

func TestTransactionCancelled(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	ctx, cancel := context.WithCancel(testContext(t))
	err := reg.Transaction(ctx, func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 1)
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Transaction returned %v, want context.Canceled", err)
	}
	if got := ids(t, db); len(got) != 0 {
		t.Fatalf("a cancelled transaction committed: %v", got)
	}
	// Already cancelled: fn never runs.
	err = reg.Transaction(ctx, func(context.Context) error {
		t.Error("fn ran with a cancelled context")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("begin with a cancelled context returned %v", err)
	}
}

func TestTransactionCancelledKeepsFnError(t *testing.T) {
	reg := scoped.New(sqliteDB(t))
	ctx, cancel := context.WithCancel(testContext(t))
	want := errors.New("fn failed")
	err := reg.Transaction(ctx, func(context.Context) error {
		cancel()
		return want
	})
	if !errors.Is(err, want) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Transaction returned %v, want fn's error and context.Canceled", err)
	}
}

func TestTransactionReportsCommitFailure(t *testing.T) {
	reg := scoped.New(sqliteDB(t))
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		// Ending the transaction behind Transaction's back makes its commit fail.
		return reg.DB(ctx).Commit().Error
	})
	if err == nil || !strings.Contains(err.Error(), "scoped: commit") {
		t.Fatalf("Transaction returned %v, want the commit failure", err)
	}
}

func TestTransactionReportsRollbackFailure(t *testing.T) {
	reg := scoped.New(sqliteDB(t))
	want := errors.New("inner failed")
	var inner error
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		inner = reg.Transaction(ctx, func(ctx context.Context) error {
			// Ending the whole transaction in SQL removes the savepoint, so
			// rolling back to it fails.
			if err := reg.DB(ctx).Exec("ROLLBACK").Error; err != nil {
				return err
			}
			return want
		})
		return nil
	})
	if !errors.Is(inner, want) || !strings.Contains(inner.Error(), "scoped: rollback to savepoint") {
		t.Fatalf("inner Transaction returned %v, want fn's error joined with the rollback failure", inner)
	}
	if err == nil || !strings.Contains(err.Error(), "scoped: commit") {
		t.Fatalf("outer Transaction returned %v, want the commit failure", err)
	}
}

func TestRegistriesDoNotShareTransactions(t *testing.T) {
	db := sqliteDB(t)
	regA, regB := scoped.New(db), scoped.New(db)
	err := regA.Transaction(testContext(t), func(ctx context.Context) error {
		if regB.InTransaction(ctx) {
			t.Error("registry B sees registry A's transaction")
		}
		if regB.DB(ctx).Statement.ConnPool == regA.DB(ctx).Statement.ConnPool {
			t.Error("registry B returned registry A's transaction")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
