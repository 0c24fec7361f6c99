package cache_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// sent counts the statements that reach the database: it wraps the pool
// under the cache's, so what the cache serves from the store is not
// counted.
type sent struct {
	gorm.ConnPool
	n atomic.Int64
}

func (s *sent) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s.n.Add(1)
	return s.ConnPool.ExecContext(ctx, q, args...)
}

func (s *sent) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s.n.Add(1)
	return s.ConnPool.QueryContext(ctx, q, args...)
}

func (s *sent) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	s.n.Add(1)
	return s.ConnPool.QueryRowContext(ctx, q, args...)
}

func (s *sent) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := s.ConnPool.(gorm.TxBeginner).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &sentTx{sent: sent{ConnPool: tx}, parent: s, tx: tx}, nil
}

func (s *sent) GetDBConn() (*sql.DB, error) { return s.ConnPool.(*sql.DB), nil }

// sentTx counts a transaction's statements into its parent's count.
type sentTx struct {
	sent
	parent *sent
	tx     *sql.Tx
}

func (s *sentTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s.parent.n.Add(1)
	return s.tx.ExecContext(ctx, q, args...)
}

func (s *sentTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s.parent.n.Add(1)
	return s.tx.QueryContext(ctx, q, args...)
}

func (s *sentTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	s.parent.n.Add(1)
	return s.tx.QueryRowContext(ctx, q, args...)
}

func (s *sentTx) Commit() error   { return s.tx.Commit() }
func (s *sentTx) Rollback() error { return s.tx.Rollback() }

// countSent makes db's statements counted (before the cache is installed).
func countSent(db *gorm.DB) *sent {
	s := &sent{ConnPool: db.Config.ConnPool}
	db.Config.ConnPool = s
	db.Statement.ConnPool = s
	return s
}

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
