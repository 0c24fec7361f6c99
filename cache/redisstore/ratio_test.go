package redisstore_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/cache/redisstore"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// ratioShapes are the queries TestCacheRatios measures. Each takes n: 0
// for the query a hit repeats, anything else for a query of the same
// shape with its own key (a miss every time; preloads of the same rows
// still hit).
var ratioShapes = []struct {
	name string
	run  func(db *gorm.DB, n int) error
}{
	{"First", func(db *gorm.DB, n int) error {
		var u fixture.User
		return db.Clauses(cache.TTL(time.Minute)).Where("users.id > ?", -n).First(&u, 8).Error
	}},
	{"Find 4 rows", func(db *gorm.DB, n int) error {
		var us []fixture.User
		return db.Clauses(cache.TTL(time.Minute)).Where("users.id > ?", -n).Order("id").Find(&us).Error
	}},
	{"Count", func(db *gorm.DB, n int) error {
		var c int64
		return db.Clauses(cache.TTL(time.Minute)).Model(&fixture.Address{}).Where("addresses.id > ?", -n).Count(&c).Error
	}},
	{"Joins", func(db *gorm.DB, n int) error {
		var as []fixture.Address
		return db.Clauses(cache.TTL(time.Minute)).Joins("User").Where("addresses.id > ?", -n).Order("addresses.id").Find(&as).Error
	}},
	{"Preload (2 statements)", func(db *gorm.DB, n int) error {
		var us []fixture.User
		return db.Clauses(cache.TTL(time.Minute)).Preload("Addresses").Where("users.id > ?", -n).Order("id").Find(&us).Error
	}},
	{"nested Preload (3 statements)", func(db *gorm.DB, n int) error {
		var us []fixture.User
		return db.Clauses(cache.TTL(time.Minute)).Preload("Addresses.User").Where("users.id > ?", -n).Order("id").Find(&us).Error
	}},
}

// TestCacheRatios measures, in one run and interleaved (so that the load
// of a shared machine falls on every variant alike), each shape live on
// PostgreSQL over TCP, as a memory hit, as a Redis hit, and as a miss
// (memory and Redis), and prints the medians and ratios. It runs only
// with GORMPICKLE_BENCH=1; docs/performance.md records a run.
func TestCacheRatios(t *testing.T) {
	if os.Getenv("GORMPICKLE_BENCH") != "1" {
		t.Skip("set GORMPICKLE_BENCH=1 to measure")
	}
	base := dbtest.Open(t, dbtest.Postgres)
	if err := fixture.Seed(base); err != nil {
		t.Fatal(err)
	}
	client := sharedClient(t)
	// Every variant sends its SQL through one connection, so that each runs
	// on the same PostgreSQL backend, as warm for one as for another (a
	// backend idle while the other variants ran answers its next query
	// tens of microseconds later, which would be charged to the variant).
	conn, err := base.DB()
	if err != nil {
		t.Fatal(err)
	}
	conn.SetMaxOpenConns(1)
	open := func(store cache.Store) *gorm.DB {
		db, err := gorm.Open(postgres.New(postgres.Config{Conn: conn}), &gorm.Config{Logger: logger.Discard})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...))); err != nil {
			t.Fatal(err)
		}
		if store != nil {
			if err := db.Use(cache.New(store, cache.WithNamespace(t.Name()))); err != nil {
				t.Fatal(err)
			}
		}
		return db
	}
	live, mem := open(nil), open(cache.NewMemoryStore(256<<20))
	red := open(redisstore.New(client, redisstore.WithPrefix(testPrefix(t, client))))
	var report strings.Builder
	fmt.Fprintf(&report, "| query | live | memory hit | Redis hit | live, new key each run | memory miss | Redis miss |\n|---|---|---|---|---|---|---|\n")
	unique := 1
	for _, s := range ratioShapes {
		variants := []struct {
			db     *gorm.DB
			repeat bool
		}{{live, true}, {mem, true}, {red, true}, {live, false}, {mem, false}, {red, false}}
		samples := make([][]float64, len(variants))
		for _, db := range []*gorm.DB{live, mem, red} {
			if err := s.run(db, 0); err != nil {
				t.Fatal(err)
			}
		}
		const rounds, batch = 15, 40
		for range rounds {
			for v, variant := range variants {
				start := time.Now()
				for range batch {
					n := 0
					if !variant.repeat {
						n = unique
						unique++
					}
					if err := s.run(variant.db, n); err != nil {
						t.Fatal(err)
					}
				}
				samples[v] = append(samples[v], float64(time.Since(start).Nanoseconds())/batch)
			}
		}
		med := make([]float64, len(samples))
		for i, smp := range samples {
			slices.Sort(smp)
			med[i] = smp[len(smp)/2]
		}
		us := func(ns float64) string { return fmt.Sprintf("%.1f µs", ns/1000) }
		fmt.Fprintf(&report, "| %s | %s | %s (%.1f×) | %s (%.1f×) | %s | %s (%.2f×) | %s (%.2f×) |\n", s.name,
			us(med[0]), us(med[1]), med[0]/med[1], us(med[2]), med[0]/med[2],
			us(med[3]), us(med[4]), med[4]/med[3], us(med[5]), med[5]/med[3])
	}
	t.Log("\n" + report.String())
}
