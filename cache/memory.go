package cache

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"

	"github.com/maypok86/otter/v2"
)

// memoryStore keeps entries in an otter cache bounded by bytes, and table
// versions in a map (one number per table ever written or read).
type memoryStore struct {
	entries *otter.Cache[string, memoryEntry]

	mu       sync.RWMutex
	versions map[string]uint64
}

type memoryEntry struct {
	value []byte
	ttl   time.Duration
}

// NewMemoryStore returns a store inside this process, holding at most
// about maxBytes of entries (keys and values counted); past that the
// least useful entries are evicted (otter's W-TinyLFU policy). It is the
// store for one process; processes that share a database and write to it
// need a shared store (package redisstore) for their caches to see each
// other's writes.
func NewMemoryStore(maxBytes int64) Store {
	if maxBytes < 1 {
		maxBytes = 1
	}
	return &memoryStore{
		entries: otter.Must(&otter.Options[string, memoryEntry]{
			MaximumWeight: uint64(maxBytes),
			Weigher: func(key string, e memoryEntry) uint32 {
				return uint32(min(len(key)+len(e.value)+64, 1<<31))
			},
			ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, memoryEntry]) time.Duration {
				return e.Value.ttl
			}),
			// otter's maintenance (draining its read and write buffers,
			// evicting) runs where it is scheduled, not on a goroutine of
			// its own: the default starts one per drain, and waking it
			// cost a lookup more than the lookup itself (futex calls; a
			// fifth of a miss's CPU on the benchmark shapes).
			Executor: func(fn func()) { fn() },
		}),
		versions: map[string]uint64{},
	}
}

func memoryKey(ns, key string) string { return ns + "\x00" + key }

func (m *memoryStore) Get(_ context.Context, ns, key string, tables []string) ([]byte, []uint64, error) {
	var value []byte
	if e, ok := m.entries.GetIfPresent(memoryKey(ns, key)); ok {
		value = e.value
	}
	out := make([]uint64, len(tables))
	m.mu.RLock()
	for i, t := range tables {
		out[i] = m.versions[memoryKey(ns, t)]
	}
	m.mu.RUnlock()
	return value, out, nil
}

func (m *memoryStore) Versions(_ context.Context, ns string, tables []string) ([]uint64, error) {
	out := make([]uint64, len(tables))
	missing := false
	m.mu.RLock()
	for i, t := range tables {
		out[i] = m.versions[memoryKey(ns, t)]
		missing = missing || out[i] == 0
	}
	m.mu.RUnlock()
	if !missing {
		return out, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, t := range tables {
		k := memoryKey(ns, t)
		if m.versions[k] == 0 {
			m.versions[k] = newVersion()
		}
		out[i] = m.versions[k]
	}
	return out, nil
}

func (m *memoryStore) Set(_ context.Context, ns, key string, value []byte, ttl time.Duration) error {
	m.entries.Set(memoryKey(ns, key), memoryEntry{value: value, ttl: ttl})
	return nil
}

func (m *memoryStore) Bump(_ context.Context, ns string, tables []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range tables {
		m.versions[memoryKey(ns, t)] = newVersion()
	}
	return nil
}

// NewVersion returns a random, non-zero table version, for [Store]
// implementations.
func NewVersion() uint64 { return newVersion() }

func newVersion() uint64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:])
		if v := binary.LittleEndian.Uint64(b[:]); v != 0 {
			return v
		}
	}
}
