package gormpickle_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

var (
	fuzzOnce sync.Once
	fuzzDB   *gorm.DB
)

// fuzzTarget is one in-memory SQLite DB shared by all fuzz inputs.
func fuzzTarget(tb testing.TB) *gorm.DB {
	fuzzOnce.Do(func() {
		db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
		if err != nil {
			tb.Fatal(err)
		}
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.SetMaxOpenConns(1) // one in-memory database
		}
		if err := db.Use(shadowtest.New(nil, gormpickle.WithModels(fixture.Models()...))); err != nil {
			tb.Fatal(err)
		}
		if err := fixture.Seed(db); err != nil {
			tb.Fatal(err)
		}
		fuzzDB = db
	})
	return fuzzDB
}

// seedPayloads returns the golden corpus and a few chains built here.
func seedPayloads(tb testing.TB) [][]byte {
	db := fuzzTarget(tb)
	var seeds [][]byte
	files, _ := filepath.Glob(filepath.Join("serializer", "testdata", "golden", "*.gpq"))
	v1, _ := filepath.Glob(filepath.Join("serializer", "testdata", "golden", "v1", "*.gpq"))
	files = append(files, v1...)
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			seeds = append(seeds, b)
		}
	}
	sub := db.Model(&fixture.Address{}).Select("user_id").Where("email LIKE ?", "%ed%")
	chains := []*gorm.DB{
		db.Model(&fixture.User{}).Where(&fixture.User{Name: "ed"}).Order("id").Limit(3),
		db.Model(&fixture.User{}).Where("id IN (?)", sub).Preload("Addresses").Offset(1),
		db.Model(&fixture.Address{}).Joins("User").Where(map[string]any{"email": []string{"a", "b"}}),
		db.Raw("SELECT * FROM users WHERE id > ?", 7),
		db.Table("users AS u").Select("u.name, count(*)").Group("u.name").Having("count(*) > ?", 0),
	}
	for _, c := range chains {
		data, err := gormpickle.Dumps(c)
		if err != nil {
			tb.Fatalf("seed Dumps: %v", err)
		}
		seeds = append(seeds, data)
	}
	return seeds
}

// FuzzLoads feeds arbitrary bytes to Loads. Properties: no panic, bounded
// work; whatever loads renders without panicking, dumps again, and that
// payload loads and dumps to the same bytes (decode→encode→decode).
func FuzzLoads(f *testing.F) {
	for _, s := range seedPayloads(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		db := fuzzTarget(t)
		q, err := gormpickle.Loads(data, db)
		if err != nil {
			return
		}
		_ = q.Session(&gorm.Session{DryRun: true}).Find(&[]map[string]any{})
		again, err := gormpickle.Dumps(q)
		if err != nil {
			return // e.g. a value the decoder accepts but a chain cannot carry back
		}
		q2, err := gormpickle.Loads(again, db)
		if err != nil {
			t.Fatalf("re-encoded payload does not load: %v", err)
		}
		third, err := gormpickle.Dumps(q2)
		if err != nil {
			t.Fatalf("re-loaded chain does not dump: %v", err)
		}
		if !bytes.Equal(again, third) {
			t.Fatalf("decode→encode→decode is not stable:\n%q\n%q", again, third)
		}
	})
}
