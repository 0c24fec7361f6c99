package gormpickle

import (
	"bytes"
	"database/sql/driver"
	"reflect"
	"time"
)

// firstDifferentVar returns the index of the first bind variable that a
// and b do not agree on (a length difference counts at the shorter
// length), or -1.
func firstDifferentVar(a, b []any) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if !sameVar(a[i], b[i], 0) {
			return i
		}
	}
	if len(a) != len(b) {
		return n
	}
	return -1
}

// maxVarDepth bounds sameVar's recursion through nested collections.
const maxVarDepth = 32

// sameVar reports whether the driver would be sent the same value for a
// and b: both are first converted as database/sql converts arguments
// (driver.Valuer's Value, pointers followed, integer and float kinds
// widened, named string and bool types to their kind), then times are
// compared by instant and UTC offset, byte slices by content, other
// slices and arrays element by element and anything else with
// reflect.DeepEqual.
func sameVar(a, b any, depth int) bool {
	a, b = driverValue(a), driverValue(b)
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && sameInstant(x, y)
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	}
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	if depth < maxVarDepth && ra.IsValid() && rb.IsValid() && isList(ra) && isList(rb) {
		if ra.Len() != rb.Len() {
			return false
		}
		for i := 0; i < ra.Len(); i++ {
			if !sameVar(ra.Index(i).Interface(), rb.Index(i).Interface(), depth+1) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// sameInstant compares times as a driver would send them: the same
// instant at the same UTC offset.
func sameInstant(x, y time.Time) bool {
	_, ox := x.Zone()
	_, oy := y.Zone()
	return x.Equal(y) && ox == oy
}

// isList reports whether v is a slice or an array (not of bytes, which
// driverValue has made []byte already).
func isList(v reflect.Value) bool {
	return v.Kind() == reflect.Slice || v.Kind() == reflect.Array
}

// driverValue converts v as database/sql's default converter does, or
// returns v unchanged when that converter refuses it (the driver may
// take it as it is: arrays, driver-specific types).
func driverValue(v any) any {
	if dv, err := driver.DefaultParameterConverter.ConvertValue(v); err == nil {
		return dv
	}
	return v
}
