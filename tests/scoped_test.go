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
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/scoped"
)

// scopedDB installs the plugin, seeds the fixture and returns a registry
// over db and a context that ends with the test.
func scopedDB(t *testing.T, db *gorm.DB) (*scoped.Registry, context.Context) {
	t.Helper()
	if err := db.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...))); err != nil {
		t.Fatal(err)
	}
	if err := fixture.Seed(db); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return scoped.New(db), ctx
}

// newUsers lists the names of users beyond the fixture's (ID > 10).
func newUsers(t *testing.T, tx *gorm.DB) []string {
	t.Helper()
	return names(t, tx.Model(&fixture.User{}).Where("id > ?", 10).Order("id"))
}

var errInner = errors.New("inner failure")

func TestScopedTransactionVisibilityAndCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg, ctx := scopedDB(t, db)
		// The saved query, restored into the caller's unit of work.
		data := mustDump(t, db.Model(&fixture.User{}).Where("id > ?", 10).Order("id"))
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "zoe"}).Error; err != nil {
				return err
			}
			if got := names(t, mustLoad(t, data, reg.DB(ctx))); !reflect.DeepEqual(got, []string{"zoe"}) {
				t.Errorf("Loads inside the transaction sees %v, want the uncommitted zoe", got)
			}
			if got := names(t, mustLoad(t, data, db)); len(got) != 0 {
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

func TestScopedNestedSavepoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg, ctx := scopedDB(t, db)
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
			if got := newUsers(t, reg.DB(ctx)); !reflect.DeepEqual(got, []string{"outer"}) {
				t.Errorf("after the inner rollback: %v", got)
			}
			// A successful inner transaction keeps its writes.
			return reg.Transaction(ctx, func(ctx context.Context) error {
				return reg.DB(ctx).Create(&fixture.User{ID: 13, Name: "kept"}).Error
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := newUsers(t, reg.DB(ctx)); !reflect.DeepEqual(got, []string{"outer", "kept"}) {
			t.Fatalf("after commit: %v, want outer and kept (inner rolled back to its savepoint)", got)
		}
	})
}

// A failing statement aborts a PostgreSQL transaction; rolling back to the
// savepoint makes it usable again, on every backend.
func TestScopedNestedFailedStatement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg, ctx := scopedDB(t, db)
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			dup := reg.Transaction(ctx, func(ctx context.Context) error {
				return reg.DB(ctx).Create(&fixture.User{ID: 7, Name: "duplicate"}).Error
			})
			if dup == nil {
				t.Error("inserting a duplicate primary key succeeded")
			}
			return reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "after"}).Error
		})
		if err != nil {
			t.Fatalf("the transaction did not recover from the inner failure: %v", err)
		}
		if got := newUsers(t, reg.DB(ctx)); !reflect.DeepEqual(got, []string{"after"}) {
			t.Fatalf("after commit: %v", got)
		}
	})
}

func TestScopedOuterErrorAndPanicRollBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg, ctx := scopedDB(t, db)
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "a"}).Error; err != nil {
				return err
			}
			if err := reg.Transaction(ctx, func(ctx context.Context) error {
				return reg.DB(ctx).Create(&fixture.User{ID: 12, Name: "b"}).Error
			}); err != nil {
				return err
			}
			return errInner
		})
		if err != errInner {
			t.Fatalf("Transaction returned %v, want errInner unchanged", err)
		}
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Fatalf("recovered %v, want the re-raised panic", r)
				}
			}()
			_ = reg.Transaction(ctx, func(ctx context.Context) error {
				if err := reg.DB(ctx).Create(&fixture.User{ID: 13, Name: "c"}).Error; err != nil {
					return err
				}
				return reg.Transaction(ctx, func(ctx context.Context) error {
					if err := reg.DB(ctx).Create(&fixture.User{ID: 14, Name: "d"}).Error; err != nil {
						return err
					}
					panic("boom")
				})
			})
		}()
		if got := newUsers(t, reg.DB(ctx)); len(got) != 0 {
			t.Fatalf("rows survived an outer error or a panic: %v", got)
		}
		// The pool is healthy afterwards.
		if got := names(t, reg.DB(ctx).Model(&fixture.User{})); len(got) != 4 {
			t.Fatalf("fixture rows: %v", got)
		}
	})
}

