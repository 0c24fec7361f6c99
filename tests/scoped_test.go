package tests

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/scoped"
)

func scopedDB(t *testing.T, db *gorm.DB) (*gorm.DB, *scoped.Registry) {
	t.Helper()
	if err := db.Use(gormpickle.New(gormpickle.WithModels(fixture.Models()...))); err != nil {
		t.Fatal(err)
	}
	if err := fixture.Seed(db); err != nil {
		t.Fatal(err)
	}
	return db, scoped.New(db)
}

func userNames(t *testing.T, tx *gorm.DB) []string {
	t.Helper()
	return names(t, tx.Model(&fixture.User{}).Order("id"))
}

func TestScopedTransactionVisibilityAndCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, reg := scopedDB(t, db)
		ctx := context.Background()
		// The saved query, restored into the caller's unit of work.
		data := mustDump(t, db.Model(&fixture.User{}).Where("id > ?", 10).Order("id"))
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			if !reg.InTransaction(ctx) {
				t.Error("InTransaction is false inside Transaction")
			}
			if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "zoe"}).Error; err != nil {
				return err
			}
			q, err := gormpickle.Loads(data, reg.DB(ctx))
			if err != nil {
				return err
			}
			if got := names(t, q); !reflect.DeepEqual(got, []string{"zoe"}) {
				t.Errorf("Loads inside the transaction sees %v, want the uncommitted zoe", got)
			}
			if got := names(t, mustLoad(t, data, db.Session(&gorm.Session{NewDB: true}))); len(got) != 0 {
				t.Errorf("outside the transaction the uncommitted row is visible: %v", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(t, mustLoad(t, data, reg.DB(ctx))); !reflect.DeepEqual(got, []string{"zoe"}) {
			t.Fatalf("after commit: %v", got)
		}
	})
}

var errInner = errors.New("inner failure")

func TestScopedNestedSavepoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, reg := scopedDB(t, db)
		ctx := context.Background()
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "outer"}).Error; err != nil {
				return err
			}
			err := reg.Transaction(ctx, func(ctx context.Context) error {
				if err := reg.DB(ctx).Create(&fixture.User{ID: 12, Name: "inner"}).Error; err != nil {
					return err
				}
				return fmt.Errorf("wrapped: %w", errInner)
			})
			if !errors.Is(err, errInner) {
				t.Errorf("inner error %v does not wrap errInner", err)
			}
			// A successful inner transaction keeps its writes.
			return reg.Transaction(ctx, func(ctx context.Context) error {
				return reg.DB(ctx).Create(&fixture.User{ID: 13, Name: "kept"}).Error
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := userNames(t, reg.DB(ctx).Where("id > ?", 10)); !reflect.DeepEqual(got, []string{"outer", "kept"}) {
			t.Fatalf("after commit: %v, want outer and kept (inner rolled back to its savepoint)", got)
		}
	})
}

func TestScopedOuterErrorAndPanicRollBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, reg := scopedDB(t, db)
		ctx := context.Background()
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "a"})
			_ = reg.Transaction(ctx, func(ctx context.Context) error {
				return reg.DB(ctx).Create(&fixture.User{ID: 12, Name: "b"}).Error
			})
			return errInner
		})
		if !errors.Is(err, errInner) {
			t.Fatalf("Transaction returned %v, want errInner unchanged", err)
		}
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Fatalf("recovered %v, want the re-raised panic", r)
				}
			}()
			_ = reg.Transaction(ctx, func(ctx context.Context) error {
				reg.DB(ctx).Create(&fixture.User{ID: 13, Name: "c"})
				return reg.Transaction(ctx, func(ctx context.Context) error {
					reg.DB(ctx).Create(&fixture.User{ID: 14, Name: "d"})
					panic("boom")
				})
			})
		}()
		if got := userNames(t, reg.DB(ctx).Where("id > ?", 10)); len(got) != 0 {
			t.Fatalf("rows survived an outer error or a panic: %v", got)
		}
		// The pool is healthy afterwards.
		if got := userNames(t, reg.DB(ctx)); len(got) != 4 {
			t.Fatalf("fixture rows: %v", got)
		}
	})
}

