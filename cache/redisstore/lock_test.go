package redisstore_test

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// queryCounter counts the queries with pg_sleep that reach the database
// under the cache's pool (not the catalog queries the cache makes).
type queryCounter struct {
	gorm.ConnPool
	n atomic.Int64
}

func (q *queryCounter) QueryContext(ctx context.Context, s string, args ...any) (*sql.Rows, error) {
	if strings.Contains(s, "pg_sleep") {
		q.n.Add(1)
	}
	return q.ConnPool.QueryContext(ctx, s, args...)
}

func (q *queryCounter) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	return q.ConnPool.(*sql.DB).BeginTx(ctx, opts)
}

func (q *queryCounter) GetDBConn() (*sql.DB, error) { return q.ConnPool.(*sql.DB), nil }

func counted(db *gorm.DB) *queryCounter {
	q := &queryCounter{ConnPool: db.Config.ConnPool}
	db.Config.ConnPool, db.Statement.ConnPool = q, q
	return q
}

// TestLockAcrossInstances: with cache.WithLock, concurrent identical
// misses in two instances sharing Redis run the query once between them
// (PostgreSQL: pg_sleep keeps the first one in flight).
func TestLockAcrossInstances(t *testing.T) {
	client := sharedClient(t)
	a := dbtest.Open(t, dbtest.Postgres)
	if err := fixture.Seed(a); err != nil {
		t.Fatal(err)
	}
	b := dbtest.Reopen(t, a)
	qa, qb := counted(a), counted(b)
	prefix := testPrefix(t, client)
	ca := install(t, a, client, prefix, cache.WithLock(3*time.Second))
	cb := install(t, b, client, prefix, cache.WithLock(3*time.Second))
	query := func(db *gorm.DB) error {
		var us []fixture.User
		return db.Clauses(cache.TTL(time.Minute)).Select("*, pg_sleep(0.3) IS NULL AS slept").Order("id").Find(&us).Error
	}
	before := qa.n.Load() + qb.n.Load()
	var wg sync.WaitGroup
	for _, db := range []*gorm.DB{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := query(db); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := qa.n.Load() + qb.n.Load() - before; got != 1 {
		t.Fatalf("the two instances ran the query %d times, want 1 (stats %+v, %+v)", got, ca.Stats(), cb.Stats())
	}
}
