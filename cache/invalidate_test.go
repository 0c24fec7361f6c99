package cache_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/scoped"
)

// names reads every user name through the cache.
func names(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var out []string
	if err := db.Clauses(cache.TTL(time.Minute)).Model(&fixture.User{}).Order("id").Pluck("name", &out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func itemTagCount(t *testing.T, db *gorm.DB) int {
	t.Helper()
	var items []Item
	if err := db.Clauses(cache.TTL(time.Minute)).Preload("Tags").Order("id").Find(&items).Error; err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range items {
		n += len(it.Tags)
	}
	return n
}

// TestWritesInvalidate checks that every kind of write through GORM makes
// the next read see it, and that a read in between is served from the
// store (so the invalidation, not a bypass, is what is tested).
func TestWritesInvalidate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seed(t, db)
		n := countSent(db)
		install(t, db, cache.NewMemoryStore(1<<20), cache.WithNamespace(uniqueNS(t)))
		cached := func() []string {
			t.Helper()
			names(t, db)
			before := n.N()
			out := names(t, db)
			if n.N() != before {
				t.Fatalf("read not served from the cache")
			}
			return out
		}
		writes := []struct {
			name  string
			write func() error
			want  string // the name of user 8 after it
		}{
			{"Update", func() error { return db.Model(&fixture.User{ID: 8}).Update("name", "u1").Error }, "u1"},
			{"Save", func() error { return db.Save(&fixture.User{ID: 8, Name: "u2"}).Error }, "u2"},
			{"Updates/map", func() error {
				return db.Model(&fixture.User{}).Where("id = ?", 8).Updates(map[string]any{"name": "u3"}).Error
			}, "u3"},
			{"Exec UPDATE", func() error { return db.Exec("UPDATE users SET name = ? WHERE id = ?", "u4", 8).Error }, "u4"},
			{"Raw UPDATE", func() error {
				var r []fixture.User
				return db.Raw("UPDATE users SET name = 'u5' WHERE id = 8").Scan(&r).Error
			}, "u5"},
			{"Transaction", func() error {
				return db.Transaction(func(tx *gorm.DB) error {
					return tx.Model(&fixture.User{ID: 8}).Update("name", "u6").Error
				})
			}, "u6"},
			{"nested savepoint", func() error {
				return db.Transaction(func(tx *gorm.DB) error {
					return tx.Transaction(func(tx2 *gorm.DB) error {
						return tx2.Exec("UPDATE users SET name = 'u7' WHERE id = 8").Error
					})
				})
			}, "u7"},
			{"Begin/Commit", func() error {
				tx := db.Begin()
				if err := tx.Model(&fixture.User{ID: 8}).Update("name", "u8").Error; err != nil {
					tx.Rollback()
					return err
				}
				return tx.Commit().Error
			}, "u8"},
			{"scoped", func() error {
				reg := scoped.New(db)
				return reg.Transaction(context.Background(), func(ctx context.Context) error {
					return reg.DB(ctx).Model(&fixture.User{ID: 8}).Update("name", "u9").Error
				})
			}, "u9"},
			{"PrepareStmt session", func() error {
				return db.Session(&gorm.Session{PrepareStmt: true}).Model(&fixture.User{ID: 8}).Update("name", "p1").Error
			}, "p1"},
			{"PrepareStmt transaction", func() error {
				return db.Session(&gorm.Session{PrepareStmt: true}).Transaction(func(tx *gorm.DB) error {
					return tx.Exec("UPDATE users SET name = 'p2' WHERE id = 8").Error
				})
			}, "p2"},
			{"Delete+Create", func() error {
				if err := db.Delete(&fixture.Address{}, "user_id = ?", 8).Error; err != nil {
					return err
				}
				if err := db.Delete(&fixture.User{ID: 8}).Error; err != nil {
					return err
				}
				return db.Create(&fixture.User{ID: 8, Name: "u10"}).Error
			}, "u10"},
		}
		for _, w := range writes {
			cached()
			if err := w.write(); err != nil {
				t.Fatalf("%s: %v", w.name, err)
			}
			if got := names(t, db); got[1] != w.want {
				t.Errorf("%s: read %v after the write, want %s", w.name, got, w.want)
			}
		}

		// Association writes invalidate the join table.
		before := itemTagCount(t, db)
		if err := db.Model(&Item{ID: 3}).Association("Tags").Append(&Tag{ID: 2}); err != nil {
			t.Fatal(err)
		}
		if got := itemTagCount(t, db); got != before+1 {
			t.Errorf("after Association.Append: %d tags, want %d", got, before+1)
		}
	})
}