func TestScopedContextCancellation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg, ctx := scopedDB(t, db)
		t.Run("outer", func(t *testing.T) {
			cctx, cancel := context.WithCancel(ctx)
			err := reg.Transaction(cctx, func(ctx context.Context) error {
				if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "lost"}).Error; err != nil {
					return err
				}
				cancel()
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Transaction returned %v, want context.Canceled", err)
			}
			if got := newUsers(t, reg.DB(ctx)); len(got) != 0 {
				t.Fatalf("a cancelled transaction committed: %v", got)
			}
		})
		t.Run("savepoint", func(t *testing.T) {
			err := reg.Transaction(ctx, func(ctx context.Context) error {
				if err := reg.DB(ctx).Create(&fixture.User{ID: 12, Name: "kept"}).Error; err != nil {
					return err
				}
				inner, cancel := context.WithCancel(ctx)
				err := reg.Transaction(inner, func(ctx context.Context) error {
					if err := reg.DB(ctx).Create(&fixture.User{ID: 13, Name: "lost"}).Error; err != nil {
						return err
					}
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
			if got := newUsers(t, reg.DB(ctx)); !reflect.DeepEqual(got, []string{"kept"}) {
				t.Fatalf("after commit: %v, want the cancelled savepoint rolled back", got)
			}
		})
	})
}

// Registry B, over a second pool to the same database, neither sees nor
// joins registry A's transaction carried by the same context.
func TestScopedRegistriesAreIndependent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		regA, ctx := scopedDB(t, db)
		other := dbtest.Reopen(t, db)
		regB := scoped.New(other)
		err := regA.Transaction(ctx, func(ctx context.Context) error {
			if err := regA.DB(ctx).Create(&fixture.User{ID: 11, Name: "a"}).Error; err != nil {
				return err
			}
			if regB.InTransaction(ctx) {
				t.Error("registry B sees registry A's transaction")
			}
			if got := newUsers(t, regB.DB(ctx)); len(got) != 0 {
				t.Errorf("registry B reads registry A's uncommitted rows: %v", got)
			}
			return regB.Transaction(ctx, func(ctx context.Context) error {
				if got := newUsers(t, regA.DB(ctx)); !reflect.DeepEqual(got, []string{"a"}) {
					t.Errorf("registry A lost its transaction inside B's: %v", got)
				}
				if got := newUsers(t, regB.DB(ctx)); len(got) != 0 {
					t.Errorf("registry B's own transaction reads A's uncommitted rows: %v", got)
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestScopedWithTx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg, bg := scopedDB(t, db)
		tx := db.Begin()
		if tx.Error != nil {
			t.Fatal(tx.Error)
		}
		ctx := reg.WithTx(bg, tx)
		if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "shared"}).Error; err != nil {
			t.Fatal(err)
		}
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			if err := reg.DB(ctx).Create(&fixture.User{ID: 12, Name: "nested"}).Error; err != nil {
				return err
			}
			return errInner
		})
		if err != errInner {
			t.Fatal(err)
		}
		if got := newUsers(t, tx); !reflect.DeepEqual(got, []string{"shared"}) {
			t.Fatalf("inside the caller's transaction: %v", got)
		}
		if err := tx.Rollback().Error; err != nil {
			t.Fatal(err)
		}
		if got := newUsers(t, reg.DB(bg)); len(got) != 0 {
			t.Fatalf("the caller's rollback left %v", got)
		}
	})
}

// Nesting works in a prepared-statement session (savepoint statements are
// run unprepared, as GORM's SavePoint does).
func TestScopedPreparedStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, ctx := scopedDB(t, db)
		reg := scoped.New(db.Session(&gorm.Session{PrepareStmt: true}))
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			if err := reg.DB(ctx).Create(&fixture.User{ID: 11, Name: "outer"}).Error; err != nil {
				return err
			}
			_ = reg.Transaction(ctx, func(ctx context.Context) error {
				if err := reg.DB(ctx).Create(&fixture.User{ID: 12, Name: "inner"}).Error; err != nil {
					return err
				}
				return errInner
			})
			return reg.Transaction(ctx, func(ctx context.Context) error {
				return reg.DB(ctx).Create(&fixture.User{ID: 13, Name: "kept"}).Error
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := newUsers(t, reg.DB(ctx)); !reflect.DeepEqual(got, []string{"outer", "kept"}) {
			t.Fatalf("after commit: %v", got)
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
		reg, ctx := scopedDB(t, db)
		data := mustDump(t, db.Model(&fixture.User{}).Where("id >= ?", 100).Order("id"))
		const n = 12
		var inserted, done sync.WaitGroup
		inserted.Add(n)
		errs := make(chan error, n)
		for i := range n {
			done.Add(1)
			go func() {
				defer done.Done()
				errs <- reg.Transaction(ctx, func(ctx context.Context) error {
					err := reg.DB(ctx).Create(&fixture.User{ID: uint(100 + i), Name: fmt.Sprint("u", i)}).Error
					inserted.Done()
					if err != nil {
						return err
					}
					inserted.Wait() // every row exists now, each uncommitted in its own transaction
					q, err := gormpickle.Loads(data, reg.DB(ctx))
					if err != nil {
						return err
					}
					var rows []fixture.User
					if err := q.Find(&rows).Error; err != nil {
						return err
					}
					if len(rows) != 1 || rows[0].Name != fmt.Sprint("u", i) {
						return fmt.Errorf("goroutine %d sees %v, want only its own u%d", i, rows, i)
					}
					return errInner // roll back: nothing is left behind
				})
			}()
		}
		done.Wait()
		close(errs)
		for err := range errs {
			if err != errInner {
				t.Error(err)
			}
		}
		if got := names(t, reg.DB(ctx).Model(&fixture.User{}).Where("id >= ?", 100)); len(got) != 0 {
			t.Fatalf("rolled back rows are visible: %v", got)
		}
	})
}

func TestScopedMiddleware(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg, ctx := scopedDB(t, db)
		handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
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
		})
		mw := reg.Middleware(func(_ *http.Request, err error) { t.Errorf("onError: %v", err) })
		for _, path := range []string{"/ok", "/fail"} {
			mw(handler).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, path, nil))
		}
		if got := newUsers(t, reg.DB(ctx)); !reflect.DeepEqual(got, []string{"/ok"}) {
			t.Fatalf("after the requests: %v, want only /ok committed", got)
		}
	})
}
