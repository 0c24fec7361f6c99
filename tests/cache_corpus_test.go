package tests

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// TestCacheCorpus runs the conformance corpus through the result cache
// (every query cached by default) on a second connection to the seeded
// database: the first run is deep-equal to a live run without the cache,
// the second sends no SQL and is deep-equal too, and the chain restored
// by Loads hits the same entries.
func TestCacheCorpus(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		cached := dbtest.Reopen(t, db)
		counter := dbtest.CountSent(cached)
		if err := cached.Use(shadowtest.New(t, pluginOptions()...)); err != nil {
			t.Fatal(err)
		}
		plugin := cache.New(cache.NewMemoryStore(64<<20), cache.WithDefaultTTL(time.Minute), cache.WithNamespace(t.Name()))
		if err := cached.Use(plugin); err != nil {
			t.Fatal(err)
		}
		hits := 0
		for _, c := range conformance {
			t.Run(c.name, func(t *testing.T) {
				if reason, ok := c.skip[backendName(db)]; ok {
					t.Skip(reason)
				}
				live, first, second, restored := c.newDest(), c.newDest(), c.newDest(), c.newDest()
				liveErr := errText(c.run(c.build(db), live).Error)
				if e := errText(c.run(c.build(cached), first).Error); e != liveErr {
					t.Fatalf("first cached run: error %q, live %q", e, liveErr)
				}
				before := counter.N()
				if e := errText(c.run(c.build(cached), second).Error); e != liveErr {
					t.Fatalf("second cached run: error %q, live %q", e, liveErr)
				}
				sentSQL := counter.N() - before
				if !reflect.DeepEqual(live, first) || !reflect.DeepEqual(live, second) {
					t.Fatalf("cached result differs\nlive:   %+v\nfirst:  %+v\nsecond: %+v", reflect.ValueOf(live).Elem(),
						reflect.ValueOf(first).Elem(), reflect.ValueOf(second).Elem())
				}
				switch {
				case strings.HasPrefix(c.name, "locking"):
					// A locking read is never served from the cache: its lock is its point.
					if sentSQL == 0 {
						t.Errorf("a locking read was served from the cache")
					}
				case sentSQL == 0:
					hits++
				default:
					t.Errorf("not cached: the second run sent %d statements", sentSQL)
				}
				data, err := gormpickle.Dumps(c.build(db))
				if err != nil {
					t.Fatalf("Dumps: %v", err)
				}
				loaded, err := gormpickle.Loads(data, cached)
				if err != nil {
					t.Fatalf("Loads: %v", err)
				}
				before = counter.N()
				if e := errText(c.run(loaded, restored).Error); e != liveErr {
					t.Fatalf("restored run: error %q, live %q", e, liveErr)
				}
				if !reflect.DeepEqual(live, restored) {
					t.Fatalf("restored result differs\nlive:     %+v\nrestored: %+v", reflect.ValueOf(live).Elem(), reflect.ValueOf(restored).Elem())
				}
				if sentSQL == 0 && counter.N() != before {
					again, err := gormpickle.Dumps(loaded)
					if err == nil && string(again) == string(data) {
						t.Errorf("the chain restored by Loads missed the cache (%d statements)", counter.N()-before)
					} else {
						t.Logf("the restored chain dumps to other bytes (%v), so it has another key", err)
					}
				}
			})
		}
		t.Logf("%d of %d corpus cases served from the cache on their second run (stats %+v)", hits, len(conformance), plugin.Stats())
	})
}