// TestTransactions checks the transaction rules: a rollback invalidates
// nothing, a transaction never reads a cached result for a table it
// wrote, results read inside a transaction are not stored, and writes
// become visible to others at commit.
func TestTransactions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seed(t, db)
		n := countSent(db)
		c := install(t, db, cache.NewMemoryStore(1<<20), cache.WithNamespace(uniqueNS(t)))
		names(t, db)
		inv := c.Stats().Invalidations
		// Rollback: nothing invalidated, the cached read stays a hit.
		tx := db.Begin()
		if err := tx.Model(&fixture.User{ID: 8}).Update("name", "rolled").Error; err != nil {
			t.Fatal(err)
		}
		if got := names(t, tx); got[1] != "rolled" {
			t.Errorf("the transaction read %v, not its own write", got)
		}
		if err := tx.Rollback().Error; err != nil {
			t.Fatal(err)
		}
		if c.Stats().Invalidations != inv {
			t.Errorf("a rollback invalidated %d tables", c.Stats().Invalidations-inv)
		}
		before := n.N()
		if got := names(t, db); got[1] != "ed" || n.N() != before {
			t.Errorf("after rollback: %v (%d statements), want a hit with ed", got, n.N()-before)
		}

		// The same in a PrepareStmt session's transaction.
		err := db.Session(&gorm.Session{PrepareStmt: true}).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("UPDATE users SET name = 'prepared' WHERE id = 8").Error; err != nil {
				return err
			}
			if got := names(t, tx); got[1] != "prepared" {
				t.Errorf("a PrepareStmt transaction read %v, not its own write", got)
			}
			return errors.New("roll back")
		})
		if err == nil || names(t, db)[1] != "ed" {
			t.Errorf("the PrepareStmt transaction: %v, names %v", err, names(t, db))
		}

		// Reads inside a transaction are not stored.
		err = db.Transaction(func(tx *gorm.DB) error {
			var u fixture.User
			return tx.Clauses(cache.TTL(time.Minute)).First(&u, 9).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		before = n.N()
		var u fixture.User
		if err := db.Clauses(cache.TTL(time.Minute)).First(&u, 9).Error; err != nil {
			t.Fatal(err)
		}
		if n.N() == before {
			t.Errorf("a result read inside a transaction was stored")
		}

		// Uncommitted writes are not seen by others; committed ones are.
		tx = db.Begin()
		if err := tx.Exec("UPDATE users SET name = 'later' WHERE id = 8").Error; err != nil {
			t.Fatal(err)
		}
		if dbtest.Available(dbtest.Postgres) && db.Dialector.Name() == "postgres" {
			if got := names(t, db); got[1] != "ed" {
				t.Errorf("another session saw an uncommitted write: %v", got)
			}
		}
		if err := tx.Commit().Error; err != nil {
			t.Fatal(err)
		}
		if got := names(t, db); got[1] != "later" {
			t.Errorf("after commit: %v", got)
		}

		// Invalidate for writes outside GORM.
		sqlDB, err := db.DB()
		if err != nil {
			t.Fatal(err)
		}
		names(t, db)
		if _, err := sqlDB.Exec("UPDATE users SET name = 'outside' WHERE id = 8"); err != nil {
			t.Fatal(err)
		}
		if got := names(t, db); got[1] != "later" {
			t.Errorf("the write outside GORM was seen before Invalidate: %v (the test needs a hit here)", got)
		}
		if err := cache.Invalidate(context.Background(), db, "users"); err != nil {
			t.Fatal(err)
		}
		if got := names(t, db); got[1] != "outside" {
			t.Errorf("after Invalidate: %v", got)
		}
	})
}

// TestViewsNotCached: a view reads rows that change without a write to
// its name, so reads of views are never cached.
func TestViewsNotCached(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seed(t, db)
		n := countSent(db)
		install(t, db, cache.NewMemoryStore(1<<20), cache.WithNamespace(uniqueNS(t)))
		if err := db.Exec("CREATE VIEW user_names AS SELECT id, name FROM users").Error; err != nil {
			t.Fatal(err)
		}
		read := func() string {
			var name string
			if err := db.Clauses(cache.TTL(time.Minute)).Table("user_names").Where("id = ?", 8).Pluck("name", &name).Error; err != nil {
				t.Fatal(err)
			}
			return name
		}
		read()
		before := n.N()
		read()
		if n.N() == before {
			t.Fatal("a read of a view was served from the cache")
		}
		if err := db.Exec("UPDATE users SET name = 'viewed' WHERE id = 8").Error; err != nil {
			t.Fatal(err)
		}
		if got := read(); got != "viewed" {
			t.Fatalf("the view read %q after the write", got)
		}
		if db.Dialector.Name() == "sqlite" {
			return // SQLite's views cannot be written
		}
		// A write through a view changes a table it does not name: the
		// whole namespace is invalidated.
		for _, inTx := range []bool{false, true} {
			names(t, db)
			before := n.N()
			names(t, db)
			if n.N() != before {
				t.Fatal("the read of users was not cached")
			}
			write := func(tx *gorm.DB) error {
				return tx.Exec("UPDATE user_names SET name = ? WHERE id = 8", fmt.Sprint("through the view ", inTx)).Error
			}
			var err error
			if inTx {
				err = db.Transaction(write)
			} else {
				err = write(db)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := names(t, db)[1]; got != fmt.Sprint("through the view ", inTx) {
				t.Fatalf("after a write through the view (transaction %v), users read %q", inTx, got)
			}
		}
	})
}
