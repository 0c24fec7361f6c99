package tzcache

import (
	"maps"
	"time"
)

// fixed returns time.FixedZone(abbrev, offset), cached while the cache has
// room, so that rows in a zone this machine lacks cost no allocation each.
// Past the bound it makes a new one each time: still correct, just slower.
func fixed[S string | []byte](c *Cache, abbrev S, offset int) *time.Location {
	if loc, ok := (*c.fixed.Load())[offset][string(abbrev)]; ok { // no allocation
		return loc
	}
	name := string(abbrev)
	loc := time.FixedZone(name, offset)
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.fixed.Load()
	if cached, ok := old[offset][name]; ok {
		return cached
	}
	if c.nfixed >= c.max {
		return loc
	}
	next := maps.Clone(old)
	inner := maps.Clone(old[offset])
	if inner == nil {
		inner = map[string]*time.Location{}
	}
	inner[name] = loc
	next[offset] = inner
	c.fixed.Store(&next)
	c.nfixed++
	return loc
}