func TestScopedContextCancellation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, reg := scopedDB(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "lost"}).Error; err != nil {
				return err
			}
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Transaction returned %v, want context.Canceled", err)
		}
		if got := userNames(t, reg.DB(context.Background()).Where("id = ?", 11)); len(got) != 0 {
			t.Fatalf("a cancelled transaction committed: %v", got)
		}
	})
}

func TestScopedRegistriesAreIndependent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db, regA := scopedDB(t, db)
		other := dbtest.Reopen(t, db)
		regB := scoped.New(other)
		err := regA.Transaction(context.Background(), func(ctx context.Context) error {
			if regB.InTransaction(ctx) {
				t.Error("registry B sees registry A's transaction")
			}
			if got := regB.DB(ctx).Statement.ConnPool; got == regA.DB(ctx).Statement.ConnPool {
				t.Error("registry B returned registry A's connection")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestScopedWithTx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db, reg := scopedDB(t, db)
		tx := db.Begin()
		ctx := reg.WithTx(context.Background(), tx)
		if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "shared"}).Error; err != nil {
			t.Fatal(err)
		}
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			reg.DB(ctx).Create(&fixture.User{ID: 12, Name: "nested"})
			return errInner
		})
		if !errors.Is(err, errInner) {
			t.Fatal(err)
		}
		if got := userNames(t, tx.Where("id > ?", 10)); !reflect.DeepEqual(got, []string{"shared"}) {
			t.Fatalf("inside the caller's transaction: %v", got)
		}
		if err := tx.Rollback().Error; err != nil {
			t.Fatal(err)
		}
		if got := userNames(t, reg.DB(context.Background()).Where("id > ?", 10)); len(got) != 0 {
			t.Fatalf("the caller's rollback left %v", got)
		}
	})
}

// TestScopedConcurrentTransactions: many goroutines, each in its own
// transaction, each restores the same saved query through reg.DB(ctx) and
// sees its own uncommitted row and none of the others'.
func TestScopedConcurrentTransactions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if backendName(db) == dbtest.SQLite {
			t.Skip("SQLite allows one writer at a time: concurrent write transactions cannot overlap")
		}
		db, reg := scopedDB(t, db)
		data := mustDump(t, db.Model(&fixture.User{}).Where("id >= ?", 100).Order("id"))
		const n = 12
		var inserted, done sync.WaitGroup
		inserted.Add(n)
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			done.Add(1)
			go func(i int) {
				defer done.Done()
				id := uint(100 + i)
				errs <- reg.Transaction(context.Background(), func(ctx context.Context) error {
					err := reg.DB(ctx).Create(&fixture.User{ID: id, Name: fmt.Sprint("u", i)}).Error
					inserted.Done()
					if err != nil {
						return err
					}
					inserted.Wait() // every row exists, uncommitted, in its own transaction
					q, err := gormpickle.Loads(data, reg.DB(ctx))
					if err != nil {
						return err
					}
					got := names(t, q)
					if want := []string{fmt.Sprint("u", i)}; !reflect.DeepEqual(got, want) {
						return fmt.Errorf("goroutine %d sees %v, want %v", i, got, want)
					}
					return errInner // roll back: nothing is left behind
				})
			}(i)
		}
		done.Wait()
		close(errs)
		for err := range errs {
			if !errors.Is(err, errInner) {
				t.Error(err)
			}
		}
	})
}

func TestScopedMiddleware(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, reg := scopedDB(t, db)
		handler := reg.Middleware(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			id := uint(11)
			if req.URL.Path == "/fail" {
				id = 12
			}
			if err := reg.DB(req.Context()).Create(&fixture.User{ID: id, Name: req.URL.Path}).Error; err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			if req.URL.Path == "/fail" {
				w.WriteHeader(http.StatusInternalServerError)
			}
		}), func(_ *http.Request, err error) { t.Errorf("commit failed: %v", err) })
		for _, path := range []string{"/ok", "/fail"} {
			handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, path, nil))
		}
		if got := userNames(t, reg.DB(context.Background()).Where("id > ?", 10)); !reflect.DeepEqual(got, []string{"/ok"}) {
			t.Fatalf("after the requests: %v, want only /ok committed", got)
		}
	})
}
