package serializer

import (
	"errors"
	"reflect"
	"runtime"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// freshTypeCache gives the test an empty composite type cache, so that
// the types it floods do not fill the process-wide one other tests use.
func freshTypeCache(t *testing.T) *typeCache {
	old := compositeTypes
	compositeTypes = newTypeCache(maxCompositeTypes)
	t.Cleanup(func() { compositeTypes = old })
	return compositeTypes
}

// bigValue is a registered value type far larger than its encoding.
type bigValue struct {
	N int
	A [512]int64
}

type boundsEnv struct {
	db  *gorm.DB
	reg *Registry
}

func newBoundsEnv(t *testing.T) boundsEnv {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	reg := NewRegistry()
	if err := reg.RegisterTypeName("big", bigValue{}); err != nil {
		t.Fatal(err)
	}
	return boundsEnv{db, reg}
}

// load restores a payload of Raw("SELECT ?", v), v written by fn, and
// returns v.
func (e boundsEnv) load(fn func(w *wire.Writer)) (any, error) {
	w := wire.Writer{Buf: []byte("GPQ\x01\x00")}
	w.MapLen(1)
	w.Int(10) // raw
	w.ArrayLen(2)
	w.String("SELECT ?")
	w.ArrayLen(1)
	fn(&w)
	q, err := newDecoder(e.reg, Options{}, e.db).decode(w.Buf)
	if err != nil {
		return nil, err
	}
	return q.Raw.Vars[0], nil
}

// emptySliceOf writes an empty slice whose element descriptor desc writes.
func emptySliceOf(desc func(w *wire.Writer)) func(w *wire.Writer) {
	return func(w *wire.Writer) {
		w.ArrayLen(2)
		w.Int(tSlice)
		desc(w)
	}
}

func arrayDesc(n int, el int64) func(w *wire.Writer) {
	return func(w *wire.Writer) {
		w.ArrayLen(3)
		w.Int(typArrayOf)
		w.Int(int64(n))
		w.Int(el)
	}
}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestArrayTypesBounded: 10 000 payloads naming distinct array lengths
// build at most maxCompositeTypes types; once the cache is full, a payload
// needing a new type is refused with ErrLimit, those already built keep
// decoding, and the heap does not keep what was refused. Before the cache,
// each payload built two types Go never frees.
func TestArrayTypesBounded(t *testing.T) {
	c := freshTypeCache(t)
	e := newBoundsEnv(t)
	seeds := c.len()
	before := liveHeap()
	loaded := 0
	for i := range 10_000 {
		v, err := e.load(emptySliceOf(arrayDesc(i+1, typInt8)))
		switch {
		case err == nil:
			if rt := reflect.TypeOf(v); rt.Elem().Len() != i+1 {
				t.Fatalf("payload %d decoded to %s", i, rt)
			}
			loaded++
		case !errors.Is(err, ErrLimit):
			t.Fatalf("payload %d: %v", i, err)
		}
	}
	if grown := liveHeap() - before; grown > 512<<10 {
		t.Errorf("the heap grew by %d KiB", grown>>10)
	}
	if built := c.len() - seeds; built != maxCompositeTypes || loaded != maxCompositeTypes/2 {
		t.Fatalf("%d types built, %d payloads loaded; want %d and %d", built, loaded, maxCompositeTypes, maxCompositeTypes/2)
	}
	if _, err := e.load(emptySliceOf(arrayDesc(1, typInt8))); err != nil {
		t.Fatalf("a type built before the cache filled: %v", err)
	}
	if _, err := e.load(emptySliceOf(arrayDesc(3, typInt64))); !errors.Is(err, ErrLimit) {
		t.Fatalf("a new type with the cache full: %v", err)
	}
}

// TestTypeDescriptorNesting: a descriptor may nest maxTypeNesting
// composite levels, not more.
func TestTypeDescriptorNesting(t *testing.T) {
	freshTypeCache(t)
	e := newBoundsEnv(t)
	nested := func(levels int) func(w *wire.Writer) {
		return func(w *wire.Writer) {
			for range levels {
				w.ArrayLen(2)
				w.Int(typSliceOf)
			}
			w.Int(typInt)
		}
	}
	v, err := e.load(emptySliceOf(nested(maxTypeNesting)))
	if err != nil || reflect.TypeOf(v) != reflect.TypeFor[[][][][]int]() {
		t.Fatalf("%d levels: %T, %v", maxTypeNesting, v, err)
	}
	if _, err := e.load(emptySliceOf(nested(maxTypeNesting + 1))); !errors.Is(err, ErrLimit) {
		t.Fatalf("%d levels: %v", maxTypeNesting+1, err)
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestSmallPayloadsAllocateLittle: collections whose headers claim more
// than the payload holds are refused having allocated about what the
// payload could fill. Before, a 300-byte payload claiming 250 elements of
// a 64 KiB array type allocated 16 MiB, and one claiming 200 elements of a
// 4 KiB registered type allocated 800 KiB, before failing.
func TestSmallPayloadsAllocateLittle(t *testing.T) {
	freshTypeCache(t)
	e := newBoundsEnv(t)
	claims := map[string]func(w *wire.Writer){
		"array elements": func(w *wire.Writer) {
			w.ArrayLen(2 + 250)
			w.Int(tSlice)
			arrayDesc(1<<16, typUint8)(w)
			for range 250 {
				w.Nil()
			}
		},
		"registered elements": func(w *wire.Writer) {
			w.ArrayLen(2 + 200)
			w.Int(tSlice)
			w.ArrayLen(2)
			w.Int(typNamed)
			w.String("big")
			for range 200 {
				w.Nil()
			}
		},
		"array value": func(w *wire.Writer) {
			w.ArrayLen(3 + 200)
			w.Int(tArray)
			w.Int(200)
			w.ArrayLen(2)
			w.Int(typNamed)
			w.String("big")
			for range 200 {
				w.Nil()
			}
		},
		"map entries": func(w *wire.Writer) {
			w.ArrayLen(3 + 2*100)
			w.Int(tMap)
			w.Int(typInt)
			w.ArrayLen(2)
			w.Int(typNamed)
			w.String("big")
			for range 200 {
				w.Int(1)
			}
		},
	}
	for name, fn := range claims {
		e.load(fn) // build the types first: their cost is not the payload's
		var err error
		got := allocated(func() { _, err = e.load(fn) })
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if got > 64<<10 {
			t.Errorf("%s: %d KiB allocated before the refusal (%v)", name, got>>10, err)
		}
		t.Logf("%s: %d bytes allocated before the refusal", name, got)
	}
}

// TestLargeElementsGrowAsRead: collections whose elements take far more
// memory than bytes are read whole, growing as elements arrive.
func TestLargeElementsGrowAsRead(t *testing.T) {
	freshTypeCache(t)
	e := newBoundsEnv(t)
	bigs := func(tag int64, n int) func(w *wire.Writer) {
		return func(w *wire.Writer) {
			w.ArrayLen(2 + n + int(tag-tSlice))
			w.Int(tag)
			if tag == tArray {
				w.Int(int64(n))
			}
			w.ArrayLen(2)
			w.Int(typNamed)
			w.String("big")
			for i := range n {
				w.ArrayLen(4)
				w.Int(tStruct)
				w.String("big")
				w.String("N")
				w.Int(int64(i))
			}
		}
	}
	v, err := e.load(bigs(tSlice, 40))
	s, ok := v.([]bigValue)
	if err != nil || !ok || len(s) != 40 || s[39].N != 39 || s[1].N != 1 {
		t.Fatalf("slice: %T, %v", v, err)
	}
	v, err = e.load(bigs(tArray, 40))
	a, ok := v.([40]bigValue)
	if err != nil || !ok || a[39].N != 39 || a[1].N != 1 {
		t.Fatalf("array: %T, %v", v, err)
	}
}
