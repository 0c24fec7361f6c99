package serializer

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"time"
)

var scannerType = reflect.TypeOf((*sql.Scanner)(nil)).Elem()

// scannable reports whether values of t can travel as their driver value:
// t is a driver.Valuer and *t an sql.Scanner, which reads it back.
func scannable(t reflect.Type) bool {
	return t.Implements(valuerType) && reflect.PointerTo(t).Implements(scannerType)
}

// driverValue writes [tValuer, id, v] for rv, a value of registered type
// id, where v is what rv's Value method returns.
func (e *encoder) driverValue(rv reflect.Value, id, where string) error {
	dv, err := rv.Interface().(driver.Valuer).Value()
	if err != nil {
		return fmt.Errorf("%w: %s in %s: Value(): %v", ErrNotSerializable, rv.Type(), where, err)
	}
	switch dv.(type) {
	case nil, int64, float64, bool, []byte, string, time.Time:
	default:
		return e.unsupported(rv.Type(), where, fmt.Sprintf("Value() returned a %T, not a driver.Value", dv))
	}
	e.useVersion3()
	e.w.ArrayLen(3)
	e.w.Int(tValuer)
	e.sym(id)
	return e.value(dv, where)
}

// typeRegistered reports whether t is a registered value type.
func (e *encoder) typeRegistered(t reflect.Type) bool {
	_, ok := e.reg.TypeID(t)
	return ok
}

// encMark is a point of the output to return to (see rewind).
type encMark struct{ buf, syms int }

func (e *encoder) mark() encMark { return encMark{len(e.w.Buf), len(e.syms)} }

// rewind drops what was written since m, identifiers interned since
// included: a later reference to one would name bytes no longer there.
func (e *encoder) rewind(m encMark) {
	e.w.Buf = e.w.Buf[:m.buf]
	e.forgetSyms(m.syms)
}

// forgetSyms drops the identifiers interned after the first n.
func (e *encoder) forgetSyms(n int) {
	if len(e.syms) == n {
		return
	}
	for s, i := range e.syms {
		if i >= n {
			delete(e.syms, s)
		}
	}
}

// byteSlice returns the bytes of rv, a slice or array of a byte kind.
func byteSlice(rv reflect.Value) []byte {
	if rv.Kind() == reflect.Slice {
		return rv.Bytes()
	}
	b := make([]byte, rv.Len())
	for i := range b {
		b[i] = byte(rv.Index(i).Uint())
	}
	return b
}
