package scoped_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/gormpickle/gormpickle/scoped"
)

var errInner = errors.New("inner failed")

func TestNestedErrorRollsBackOnlyItsWrites(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 1)
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			insert(t, reg.DB(ctx), 2)
			return fmt.Errorf("wrapped: %w", errInner)
		})
		if !errors.Is(err, errInner) {
			t.Errorf("inner Transaction returned %v", err)
		}
		if got := ids(t, reg.DB(ctx)); !reflect.DeepEqual(got, []uint{1}) {
			t.Errorf("after the inner rollback: %v", got)
		}
		return reg.Transaction(ctx, func(ctx context.Context) error {
			insert(t, reg.DB(ctx), 3)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, db); !reflect.DeepEqual(got, []uint{1, 3}) {
		t.Fatalf("after commit: %v", got)
	}
}

func TestNestedThreeLevels(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 1)
		return reg.Transaction(ctx, func(ctx context.Context) error {
			insert(t, reg.DB(ctx), 2)
			_ = reg.Transaction(ctx, func(ctx context.Context) error {
				insert(t, reg.DB(ctx), 3)
				return errInner
			})
			return reg.Transaction(ctx, func(ctx context.Context) error {
				insert(t, reg.DB(ctx), 4)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, db); !reflect.DeepEqual(got, []uint{1, 2, 4}) {
		t.Fatalf("after commit: %v", got)
	}
}

func TestOuterErrorUndoesReleasedSavepoints(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 1)
		if err := reg.Transaction(ctx, func(ctx context.Context) error {
			insert(t, reg.DB(ctx), 2)
			return nil
		}); err != nil {
			return err
		}
		return errInner
	})
	if err != errInner {
		t.Fatalf("Transaction returned %v", err)
	}
	if got := ids(t, db); len(got) != 0 {
		t.Fatalf("rows survived the outer error: %v", got)
	}
}

func TestNestedPanicRollsBackEverything(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v, want boom", r)
			}
		}()
		_ = reg.Transaction(testContext(t), func(ctx context.Context) error {
			insert(t, reg.DB(ctx), 1)
			return reg.Transaction(ctx, func(ctx context.Context) error {
				insert(t, reg.DB(ctx), 2)
				panic("boom")
			})
		})
	}()
	if got := ids(t, db); len(got) != 0 {
		t.Fatalf("rows survived a panic: %v", got)
	}
}

func TestNestedPanicRecoveredByOuterKeepsOuterWrites(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 1)
		func() {
			defer func() { _ = recover() }()
			_ = reg.Transaction(ctx, func(ctx context.Context) error {
				insert(t, reg.DB(ctx), 2)
				panic("boom")
			})
		}()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, db); !reflect.DeepEqual(got, []uint{1}) {
		t.Fatalf("after commit: %v, want the savepoint rolled back on panic", got)
	}
}

// A context cancelled for the inner call only must still undo the inner
// writes: the rollback to the savepoint cannot use that context.
func TestNestedCancelledContextRollsBackToSavepoint(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	err := reg.Transaction(testContext(t), func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 1)
		innerCtx, cancel := context.WithCancel(ctx)
		err := reg.Transaction(innerCtx, func(ctx context.Context) error {
			insert(t, reg.DB(ctx), 2)
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("inner Transaction returned %v, want context.Canceled", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, db); !reflect.DeepEqual(got, []uint{1}) {
		t.Fatalf("after commit: %v, want the cancelled savepoint rolled back", got)
	}
}
