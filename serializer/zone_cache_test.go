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

type zoneRow struct {
	ID uint
	At time.Time
}

func zoneRows(n int, zone func(i int) *time.Location) []zoneRow {
	rows := make([]zoneRow, n)
	for i := range rows {
		rows[i] = zoneRow{ID: uint(i + 1), At: time.Date(2026, 7, 1, 12, 0, i, 0, zone(i))}
	}
	return rows
}

// TestModelZoneNamesBounded: DecodeModels looks an unknown zone name up
// once (the miss is cached, not repeated per row), and distinct names stop
// being looked up once the shared cache is full.
func TestModelZoneNamesBounded(t *testing.T) {
	c := freshZoneCache(t)
	same := zoneRows(1000, func(int) *time.Location { return time.FixedZone("Nowhere/Same", 3600) })
	data, err := serializer.EncodeModels(same)
	if err != nil {
		t.Fatal(err)
	}
	var back []zoneRow
	if err := serializer.DecodeModels(data, &back); err != nil {
		t.Fatal(err)
	}
	if c.Loads() != 1 {
		t.Fatalf("%d lookups for 1000 rows of one unknown zone, want 1", c.Loads())
	}
	distinct := zoneRows(3*tzcache.DefaultMaxEntries, func(i int) *time.Location {
		return time.FixedZone(fmt.Sprintf("Nowhere/Zone%d", i), 3600)
	})
	if data, err = serializer.EncodeModels(distinct); err != nil {
		t.Fatal(err)
	}
	if err := serializer.DecodeModels(data, &back); err != nil {
		t.Fatal(err)
	}
	if c.Len() > tzcache.DefaultMaxEntries || c.Loads() > tzcache.DefaultMaxEntries {
		t.Fatalf("%d names cached, %d lookups; bound %d", c.Len(), c.Loads(), tzcache.DefaultMaxEntries)
	}
	for i, r := range back {
		want := distinct[i].At
		if !r.At.Equal(want) || r.At.Hour() != want.Hour() || r.At.Location().String() != want.Location().String() {
			t.Fatalf("row %d: %v, want %v", i, r.At, want)
		}
	}
}

// BenchmarkDecodeModelsZones decodes 100 rows whose times are in a zone
// this machine has (known) or in one it does not (unknown): with misses
// cached, the two cost about the same.
func BenchmarkDecodeModelsZones(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Skip(err)
	}
	for _, c := range []struct {
		name string
		loc  *time.Location
	}{{"known", ny}, {"unknown", time.FixedZone("Nowhere/Zone", 3600)}} {
		data, err := serializer.EncodeModels(zoneRows(100, func(int) *time.Location { return c.loc }))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var back []zoneRow
			for b.Loop() {
				if err := serializer.DecodeModels(data, &back); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
