package modelcodec

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/gormpickle/gormpickle/internal/alloc"
	"github.com/gormpickle/gormpickle/serializer"
)

// charge counts n values of size bytes each against the decoded-size
// budget before they are allocated.
func (d *decoder) charge(n int, size uintptr) error {
	if size > 0 && uintptr(n) > uintptr(d.budget)/size {
		return fmt.Errorf("%w: decoded rows would take more than %d bytes (Limits.MaxDecoded)", serializer.ErrLimit, d.maxDecoded)
	}
	d.budget -= int(uintptr(n) * size)
	return nil
}

// charged returns err, the error of reading n bytes of a string or byte
// slice, or else the error of charging them.
func (d *decoder) charged(n int, err error) error {
	if err != nil {
		return err
	}
	return d.charge(n, 1)
}

// checkFill refuses n values of type t that the remaining bytes cannot
// hold, before anything is allocated for them.
func (d *decoder) checkFill(n int, t reflect.Type) error {
	if left := d.r.Remaining(); !alloc.Fits(n, minModelBytes(t), left) {
		return d.corrupt("truncated: %d values of %s, %d bytes left", n, t, left)
	}
	return nil
}

// minModelBytesOf memoizes minModelBytes by type: model types are the
// application's, a bounded set.
var minModelBytesOf sync.Map // reflect.Type -> int

// minModelBytes returns the fewest payload bytes a value of type t takes
// in a model payload: a time is an array of five values, a byte array its
// bytes, an array or struct all its elements, anything else at least one
// byte (nil for pointers, slices and maps).
func minModelBytes(t reflect.Type) int {
	if n, ok := minModelBytesOf.Load(t); ok {
		return n.(int)
	}
	n := 1
	switch {
	case t == modelTimeType:
		n = 6
	case modelOpaque(t):
	case t.Kind() == reflect.Array && t.Elem().Kind() == reflect.Uint8:
		n = alloc.SatAdd(1, t.Len())
	case t.Kind() == reflect.Array:
		n = alloc.SatAdd(1, alloc.SatMul(t.Len(), minModelBytes(t.Elem())))
	case t.Kind() == reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			n = alloc.SatAdd(n, minModelBytes(t.Field(i).Type))
		}
	}
	minModelBytesOf.Store(t, n)
	return n
}
