package cache_test

import (
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// countSent makes db's statements counted (before the cache is installed).
func countSent(db *gorm.DB) *dbtest.Sent { return dbtest.CountSent(db) }

func uniqueNS(t testing.TB) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return t.Name() + "-" + hex.EncodeToString(b[:])
}

// install puts gormpickle (with the fixture models and extra) and a cache
// over store on db.
func install(t testing.TB, db *gorm.DB, store cache.Store, opts ...cache.Option) *cache.Plugin {
	t.Helper()
	if err := db.Use(shadowtest.New(t, gormpickle.WithModels(append(fixture.Models(), extraModels()...)...))); err != nil {
		t.Fatal(err)
	}
	c := cache.New(store, opts...)
	if err := db.Use(c); err != nil {
		t.Fatal(err)
	}
	return c
}

func extraModels() []any { return []any{&Item{}, &Tag{}, &Counter{}} }

// Item and Tag are a many-to-many pair; Counter is the stress oracle.
type Item struct {
	ID    uint `gorm:"primaryKey;autoIncrement:false"`
	Name  string
	Price float64
	When  time.Time
	Note  *string
	Blob  []byte
	Tags  []Tag `gorm:"many2many:item_tags"`
}

type Tag struct {
	ID   uint `gorm:"primaryKey;autoIncrement:false"`
	Name string
}

type Counter struct {
	ID      uint `gorm:"primaryKey;autoIncrement:false"`
	Version int64
	Mirror  int64
}

// seed creates and fills every test table.
func seed(t testing.TB, db *gorm.DB) {
	t.Helper()
	if err := fixture.Seed(db); err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(&Item{}, &Tag{}, &Counter{}); err != nil {
		t.Fatal(err)
	}
	note := "fragile"
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tags := []Tag{{ID: 1, Name: "red"}, {ID: 2, Name: "big"}}
	items := []Item{
		{ID: 1, Name: "lamp", Price: 9.5, When: when, Note: &note, Blob: []byte{1, 2}, Tags: tags},
		{ID: 2, Name: "desk", Price: 120, When: when.Add(time.Hour), Blob: []byte{}, Tags: tags[:1]},
		{ID: 3, Name: "pen", Price: 1.25, When: when.Add(2 * time.Hour)},
	}
	if err := db.Create(&items).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&Counter{ID: 1}).Error; err != nil {
		t.Fatal(err)
	}
}
