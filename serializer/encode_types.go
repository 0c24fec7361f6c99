package serializer

import (
	"bytes"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// time writes an instant with its location: seconds, nanoseconds, the
// location's name, the zone abbreviation and its offset.
func (e *encoder) time(t time.Time) {
	name, offset := t.Zone()
	e.w.ArrayLen(6)
	e.w.Int(tTime)
	e.w.Int(t.Unix())
	e.w.Int(int64(t.Nanosecond()))
	e.w.String(t.Location().String())
	e.w.String(name)
	e.w.Int(int64(offset))
}

// reflectValue encodes what the fast paths in value do not cover.
func (e *encoder) reflectValue(rv reflect.Value, where string) error {
	if name, id, ok := e.reg.reference(rv.Interface()); ok {
		e.w.ArrayLen(3)
		e.w.Int(tRef)
		e.sym(name)
		e.w.String(id)
		return nil
	}
	t := rv.Type()
	if id, ok := e.reg.TypeID(t); ok {
		return e.named(rv, id, where)
	}
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		e.w.Nil()
		return nil
	}
	if t.Implements(gormValuerType) {
		if rv.Kind() == reflect.Pointer && e.typeRegistered(t.Elem()) {
			// A pointer to a registered type travels as the value.
			return e.value(rv.Elem().Interface(), where)
		}
		return e.unsupported(t, where, "gorm.Valuer values render SQL on the target; register the type with gormpickle.WithTypes")
	}
	if t.Implements(valuerType) {
		// Frozen at dump time: the driver value travels, not the Go type.
		dv, err := rv.Interface().(driver.Valuer).Value()
		if err != nil {
			return fmt.Errorf("%w: %s in %s: Value(): %v", ErrNotSerializable, t, where, err)
		}
		return e.value(dv, where)
	}
	if rv.Kind() == reflect.Pointer {
		return e.value(rv.Elem().Interface(), where)
	}
	if t.Implements(expressionType) {
		if done, err := e.genericsChain(rv, where); done {
			return err
		}
		return e.unsupported(t, where, "unregistered clause.Expression; register it with gormpickle.WithTypes")
	}
	if t.Name() != "" && t.PkgPath() != "" {
		return e.unsupported(t, where, "named types must be registered with gormpickle.WithTypes (or implement driver.Valuer)")
	}
	switch rv.Kind() {
	case reflect.Int8:
		return e.tagged(tInt8, rv.Int())
	case reflect.Int16:
		return e.tagged(tInt16, rv.Int())
	case reflect.Int32:
		return e.tagged(tInt32, rv.Int())
	case reflect.Int64:
		return e.tagged(tInt64, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.w.ArrayLen(2)
		e.w.Int(int64(tUint + (rv.Kind() - reflect.Uint)))
		e.w.Uint(rv.Uint())
		return nil
	case reflect.Float32:
		e.w.ArrayLen(2)
		e.w.Int(tFloat32)
		e.w.Float32(float32(rv.Float()))
		return nil
	case reflect.Slice:
		if rv.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.slice(rv, where)
	case reflect.Array:
		return e.slice(rv, where)
	case reflect.Map:
		if rv.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.mapValue(rv, where)
	}
	return e.unsupported(t, where, "")
}

func (e *encoder) unsupported(t reflect.Type, where, reason string) error {
	return &UnsupportedTypeError{Type: t.String(), Where: where, Reason: reason}
}

func (e *encoder) tagged(tag int64, v int64) error {
	e.w.ArrayLen(2)
	e.w.Int(tag)
	e.w.Int(v)
	return nil
}

// slice writes [tSlice, elemType, items...] or [tArray, len, elemType, items...].
func (e *encoder) slice(rv reflect.Value, where string) error {
	n := rv.Len()
	if rv.Kind() == reflect.Array {
		e.w.ArrayLen(3 + n)
		e.w.Int(tArray)
		e.w.Int(int64(n))
	} else {
		e.w.ArrayLen(2 + n)
		e.w.Int(tSlice)
	}
	if err := e.typeDesc(rv.Type().Elem(), where); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := e.element(rv.Index(i), where); err != nil {
			return err
		}
	}
	return nil
}

