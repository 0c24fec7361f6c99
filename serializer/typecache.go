package serializer

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
)

// Bounds on the types query payloads make the decoder build. Go never frees
// a type made by reflect.SliceOf, ArrayOf, MapOf or PointerTo, so every
// such type a payload describes would stay in memory for good: without a
// bound, payloads naming [1]int, [2]int, [3]int... grow the process
// without end.
const (
	// maxCompositeTypes bounds the distinct types built for payloads over
	// the life of the process. Applications send a few collection types;
	// a payload needing a new one once the bound is reached is refused
	// (ErrLimit) while those already built keep working.
	maxCompositeTypes = 256
	// maxTypeNesting bounds the composite levels of one type descriptor:
	// [][][]int is three.
	maxTypeNesting = 3
)

// compositeKey names a type built from element types: a slice, array
// (with its length), map (with its key) or pointer type.
type compositeKey struct {
	kind      reflect.Kind
	length    int
	key, elem reflect.Type
}

// typeCache holds the composite types built for payloads, at most max of
// them beyond the slices of builtin element types it starts with. Reads
// take no lock: the map is replaced, never changed, when a type is added.
type typeCache struct {
	types atomic.Pointer[map[compositeKey]reflect.Type]
	mu    sync.Mutex // serializes additions
	built int        // types added, under mu
	max   int
}

// compositeTypes is the process-wide cache (a variable so tests can
// replace it with an empty one).
var compositeTypes = newTypeCache(maxCompositeTypes)

func newTypeCache(max int) *typeCache {
	seed := make(map[compositeKey]reflect.Type, typBuiltinCount)
	for _, t := range builtinTypeByCode {
		seed[compositeKey{kind: reflect.Slice, elem: t}] = reflect.SliceOf(t)
	}
	c := &typeCache{max: max}
	c.types.Store(&seed)
	return c
}

// len returns the number of types the cache holds, seeds included.
func (c *typeCache) len() int { return len(*c.types.Load()) }

// get returns the type k names, building it if the cache has room.
func (c *typeCache) get(k compositeKey) (reflect.Type, error) {
	if t, ok := (*c.types.Load())[k]; ok {
		return t, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.types.Load()
	if t, ok := old[k]; ok {
		return t, nil
	}
	if c.built >= c.max {
		return nil, fmt.Errorf("%w: payload needs a new collection type (%s of %s); %d have been built, the most a process builds", ErrLimit, k.kind, k.elem, c.max)
	}
	t := k.build()
	next := make(map[compositeKey]reflect.Type, len(old)+1)
	for key, v := range old {
		next[key] = v
	}
	next[k] = t
	c.types.Store(&next)
	c.built++
	return t, nil
}

// build makes the type k names. The callers checked what reflect would
// panic on: comparable map keys, array sizes that fit in memory.
func (k compositeKey) build() reflect.Type {
	switch k.kind {
	case reflect.Slice:
		return reflect.SliceOf(k.elem)
	case reflect.Array:
		return reflect.ArrayOf(k.length, k.elem)
	case reflect.Map:
		return reflect.MapOf(k.key, k.elem)
	}
	return reflect.PointerTo(k.elem)
}

// sliceOf, arrayOf, mapOf and pointerTo return cached composite types.
func sliceOf(el reflect.Type) (reflect.Type, error) {
	return compositeTypes.get(compositeKey{kind: reflect.Slice, elem: el})
}

func arrayOf(n int, el reflect.Type) (reflect.Type, error) {
	return compositeTypes.get(compositeKey{kind: reflect.Array, length: n, elem: el})
}

func mapOf(k, v reflect.Type) (reflect.Type, error) {
	return compositeTypes.get(compositeKey{kind: reflect.Map, key: k, elem: v})
}

func pointerTo(el reflect.Type) (reflect.Type, error) {
	return compositeTypes.get(compositeKey{kind: reflect.Pointer, elem: el})
}
