package cache_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// TestStampede: concurrent identical misses in one process run the query
// once (PostgreSQL, whose pg_sleep keeps the first one in flight).
func TestStampede(t *testing.T) {
	db := dbtest.Open(t, dbtest.Postgres)
	seed(t, db)
	n := countSent(db)
	c := install(t, db, cache.NewMemoryStore(1<<20), cache.WithNamespace(uniqueNS(t)))
	var warm []fixture.User
	if err := db.Clauses(cache.TTL(time.Minute)).Find(&warm).Error; err != nil { // learns that users is a table
		t.Fatal(err)
	}
	before := n.N()
	const readers = 8
	var wg sync.WaitGroup
	start := make(chan struct{})
	results := make([][]fixture.User, readers)
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := db.Clauses(cache.TTL(time.Minute)).Select("*, pg_sleep(0.3) IS NULL AS slept").Order("id").Find(&results[i]).Error
			if err != nil {
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if got := n.N() - before; got != 1 {
		t.Fatalf("%d concurrent identical misses sent %d statements, want 1 (stats %+v)", readers, got, c.Stats())
	}
	for i := range results {
		if len(results[i]) != len(fixture.Users()) {
			t.Fatalf("reader %d got %d rows", i, len(results[i]))
		}
	}
}
