package pickletype

import (
	"bytes"
	"encoding/gob"
	"errors"
	"math/big"
	"net/netip"
	"reflect"
	"runtime"
	"testing"
	"time"
)

type gobNode struct {
	Name  string
	Next  *gobNode
	Any   any
	Arr   [3]int8
	Cplx  complex128
	Bytes []byte
}

type gobLeaf struct{ N uint }

type gobText string

func (g gobText) MarshalText() ([]byte, error) { return []byte("t:" + g), nil }
func (g *gobText) UnmarshalText(b []byte) error {
	*g = gobText(bytes.TrimPrefix(b, []byte("t:")))
	return nil
}

// Only types without maps are registered for interfaces, so the fuzz
// target below cannot make gob allocate a map by a hostile count.
func init() {
	for _, v := range []any{gobLeaf{}, &gobNode{}, []any{}} {
		gob.Register(v)
	}
}

// gobStreams returns the gob streams of values covering every part of the
// format: builtins, structs, recursive types, arrays, slices, maps,
// GobEncoder, BinaryMarshaler and TextMarshaler types, and interfaces
// (at the top and nested, with concrete types defined inside the value,
// which splits it across messages). Each comes with a fresh pointer to
// decode it into.
func gobStreams() (streams [][]byte, dsts []func() any) {
	list := &gobNode{Name: "a"}
	for i := 0; i < 50; i++ {
		list = &gobNode{Name: "n", Next: list, Arr: [3]int8{-1, 0, 1}, Cplx: complex(1, -2), Bytes: []byte{1}}
	}
	nested := []any{gobLeaf{1}, &gobNode{Name: "x", Any: []any{gobLeaf{2}, &gobNode{Any: gobLeaf{3}}}}, nil}
	values := []any{
		true, -5, uint64(1 << 63), 3.5, "s", []byte{1, 2}, complex(1, 2),
		list, nested, gobNode{Any: nested},
		map[int][]string{1: {"a"}, 2: nil}, [2]map[string]int{{"a": 1}},
		time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600)),
		big.NewInt(1 << 40), netip.MustParseAddr("::1"), gobText("hello"),
		struct{ A, B *int }{}, []struct{}{{}, {}},
	}
	add := func(v any, dst func() any) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(v); err != nil {
			panic(err)
		}
		streams, dsts = append(streams, buf.Bytes()), append(dsts, dst)
	}
	for _, v := range values {
		add(v, func() any { return reflect.New(reflect.TypeOf(v)).Interface() })
	}
	for _, v := range []any{-5, "s", list, nested, gobLeaf{}} {
		add(&v, func() any { return new(any) })
	}
	return streams, dsts
}

// TestCheckGobAcceptsWhatGobWrites: no false refusals, of whole streams
// or of truncations gob itself decodes.
func TestCheckGobAcceptsWhatGobWrites(t *testing.T) {
	streams, dsts := gobStreams()
	for i, b := range streams {
		if err := checkGob(b); err != nil {
			t.Errorf("stream %d: %v (% x)", i, err, b)
		}
		for n := 0; n < len(b); n++ {
			if checkGob(b[:n]) != nil && gob.NewDecoder(bytes.NewReader(b[:n])).Decode(dsts[i]()) == nil {
				t.Errorf("stream %d: the check refuses a truncation at %d that gob decodes", i, n)
			}
		}
	}
}

// hostileGobCount returns the stream of v, a one-element map or slice,
// with its count replaced by n.
func hostileGobCount(v any, n uint64) []byte {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		panic(err)
	}
	b := buf.Bytes()
	start := 0 // of the last message: [length][type id: ff xx][delta 00][count 01]...
	for rest := b; len(rest) > 0; {
		l, after, err := readGobUint(rest)
		if err != nil {
			panic(err)
		}
		start, rest = len(b)-len(rest), after[l:]
	}
	body := append([]byte{}, b[start+1:start+4]...)
	body = append(body, 0xf8)
	for shift := 56; shift >= 0; shift -= 8 {
		body = append(body, byte(n>>shift))
	}
	body = append(body, b[start+5:]...)
	return append(append(append([]byte{}, b[:start]...), byte(len(body))), body...)
}

// TestHostileGobCounts: counts the stream cannot back are refused before
// gob allocates for them. Before checkGob, the map stream made gob
// allocate about 23 bytes per claimed entry and the slice one 10 MB.
func TestHostileGobCounts(t *testing.T) {
	var m map[int]int
	if err := gob.NewDecoder(bytes.NewReader(hostileGobCount(map[int]int{1: 2}, 1))).Decode(&m); err != nil || m[1] != 2 {
		t.Fatalf("the hostile stream builder is wrong: %v %v", m, err)
	}
	for name, c := range map[string]struct {
		data []byte
		dst  any
	}{
		"map":   {hostileGobCount(map[int]int{1: 2}, 10_000_000), new(map[int]int)},
		"slice": {hostileGobCount([]int{1}, 1<<28), new([]int)},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		err := gobCodec{}.Unmarshal(c.data, c.dst)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 64<<10 {
			t.Errorf("%s: %d bytes allocated before the refusal", name, got)
		}
	}
	var s Type[map[int]int]
	if err := s.Scan(append([]byte("PKL\x01\x00\x03gob"), hostileGobCount(map[int]int{1: 2}, 1<<40)...)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Scan: %v, want ErrCorrupt", err)
	}
}

// TestGobNestingBounded: values nested deeper than the bound are refused
// (gobMaxDepth itself is too deep for gob to encode quickly: its encoder
// copies each nested interface value into its parent).
func TestGobNestingBounded(t *testing.T) {
	const depth = 40
	var v any = gobLeaf{}
	for i := 0; i < depth; i++ {
		v = []any{v}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&v); err != nil {
		t.Fatal(err)
	}
	if err := checkGobDepth(buf.Bytes(), 2*depth+2); err != nil {
		t.Fatalf("refused within the bound: %v", err)
	}
	if err := checkGobDepth(buf.Bytes(), depth); err == nil {
		t.Fatal("accepted past the bound")
	}
}

// FuzzCheckGob: whatever gob itself decodes (into an interface or a
// struct), the check accepts, except values of gob's internal types, which
// only crafted streams hold. Neither target can hold a map, so gob cannot
// be made to allocate without bound here.
func FuzzCheckGob(f *testing.F) {
	streams, _ := gobStreams()
	for _, b := range streams {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkErr := checkGob(data)
		if checkErr == nil || errors.Is(checkErr, errGobInternal) {
			return
		}
		var v any
		var n gobNode
		if gob.NewDecoder(bytes.NewReader(data)).Decode(&v) == nil || gob.NewDecoder(bytes.NewReader(data)).Decode(&n) == nil {
			t.Fatalf("gob decodes what the check refuses: %v", checkErr)
		}
	})
}
