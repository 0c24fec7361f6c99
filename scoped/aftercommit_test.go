package scoped_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/gormpickle/gormpickle/scoped"
)

func TestAfterCommit(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	ctx := testContext(t)
	var ran []string
	hook := func(name string) func(context.Context) {
		return func(ctx context.Context) {
			// The hook sees the committed rows from outside the transaction.
			ran = append(ran, name)
			if got := ids(t, db.WithContext(ctx)); len(got) == 0 {
				t.Errorf("hook %s ran before the commit was visible", name)
			}
		}
	}

	if err := reg.AfterCommit(ctx, func(context.Context) { ran = append(ran, "now") }); err != nil || !reflect.DeepEqual(ran, []string{"now"}) {
		t.Fatalf("without a transaction: %v, ran %v", err, ran)
	}
	ran = nil

	errFail := errors.New("fail")
	err := reg.Transaction(ctx, func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 1)
		_ = reg.AfterCommit(ctx, hook("rolled back"))
		return errFail
	})
	if !errors.Is(err, errFail) || len(ran) != 0 {
		t.Fatalf("rolled back transaction: %v, ran %v", err, ran)
	}

	err = reg.Transaction(ctx, func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 2)
		if err := reg.AfterCommit(ctx, hook("outer")); err != nil {
			return err
		}
		if len(ran) != 0 {
			t.Errorf("a hook ran before the commit")
		}
		_ = reg.Transaction(ctx, func(ctx context.Context) error {
			_ = reg.AfterCommit(ctx, hook("savepoint rolled back"))
			return errFail
		})
		return reg.Transaction(ctx, func(ctx context.Context) error {
			return reg.AfterCommit(ctx, hook("savepoint released"))
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"outer", "savepoint released"}; !reflect.DeepEqual(ran, want) {
		t.Fatalf("hooks ran %v, want %v", ran, want)
	}

	tx := db.Begin()
	defer tx.Rollback()
	if err := reg.AfterCommit(reg.WithTx(ctx, tx), func(context.Context) {}); !errors.Is(err, scoped.ErrNotOwned) {
		t.Fatalf("WithTx: %v, want ErrNotOwned", err)
	}
}
