package modelcodec_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gormpickle/gormpickle/internal/tzcache"
	"github.com/gormpickle/gormpickle/modelcodec"
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

// TestModelZoneNamesBounded: DecodeMany looks an unknown zone name up
// once (the miss is cached, not repeated per row), and distinct names stop
// being looked up once the shared cache is full.
func TestModelZoneNamesBounded(t *testing.T) {
	c := freshZoneCache(t)
	same := zoneRows(1000, func(int) *time.Location { return time.FixedZone("Nowhere/Same", 3600) })
	data, err := modelcodec.EncodeMany(same)
	if err != nil {
		t.Fatal(err)
	}
	var back []zoneRow
	if err := modelcodec.DecodeMany(data, &back); err != nil {
		t.Fatal(err)
	}
	if c.Loads() != 1 {
		t.Fatalf("%d lookups for 1000 rows of one unknown zone, want 1", c.Loads())
	}
	distinct := zoneRows(3*tzcache.DefaultMaxEntries, func(i int) *time.Location {
		return time.FixedZone(fmt.Sprintf("Nowhere/Zone%d", i), 3600)
	})
	if data, err = modelcodec.EncodeMany(distinct); err != nil {
		t.Fatal(err)
	}
	if err := modelcodec.DecodeMany(data, &back); err != nil {
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

// BenchmarkDecodeManyZones decodes 100 rows whose times are in a zone
// this machine has (known) or in one it does not (unknown): with misses
// cached, the two cost about the same.
func BenchmarkDecodeManyZones(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Skip(err)
	}
	for _, c := range []struct {
		name string
		loc  *time.Location
	}{{"known", ny}, {"unknown", time.FixedZone("Nowhere/Zone", 3600)}} {
		data, err := modelcodec.EncodeMany(zoneRows(100, func(int) *time.Location { return c.loc }))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var back []zoneRow
			for b.Loop() {
				if err := modelcodec.DecodeMany(data, &back); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
