// Package alloc sizes the collections a decoder allocates from a payload,
// shared by the query codec (serializer) and the model codec (modelcodec).
//
// Collections are allocated by what the payload can still fill, not by
// what their header claims: every element takes at least one payload byte,
// so up front a collection gets at most [Factor] bytes of memory per
// payload byte that remains, plus a slack, and grows as elements are
// really read. A payload that claims more than it holds fails having
// allocated little.
package alloc

import (
	"math"
	"reflect"
)

const (
	// Factor is the memory pre-allocated per remaining payload byte: a
	// one-byte element (nil, a small integer, an empty string) becomes an
	// interface or string header of 16 bytes.
	Factor = 16
	// slack lets small collections of large elements be allocated in one
	// step.
	slack = 512
)

// PreallocLen returns how many of n elements of size bytes each to
// allocate before any is read, when remaining payload bytes follow.
func PreallocLen(n int, size uintptr, remaining int) int {
	if size == 0 {
		return n
	}
	return min(n, int(uintptr(Factor*remaining+slack)/size))
}

// grownLen is the length to grow a collection of length i, all read, that
// will hold n elements: twice i, but no more than the remaining bytes can
// fill beyond i, and at least one more.
func grownLen(i, n int, size uintptr, remaining int) int {
	return i + max(1, PreallocLen(min(n-i, max(i, 8)), size, remaining))
}

// NewSliceFor returns a slice of type st to read n elements into, as long
// as the remaining bytes can fill ([GrowFor] lengthens it as they are
// read).
func NewSliceFor(st reflect.Type, n, remaining int) reflect.Value {
	c := PreallocLen(n, st.Elem().Size(), remaining)
	return reflect.MakeSlice(st, c, c)
}

// GrowFor returns rv, or a longer copy of it when element i of n does not
// fit: every element before i has been read.
func GrowFor(rv reflect.Value, i, n, remaining int) reflect.Value {
	if i < rv.Len() {
		return rv
	}
	c := grownLen(i, n, rv.Type().Elem().Size(), remaining)
	next := reflect.MakeSlice(rv.Type(), c, c)
	reflect.Copy(next, rv)
	return next
}

// SatMul multiplies non-negative ints, saturating at math.MaxInt32.
func SatMul(a, b int) int {
	if a > 0 && b > math.MaxInt32/a {
		return math.MaxInt32
	}
	return max(a*b, 1)
}

// SatAdd adds non-negative ints, saturating at math.MaxInt32.
func SatAdd(a, b int) int { return min(a+b, math.MaxInt32) }

// Fits reports whether n values of at least each bytes fit in the
// remaining bytes.
func Fits(n, each, remaining int) bool {
	return n == 0 || each <= remaining/n
}
