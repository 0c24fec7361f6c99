package serializer

import (
	"reflect"

	"github.com/gormpickle/gormpickle/internal/alloc"
)

// Collections are allocated by what the payload can still fill, not by
// what their header claims (see internal/alloc, which the model codec
// shares). These names keep the decoder's call sites short.
const allocFactor = alloc.Factor

func preallocLen(n int, size uintptr, remaining int) int {
	return alloc.PreallocLen(n, size, remaining)
}

func newSliceFor(st reflect.Type, n, remaining int) reflect.Value {
	return alloc.NewSliceFor(st, n, remaining)
}

func growFor(rv reflect.Value, i, n, remaining int) reflect.Value {
	return alloc.GrowFor(rv, i, n, remaining)
}

func satAdd(a, b int) int { return alloc.SatAdd(a, b) }

func fits(n, each, remaining int) bool { return alloc.Fits(n, each, remaining) }

// minPayloadBytes returns the fewest payload bytes a value of type t takes
// in a query payload: an array's elements are all written (each at least
// one byte), anything else takes at least one. Elements whose encoding
// cannot fit in the remaining bytes are refused before they are allocated.
func minPayloadBytes(t reflect.Type) int {
	n := 1
	for t.Kind() == reflect.Array {
		n = alloc.SatMul(n, t.Len())
		t = t.Elem()
	}
	return n
}
