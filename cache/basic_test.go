package cache_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

func TestHitSendsNoSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seed(t, db)
		n := countSent(db)
		c := install(t, db, cache.NewMemoryStore(1<<20), cache.WithNamespace(uniqueNS(t)))
		q := func() ([]fixture.User, error) {
			var out []fixture.User
			err := db.Clauses(cache.TTL(time.Minute)).Preload("Addresses").Where("id > ?", 7).Order("id").Find(&out).Error
			return out, err
		}
		live, err := q()
		if err != nil {
			t.Fatal(err)
		}
		before := n.N()
		cached, err := q()
		if err != nil {
			t.Fatal(err)
		}
		if got := n.N() - before; got != 0 {
			t.Errorf("second run sent %d statements, want 0", got)
		}
		if !reflect.DeepEqual(live, cached) {
			t.Errorf("cached %+v\nlive %+v", cached, live)
		}
		if s := c.Stats(); s.Hits != 2 || s.Misses != 2 {
			t.Errorf("stats %+v, want 2 hits 2 misses", s)
		}
		// A write invalidates.
		if err := db.Model(&fixture.User{}).Where("id = ?", 8).Update("name", "eddie").Error; err != nil {
			t.Fatal(err)
		}
		after, err := q()
		if err != nil {
			t.Fatal(err)
		}
		if after[0].Name != "eddie" {
			t.Errorf("after update got %q", after[0].Name)
		}
		var none fixture.User
		for range 2 {
			err = db.Clauses(cache.TTL(time.Minute)).Where("id = ?", 99).First(&none).Error
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				t.Fatalf("First of nothing: %v", err)
			}
		}
	})
}

// TestSkipAndDefaultTTL: WithDefaultTTL caches every query, Skip opts one
// out, Invalidate with no table invalidates the whole namespace.
func TestSkipAndDefaultTTL(t *testing.T) {
	db := dbtest.Open(t, dbtest.SQLite)
	seed(t, db)
	n := countSent(db)
	install(t, db, cache.NewMemoryStore(1<<20), cache.WithNamespace(uniqueNS(t)), cache.WithDefaultTTL(time.Minute))
	sends := func(q func() error) int64 {
		t.Helper()
		before := n.N()
		if err := q(); err != nil {
			t.Fatal(err)
		}
		return n.N() - before
	}
	plain := func() error { var u fixture.User; return db.First(&u, 8).Error }
	skipped := func() error { var u fixture.User; return db.Clauses(cache.Skip()).First(&u, 9).Error }
	sends(plain)
	if got := sends(plain); got != 0 {
		t.Errorf("with a default TTL, a repeated query sent %d statements", got)
	}
	sends(skipped)
	if got := sends(skipped); got != 1 {
		t.Errorf("a skipped query sent %d statements, want 1", got)
	}
	if err := cache.Invalidate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	// The query runs again (and the catalog is asked again: a namespace
	// bump may stand for DDL).
	if got := sends(plain); got == 0 {
		t.Errorf("after Invalidate of the namespace, the query was served from the cache")
	}
}
