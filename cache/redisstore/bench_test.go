package redisstore_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/cache/redisstore"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// BenchmarkCache runs the same queries on PostgreSQL over TCP live (no
// cache), as memory hits and as Redis hits, for profiling; the ratios
// docs/performance.md records come from TestCacheRatios, which
// interleaves the variants.
func BenchmarkCache(b *testing.B) {
	base := dbtest.Open(b, dbtest.Postgres)
	if err := fixture.Seed(base); err != nil {
		b.Fatal(err)
	}
	client := sharedClient(b)
	queries := map[string]func(db *gorm.DB) error{
		"first": func(db *gorm.DB) error {
			var u fixture.User
			return db.Clauses(cache.TTL(time.Minute)).First(&u, 8).Error
		},
		"preload": func(db *gorm.DB) error {
			var us []fixture.User
			return db.Clauses(cache.TTL(time.Minute)).Preload("Addresses").Order("id").Find(&us).Error
		},
	}
	open := func(store cache.Store) *gorm.DB {
		db := dbtest.Reopen(b, base)
		if err := db.Use(shadowtest.New(b, gormpickle.WithModels(fixture.Models()...))); err != nil {
			b.Fatal(err)
		}
		if store != nil {
			if err := db.Use(cache.New(store, cache.WithNamespace(b.Name()))); err != nil {
				b.Fatal(err)
			}
		}
		return db
	}
	live := open(nil)
	mem := open(cache.NewMemoryStore(64 << 20))
	red := open(redisstore.New(client, redisstore.WithPrefix(testPrefix(b, client))))
	for _, name := range []string{"first", "preload"} {
		q := queries[name]
		run := func(b *testing.B, db *gorm.DB, before func()) {
			if err := q(db); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if before != nil {
					b.StopTimer()
					before()
					b.StartTimer()
				}
				if err := q(db); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.Run(name+"/live", func(b *testing.B) { run(b, live, nil) })
		b.Run(name+"/memory_hit", func(b *testing.B) { run(b, mem, nil) })
		b.Run(name+"/redis_hit", func(b *testing.B) { run(b, red, nil) })
	}
}
