package cache_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// TestKeyIgnoresSigningKey: keys come from the unsigned payload, so a
// process whose signing key rotated reads the entries of one that still
// has the old key.
func TestKeyIgnoresSigningKey(t *testing.T) {
	a := dbtest.Open(t, dbtest.SQLite)
	seed(t, a)
	b := dbtest.Reopen(t, a)
	store := cache.NewMemoryStore(1 << 20)
	ns := uniqueNS(t)
	for i, db := range []*gorm.DB{a, b} {
		key := []byte("signing key number " + string(rune('a'+i)) + "........")
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...), gormpickle.WithSigningKey(key))); err != nil {
			t.Fatal(err)
		}
	}
	ca, cb := cache.New(store, cache.WithNamespace(ns)), cache.New(store, cache.WithNamespace(ns))
	if err := a.Use(ca); err != nil {
		t.Fatal(err)
	}
	if err := b.Use(cb); err != nil {
		t.Fatal(err)
	}
	for _, db := range []*gorm.DB{a, b} {
		var u fixture.User
		if err := db.Clauses(cache.TTL(time.Minute)).First(&u, 7).Error; err != nil {
			t.Fatal(err)
		}
	}
	if cb.Stats().Hits != 1 {
		t.Fatalf("the process with another signing key missed: %+v", cb.Stats())
	}
}
