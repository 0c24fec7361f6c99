package serializer_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/gormpickle/gormpickle/internal/tzcache"
	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

// freshZoneCache gives the test its own shared zone cache, so that the
// names it floods do not fill the one other tests use.
func freshZoneCache(t testing.TB) *tzcache.Cache {
	old := tzcache.Shared
	c := tzcache.New(tzcache.DefaultMaxEntries)
	tzcache.Shared = c
	t.Cleanup(func() { tzcache.Shared = old })
	return c
}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// timeVar is a payload of Raw("SELECT ?", t), t written with the given
// zone name and abbreviation at offset +1h.
func timeVar(at time.Time, name, abbrev string) []byte {
	return rawVar(func(w *wire.Writer) {
		w.ArrayLen(6)
		w.Int(12) // tTime
		w.Int(at.Unix())
		w.Int(int64(at.Nanosecond()))
		w.String(name)
		w.String(abbrev)
		w.Int(3600)
	})
}

// TestQueryZoneNamesBounded: distinct zone names in query payloads, as
// many as a sender likes, neither grow memory past the shared cache's bound
// nor call time.LoadLocation more often than it; every time keeps its
// instant and wall clock. Before the shared cache, every name was kept.
func TestQueryZoneNamesBounded(t *testing.T) {
	c := freshZoneCache(t)
	db, reg := hostileTarget(t)
	at := time.Unix(1_700_000_000, 7)
	load := func(name string) {
		tx, err := serializer.Restore(reg, &serializer.Options{}, db, timeVar(at, name, "ABC"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, ok := tx.Statement.Vars[0].(time.Time)
		if _, off := got.Zone(); !ok || !got.Equal(at) || off != 3600 {
			t.Fatalf("%s: %v", name, tx.Statement.Vars)
		}
	}
	load("Nowhere/Warmup")
	before := liveHeap()
	for i := range 10_000 {
		load(fmt.Sprintf("Nowhere/Zone%d", i))
	}
	if grown := liveHeap() - before; grown > 256<<10 {
		t.Errorf("the heap grew by %d KiB for 10 000 zone names", grown>>10)
	}
	if c.Len() > tzcache.DefaultMaxEntries || c.Loads() > tzcache.DefaultMaxEntries {
		t.Fatalf("%d names cached, %d lookups; bound %d", c.Len(), c.Loads(), tzcache.DefaultMaxEntries)
	}
	loads := c.Loads()
	load("../../../../etc/passwd")
	if c.Loads() != loads {
		t.Fatal("a name outside the tz grammar was looked up")
	}
}
