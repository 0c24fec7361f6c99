package scoped_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// item is the table the unit tests write to.
type item struct {
	ID   uint `gorm:"primaryKey;autoIncrement:false"`
	Name string
}

// sqliteDB opens a private SQLite database, a file in the test's temporary
// directory, with an empty item table. Not :memory:: database/sql closes a
// connection whose transaction's context is cancelled mid-statement, and a
// new :memory: connection is a new, empty database.
func sqliteDB(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(filepath.Join(t.TempDir(), "scoped.db")), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = sqlDB.Close() })
	if err := db.AutoMigrate(&item{}); err != nil {
		t.Fatal(err)
	}
	return db
}

// testContext returns a context that ends with the test.
func testContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// insert writes an item through tx, failing the test on error.
func insert(t testing.TB, tx *gorm.DB, id uint) {
	t.Helper()
	if err := tx.Create(&item{ID: id, Name: "x"}).Error; err != nil {
		t.Fatalf("insert %d: %v", id, err)
	}
}

// ids lists the item IDs tx sees, in order.
func ids(t testing.TB, tx *gorm.DB) []uint {
	t.Helper()
	out := []uint{}
	if err := tx.Model(&item{}).Order("id").Pluck("id", &out).Error; err != nil {
		t.Fatalf("read items: %v", err)
	}
	return out
}
