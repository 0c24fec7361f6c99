package tzcache

import (
	"archive/zip"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestValidNameAcceptsEveryZone(t *testing.T) {
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	z, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(root)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("no zoneinfo.zip: %v", err)
	}
	defer z.Close()
	for _, f := range z.File {
		if !ValidName(f.Name) {
			t.Errorf("%q refused", f.Name)
		}
	}
	if len(z.File) < 500 {
		t.Fatalf("only %d zones", len(z.File))
	}
}

func TestValidNameRefusesOtherText(t *testing.T) {
	for _, name := range []string{"", "/etc/passwd", "../../etc/passwd", "Europe/../../x", "a//b", "a/", ".x", "_x",
		"0x", "Europe/Pa ris", "Europe\\Paris", "Éurope/Paris", "a\x00b", "ABCDEFGHIJKLMNO", strings.Repeat("Ab/", 22) + "C"} {
		if ValidName(name) || ValidName([]byte(name)) {
			t.Errorf("%q accepted", name)
		}
	}
}

func TestLocationKnownAndFallback(t *testing.T) {
	c := New(8)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	at := time.Date(2026, 7, 1, 12, 0, 0, 0, ny)
	abbrev, off := at.Zone()
	if loc := c.Location(at, "America/New_York", abbrev, off); loc.String() != "America/New_York" {
		t.Fatalf("known zone: %v", loc)
	}
	if loc := c.LocationBytes(at, []byte("America/New_York"), []byte(abbrev), off+60); loc.String() != abbrev {
		t.Fatalf("offset mismatch: %v, want a fixed zone", loc)
	}
	for _, name := range []string{"UTC", "Local"} {
		if loc := c.Location(at, name, "X", 7); loc.String() != "X" {
			t.Fatalf("%s with another offset: %v", name, loc)
		}
	}
	if c.Location(at, "UTC", "UTC", 0) != time.UTC {
		t.Fatal("UTC")
	}
	if n := c.Loads(); n != 1 {
		t.Fatalf("%d loads, want 1 (UTC and Local are not loaded)", n)
	}
}

// TestCacheBounded: distinct unknown names, as many as a hostile sender
// likes, keep at most max entries and call time.LoadLocation at most max
// times; each time keeps its instant and wall clock, and once full even a
// real zone not yet cached falls back to a fixed zone without a lookup.
func TestCacheBounded(t *testing.T) {
	const max, names = 64, 10_000
	c := New(max)
	at := time.Unix(1_700_000_000, 5)
	before := heap()
	for i := range names {
		name := fmt.Sprintf("Nowhere/Zone%d", i)
		loc := c.Location(at, name, "ABC", 3600)
		got := at.In(loc)
		if !got.Equal(at) || got.Hour() != at.UTC().Hour()+1 || loc.String() != "ABC" {
			t.Fatalf("%s: %v in %v", name, got, loc)
		}
	}
	grown := int64(heap()) - int64(before)
	if c.Len() > max || c.Loads() > max {
		t.Fatalf("%d entries, %d loads, bound %d", c.Len(), c.Loads(), max)
	}
	if grown > 256<<10 {
		t.Errorf("the heap grew by %d bytes for %d names", grown, names)
	}
	loads := c.Loads()
	if loc := c.Location(at, "Europe/Paris", "CET", 3600); loc.String() != "CET" || c.Loads() != loads {
		t.Fatalf("full cache: %v, %d loads", loc, c.Loads()-loads)
	}
	c.Location(at, "Nowhere/Zone1", "ABC", 3600)
	if c.Loads() != loads {
		t.Fatal("a cached miss was loaded again")
	}
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestCachedLookupDoesNotAllocate(t *testing.T) {
	c := New(8)
	at := time.Unix(0, 0)
	for _, name := range []string{"Europe/Paris", "Nowhere/Zone"} {
		name, abbrev := []byte(name), []byte("CET")
		c.LocationBytes(at, name, abbrev, 3600)
		if n := testing.AllocsPerRun(100, func() { c.LocationBytes(at, name, abbrev, 3600) }); n != 0 {
			t.Fatalf("%s: %v allocations per cached lookup", name, n)
		}
	}
}

// TestFixedZonesBounded: fixed zones are cached up to the bound, then
// made afresh (still right, not kept).
func TestFixedZonesBounded(t *testing.T) {
	c := New(4)
	at := time.Unix(0, 0)
	for i := range 100 {
		abbrev := fmt.Sprintf("Z%d", i)
		loc := c.Location(at, "", abbrev, i*60)
		if name, off := at.In(loc).Zone(); name != abbrev || off != i*60 {
			t.Fatalf("%s: %s %d", abbrev, name, off)
		}
	}
	if n := c.FixedLen(); n != 4 {
		t.Fatalf("%d fixed zones cached, want 4", n)
	}
	first := c.Location(at, "", "Z1", 60)
	if again := c.Location(at, "", "Z1", 60); again != first {
		t.Fatal("a cached fixed zone was made again")
	}
}

func TestConcurrentLookups(t *testing.T) {
	c := New(16)
	at := time.Unix(0, 0)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				c.Location(at, fmt.Sprintf("Nowhere/Z%d", (i+g)%40), "Z", 0)
			}
		}()
	}
	wg.Wait()
	if c.Len() > 16 || c.Loads() > 16 {
		t.Fatalf("%d entries, %d loads", c.Len(), c.Loads())
	}
}
