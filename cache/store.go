package cache

import (
	"context"
	"time"
)

// Store is where the cache keeps its entries and its table versions. The
// plugin writes through it and never scans it. Implement it to put the
// cache in another server (memcached, Valkey, a database); the package
// ships [NewMemoryStore] and package redisstore.
//
// Keys and tables come namespaced by the plugin's namespace ns (see
// [WithNamespace]); a store that shards should keep one namespace
// together (redisstore puts it in a Cluster hash tag).
//
// A table version is a number that changes every time the table's rows
// or schema may have changed. The cache's correctness rests on these
// rules, which every implementation must keep:
//
//   - Versions and Get report, for each table, the version most recently
//     set by Bump (linearizably: once a Bump has returned, no call that
//     starts afterwards, in any process sharing the store, reports an
//     older version);
//   - a table that has no version yet gets a fresh one (and keeps it);
//     Get may report 0 for such a table, a value no entry records;
//   - Bump gives every table named a version never given before (random
//     64-bit values are fine; counters are not, unless they survive a
//     restart of the store and the eviction of the version);
//   - a version may be forgotten (evicted, lost on restart) only if the
//     next Versions call gives the table a fresh one.
//
// Entries may be evicted or lost at any time. Every method may fail: the
// plugin then runs the query on the database and counts the error in
// [Stats].Errors. Methods must be safe for concurrent use and should
// honour ctx's deadline.
type Store interface {
	// Get returns the value stored under key (nil when there is none) and
	// the current version of each table in tables, in order.
	Get(ctx context.Context, ns, key string, tables []string) (value []byte, versions []uint64, err error)
	// Versions returns the current version of each table, giving a fresh
	// one to a table that has none.
	Versions(ctx context.Context, ns string, tables []string) ([]uint64, error)
	// Set stores value under key for ttl.
	Set(ctx context.Context, ns, key string, value []byte, ttl time.Duration) error
	// Bump gives each table a new version.
	Bump(ctx context.Context, ns string, tables []string) error
}

// Locker is implemented by stores that can hold a short lock across
// processes, so that only one of several processes missing on the same
// key at once runs the query (redisstore with its WithLock option).
type Locker interface {
	// TryLock takes the lock named key for at most ttl. It returns false
	// when another holder has it; unlock releases it if still held.
	TryLock(ctx context.Context, ns, key string, ttl time.Duration) (ok bool, unlock func(), err error)
}
