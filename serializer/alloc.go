package serializer

import (
	"math"
	"reflect"
)

// Collections are allocated by what the payload can still fill, not by
// what their header claims: every element takes at least one payload byte,
// so up front a collection gets at most allocFactor bytes of memory per
// payload byte that remains, plus allocSlack, and grows as elements are
// really read. A payload that claims more than it holds fails having
// allocated little.
const (
	// allocFactor is the memory pre-allocated per remaining payload byte:
	// a one-byte element (nil, a small integer, an empty string) becomes
	// an interface or string header of 16 bytes.
	allocFactor = 16
	// allocSlack lets small collections of large elements be allocated in
	// one step.
	allocSlack = 512
)

// preallocLen returns how many of n elements of size bytes each to
// allocate before any is read, when remaining payload bytes follow.
func preallocLen(n int, size uintptr, remaining int) int {
	if size == 0 {
		return n
	}
	return min(n, int(uintptr(allocFactor*remaining+allocSlack)/size))
}

// grownLen is the length to grow a collection of length i, all read, that
// will hold n elements: twice i, but no more than the remaining bytes can
// fill beyond i, and at least one more.
func grownLen(i, n int, size uintptr, remaining int) int {
	return i + max(1, preallocLen(min(n-i, max(i, 8)), size, remaining))
}

// newSliceFor returns a slice of type st to read n elements into, as long
// as the remaining bytes can fill (growFor lengthens it as they are read).
func newSliceFor(st reflect.Type, n, remaining int) reflect.Value {
	c := preallocLen(n, st.Elem().Size(), remaining)
	return reflect.MakeSlice(st, c, c)
}

// growFor returns rv, or a longer copy of it when element i of n does not
// fit: every element before i has been read.
func growFor(rv reflect.Value, i, n, remaining int) reflect.Value {
	if i < rv.Len() {
		return rv
	}
	c := grownLen(i, n, rv.Type().Elem().Size(), remaining)
	next := reflect.MakeSlice(rv.Type(), c, c)
	reflect.Copy(next, rv)
	return next
}

// minPayloadBytes returns the fewest payload bytes a value of type t takes
// in a query payload: an array's elements are all written (each at least
// one byte), anything else takes at least one. Elements whose encoding
// cannot fit in the remaining bytes are refused before they are allocated.
func minPayloadBytes(t reflect.Type) int {
	n := 1
	for t.Kind() == reflect.Array {
		n = satMul(n, t.Len())
		t = t.Elem()
	}
	return n
}

// satMul multiplies non-negative ints, saturating at math.MaxInt32.
func satMul(a, b int) int {
	if a > 0 && b > math.MaxInt32/a {
		return math.MaxInt32
	}
	return max(a*b, 1)
}

// satAdd adds non-negative ints, saturating at math.MaxInt32.
func satAdd(a, b int) int { return min(a+b, math.MaxInt32) }

// fits reports whether n values of at least each bytes fit in the
// remaining bytes.
func fits(n, each, remaining int) bool {
	return n == 0 || each <= remaining/n
}
