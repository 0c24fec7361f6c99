package gormpickle_test

import (
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// benchShadowDB opens a seeded in-memory SQLite database with the given
// plugin options, or without the plugin when opts is nil.
func benchShadowDB(b *testing.B, opts []gormpickle.Option) *gorm.DB {
	b.Helper()
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		b.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	b.Cleanup(func() { sqlDB.Close() })
	if opts != nil {
		if err := db.Use(gormpickle.New(opts...)); err != nil {
			b.Fatal(err)
		}
	}
	if err := fixture.Seed(db); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchShadowQuery is the statement measured: a typical First.
func benchShadowQuery(b *testing.B, db *gorm.DB) {
	var u fixture.User
	if err := db.Where("name = ?", "ed").First(&u).Error; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkShadowCheck measures one query without the plugin, with the
// plugin and the shadow check off, and with the check on; off/without
// runs the first two alternately and reports their time ratio ("off is
// free" means a ratio of 1 within noise).
func BenchmarkShadowCheck(b *testing.B) {
	models := gormpickle.WithModels(fixture.Models()...)
	without := benchShadowDB(b, nil)
	off := benchShadowDB(b, []gormpickle.Option{models})
	on := benchShadowDB(b, []gormpickle.Option{models, gormpickle.WithShadowCheck(func(d gormpickle.Divergence) {
		b.Errorf("%s", d)
	})})
	for _, c := range []struct {
		name string
		db   *gorm.DB
	}{{"without", without}, {"off", off}, {"on", on}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				benchShadowQuery(b, c.db)
			}
		})
	}
	b.Run("off/without", func(b *testing.B) {
		var tWithout, tOff time.Duration
		for i := 0; i < b.N; i++ {
			start := time.Now()
			benchShadowQuery(b, without)
			mid := time.Now()
			benchShadowQuery(b, off)
			tWithout, tOff = tWithout+mid.Sub(start), tOff+time.Since(mid)
		}
		b.ReportMetric(float64(tOff)/float64(tWithout), "ratio")
	})
}
