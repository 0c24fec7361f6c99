package redisstore_test

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// stressBudget is how long the stress runs per backend: GORMPICKLE_STRESS
// (a Go duration), else def (TestStress: 1s; BenchmarkStress: 2m).
func stressBudget(def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv("GORMPICKLE_STRESS")); err == nil {
		return d
	}
	return def
}

// BenchmarkStress is TestStress for minutes on PostgreSQL (run it with
// -benchtime=1x: b.N is ignored, it runs for its budget); it reports the
// reads made and fails on any stale one.
func BenchmarkStress(b *testing.B) {
	a := dbtest.Open(b, dbtest.Postgres)
	stale, reads := runStress(b, a, stressBudget(2*time.Minute))
	b.ReportMetric(float64(reads), "reads")
	if stale != 0 {
		b.Fatalf("%d stale reads out of %d", stale, reads)
	}
}

// TestStress runs readers on two instances sharing one Redis while a
// writer bumps the oracle's version in transactions: a read that starts
// after a commit returned must see that commit (zero stale reads), and
// must see Version and Mirror equal (never a torn row).
func TestStress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, a *gorm.DB) {
		stale, reads := runStress(t, a, stressBudget(time.Second))
		if stale != 0 {
			t.Fatalf("%d stale reads out of %d", stale, reads)
		}
		t.Logf("%d reads, none stale", reads)
	})
}

func runStress(t testing.TB, a *gorm.DB, budget time.Duration) (stale, reads int64) {
	if err := a.AutoMigrate(&Counter{}); err != nil {
		t.Fatal(err)
	}
	if err := a.Create(&Counter{ID: 1}).Error; err != nil {
		t.Fatal(err)
	}
	b := dbtest.Reopen(t, a)
	rc := sharedClient(t)
	prefix := testPrefix(t, rc)
	ca := install(t, a, rc, prefix, cache.WithDefaultTTL(time.Minute))
	cb := install(t, b, rc, prefix, cache.WithDefaultTTL(time.Minute))

	var committed atomic.Int64 // the highest version whose commit returned
	var staleN, readN atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the writer, alternating instances and write forms
		defer wg.Done()
		for v := int64(1); ctx.Err() == nil; v++ {
			db := []*gorm.DB{a, b}[v%2]
			err := db.Transaction(func(tx *gorm.DB) error {
				if v%3 == 0 {
					return tx.Exec("UPDATE counters SET version = ?, mirror = ? WHERE id = 1", v, v).Error
				}
				return tx.Model(&Counter{ID: 1}).Updates(map[string]any{"version": v, "mirror": v}).Error
			})
			if err != nil {
				t.Errorf("write %d: %v", v, err)
				return
			}
			committed.Store(v)
			time.Sleep(2 * time.Millisecond)
		}
	}()
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := []*gorm.DB{a, b}[r%2]
			for ctx.Err() == nil {
				floor := committed.Load()
				var c Counter
				var err error
				if r%2 == 0 {
					err = db.First(&c, 1).Error
				} else {
					err = db.Where("id = ? AND version >= ?", 1, 0).Take(&c).Error
				}
				if err != nil {
					t.Errorf("read: %v", err)
					return
				}
				readN.Add(1)
				if c.Version < floor || c.Mirror != c.Version {
					staleN.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if ca.Stats().Hits+cb.Stats().Hits == 0 {
		t.Errorf("no read was served from the cache: the run tested nothing (%+v, %+v)", ca.Stats(), cb.Stats())
	}
	return staleN.Load(), readN.Load()
}
