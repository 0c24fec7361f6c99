package scoped_test

import (
	"context"
	"reflect"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/scoped"
)

func TestWithTxBindsTheCallersTransaction(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	tx := db.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	ctx := reg.WithTx(testContext(t), tx)
	if !reg.InTransaction(ctx) {
		t.Fatal("InTransaction is false after WithTx")
	}
	insert(t, reg.DB(ctx), 1)
	// Nested in the caller's transaction: a savepoint, never a commit.
	if err := reg.Transaction(ctx, func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 2)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Transaction(ctx, func(ctx context.Context) error {
		insert(t, reg.DB(ctx), 3)
		return errInner
	}); err != errInner {
		t.Fatalf("Transaction returned %v", err)
	}
	if got := ids(t, tx); !reflect.DeepEqual(got, []uint{1, 2}) {
		t.Fatalf("inside the caller's transaction: %v", got)
	}
	// Still open: the caller decides.
	if err := tx.Rollback().Error; err != nil {
		t.Fatalf("the caller's rollback: %v (did the registry end the transaction?)", err)
	}
	if got := ids(t, db); len(got) != 0 {
		t.Fatalf("after the caller's rollback: %v", got)
	}
}

func TestWithTxIsPerRegistry(t *testing.T) {
	db := sqliteDB(t)
	regA, regB := scoped.New(db), scoped.New(db)
	tx := db.Begin()
	defer tx.Rollback()
	ctx := regA.WithTx(testContext(t), tx)
	if regB.InTransaction(ctx) {
		t.Fatal("registry B sees a transaction bound for registry A")
	}
}

func TestWithTxRejectsNonTransactions(t *testing.T) {
	db := sqliteDB(t)
	reg := scoped.New(db)
	for name, tx := range map[string]*gorm.DB{"nil": nil, "pool": db, "session": db.Session(&gorm.Session{})} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("WithTx did not panic")
				}
			}()
			reg.WithTx(context.Background(), tx)
		})
	}
}