// element writes one element of a collection; a nil interface element is
// written as plain nil.
func (e *encoder) element(ev reflect.Value, where string) error {
	if ev.Kind() == reflect.Interface {
		if ev.IsNil() {
			e.w.Nil()
			return nil
		}
		ev = ev.Elem()
	}
	return e.value(ev.Interface(), where)
}

// mapValue writes [tMap, keyType, valueType, k1, v1, ...] with entries
// sorted by their encoded key, so equal maps give equal bytes. Keys are
// encoded for sorting from the identifier table as it is at the map, then
// everything is written in order: an identifier is interned where it
// first appears in the bytes, which the reader needs.
func (e *encoder) mapValue(rv reflect.Value, where string) error {
	type entry struct {
		sortKey []byte
		k, v    reflect.Value
	}
	entries := make([]entry, 0, rv.Len())
	outer, syms := e.w, len(e.syms)
	iter := rv.MapRange()
	for iter.Next() {
		e.w = wire.Writer{}
		err := e.element(iter.Key(), where)
		e.forgetSyms(syms)
		if err != nil {
			e.w = outer
			return err
		}
		entries = append(entries, entry{e.w.Buf, iter.Key(), iter.Value()})
	}
	e.w = outer
	sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].sortKey, entries[j].sortKey) < 0 })
	e.w.ArrayLen(3 + 2*len(entries))
	e.w.Int(tMap)
	if err := e.typeDesc(rv.Type().Key(), where); err != nil {
		return err
	}
	if err := e.typeDesc(rv.Type().Elem(), where); err != nil {
		return err
	}
	for _, en := range entries {
		if err := e.element(en.k, where); err != nil {
			return err
		}
		if err := e.element(en.v, where); err != nil {
			return err
		}
	}
	return nil
}

// named writes a value of a registered type: a struct field by field
// ([tStruct, id, name1, v1, ...]), anything else as its underlying value
// ([tNamed, id, value]). A struct whose fields cannot all be written (an
// unexported one is set: decimal.Decimal, datatypes.Date) is written as
// its driver value ([tValuer, id, value]) when it is a driver.Valuer whose
// pointer is an sql.Scanner, which restores it.
func (e *encoder) named(rv reflect.Value, id, where string) error {
	t := rv.Type()
	if t.Kind() != reflect.Struct {
		e.w.ArrayLen(3)
		e.w.Int(tNamed)
		e.sym(id)
		return e.underlying(rv, where)
	}
	if !scannable(t) {
		return e.fields(rv, id, where)
	}
	m := e.mark()
	err := e.fields(rv, id, where)
	if !errors.Is(err, ErrNotSerializable) {
		return err
	}
	e.rewind(m)
	if e.driverValue(rv, id, where) != nil {
		return err // what the fields could not do
	}
	return nil
}

// fields writes a registered struct field by field.
func (e *encoder) fields(rv reflect.Value, id, where string) error {
	t := rv.Type()
	n := 0
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			n++
		} else if !rv.Field(i).IsZero() {
			return e.unsupported(t, where, "unexported field "+t.Field(i).Name+" is set")
		}
	}
	e.w.ArrayLen(2 + 2*n)
	e.w.Int(tStruct)
	e.sym(id)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		e.sym(f.Name)
		if err := e.element(rv.Field(i), where); err != nil {
			return err
		}
	}
	return nil
}

// underlying writes a named non-struct value as its underlying kind.
func (e *encoder) underlying(rv reflect.Value, where string) error {
	switch rv.Kind() {
	case reflect.String:
		e.w.String(rv.String())
	case reflect.Bool:
		e.w.Bool(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.w.Int(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.w.Uint(rv.Uint())
	case reflect.Float32, reflect.Float64:
		e.w.Float64(rv.Float())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			e.w.Nil()
			return nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			e.w.Bytes(byteSlice(rv)) // json.RawMessage, datatypes.JSON, [16]byte
			return nil
		}
		e.w.ArrayLen(rv.Len())
		for i := 0; i < rv.Len(); i++ {
			if err := e.element(rv.Index(i), where); err != nil {
				return err
			}
		}
	case reflect.Map:
		return e.mapValue(rv, where)
	case reflect.Pointer:
		if rv.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.element(rv.Elem(), where)
	default:
		return e.unsupported(rv.Type(), where, "")
	}
	return nil
}
