package cache

import (
	"bytes"
	"hash/maphash"
	"sync/atomic"
	"unsafe"
)

// decodedEntries remembers, per slot, the last entry body decoded and the
// stored bytes it came from, so that hits on the same stored value do not
// decode it again: the rows of a 100-row entry take longer to decode than
// the rest of a hit. An entry is never written once decoded (replays
// only read it), so one can serve any number of concurrent hits.
//
// It is keyed by the exact stored bytes, not only by the key: a value
// stored again under the same key (after an invalidation) is decoded
// anew. Memory stays bounded: decodedSlots entries of at most
// maxDecodedBytes of stored bytes each (the decoded rows are about as
// large again).
type decodedEntries struct {
	seed  maphash.Seed
	slots [decodedSlots]atomic.Pointer[decodedEntry]
}

const (
	decodedSlots    = 256
	maxDecodedBytes = 64 << 10
)

type decodedEntry struct {
	key string
	raw []byte
	e   *entry
}

func newDecodedEntries() *decodedEntries { return &decodedEntries{seed: maphash.MakeSeed()} }

func (d *decodedEntries) slot(key string) *atomic.Pointer[decodedEntry] {
	return &d.slots[maphash.String(d.seed, key)%decodedSlots]
}

// get returns the entry decoded from raw under key, if it is remembered.
func (d *decodedEntries) get(key string, raw []byte) *entry {
	de := d.slot(key).Load()
	if de == nil || de.key != key || len(de.raw) != len(raw) {
		return nil
	}
	// The memory store hands back the very slice it stored; other stores
	// return a copy, compared byte for byte (far cheaper than decoding).
	if unsafe.SliceData(de.raw) != unsafe.SliceData(raw) && !bytes.Equal(de.raw, raw) {
		return nil
	}
	return de.e
}

// put remembers e, decoded from raw under key.
func (d *decodedEntries) put(key string, raw []byte, e *entry) {
	if len(raw) > maxDecodedBytes {
		return
	}
	d.slot(key).Store(&decodedEntry{key: key, raw: raw, e: e})
}
