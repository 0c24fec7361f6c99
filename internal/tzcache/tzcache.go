// Package tzcache resolves the time-zone names that payloads carry through
// one bounded, process-wide cache, so that hostile payloads can neither grow
// memory with the names they send nor make every row call
// time.LoadLocation (which reads the zone database under a global lock).
package tzcache

import (
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxEntries bounds the names the shared cache remembers, loaded
// zones and misses together, and separately the fixed zones it keeps. The
// tz database has about 600 names; a deployment uses a handful, and 512
// loaded zones keep about 730 KiB.
const DefaultMaxEntries = 512

// Shared is the cache the query decoder and the model codec use.
var Shared = New(DefaultMaxEntries)

// Cache maps zone names to what time.LoadLocation gave for them: a
// location, or nil for a name this machine does not have; and offsets and
// abbreviations to the fixed zones made for times whose name gave no
// location. Reads take no lock: a map is replaced, never changed, when an
// entry is added.
type Cache struct {
	entries atomic.Pointer[map[string]*time.Location]
	fixed   atomic.Pointer[map[int]map[string]*time.Location]
	mu      sync.Mutex // serializes additions
	nfixed  int        // fixed zones cached, under mu
	max     int
	loads   atomic.Int64
}

// New returns a cache holding at most max names and max fixed zones.
func New(max int) *Cache {
	c := &Cache{max: max}
	c.entries.Store(&map[string]*time.Location{})
	c.fixed.Store(&map[int]map[string]*time.Location{})
	return c
}

// Len returns the number of names cached.
func (c *Cache) Len() int { return len(*c.entries.Load()) }

// FixedLen returns the number of fixed zones cached.
func (c *Cache) FixedLen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nfixed
}

// Loads returns how many times the cache called time.LoadLocation.
func (c *Cache) Loads() int64 { return c.loads.Load() }

// Location returns the location a time was written in, given the zone name,
// abbreviation and offset written with it: UTC or Local when named and
// giving that offset at t, a tz database zone when this machine has it and
// it gives that offset at t, else a fixed zone (time.FixedZone(abbrev,
// offset)). The instant and the wall clock always survive.
func (c *Cache) Location(t time.Time, name, abbrev string, offset int) *time.Location {
	if loc := lookup(c, name); loc != nil && fits(t, loc, offset) {
		return loc
	}
	return fixed(c, abbrev, offset)
}

// LocationBytes is Location for a name and abbreviation read in place from
// a payload: they are copied only when kept.
func (c *Cache) LocationBytes(t time.Time, name, abbrev []byte, offset int) *time.Location {
	if loc := lookup(c, name); loc != nil && fits(t, loc, offset) {
		return loc
	}
	return fixed(c, abbrev, offset)
}

// fits reports whether loc gives offset at t.
func fits(t time.Time, loc *time.Location, offset int) bool {
	_, off := t.In(loc).Zone()
	return off == offset
}

// lookup returns the location a name stands for, or nil.
func lookup[S string | []byte](c *Cache, name S) *time.Location {
	switch string(name) {
	case "UTC":
		return time.UTC
	case "Local":
		return time.Local
	}
	if loc, ok := (*c.entries.Load())[string(name)]; ok {
		return loc
	}
	if !ValidName(name) {
		return nil
	}
	return c.load(string(name))
}

// load calls time.LoadLocation for a name not cached yet and caches the
// result, hit or miss, unless the cache is full: then it returns nil
// without loading, and the caller falls back to a fixed zone.
func (c *Cache) load(name string) *time.Location {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.entries.Load()
	if loc, ok := old[name]; ok {
		return loc
	}
	if len(old) >= c.max {
		return nil
	}
	c.loads.Add(1)
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	next := make(map[string]*time.Location, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[name] = loc
	c.entries.Store(&next)
	return loc
}
