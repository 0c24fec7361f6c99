package modelcodec

import (
	"database/sql"
	"fmt"
	"reflect"
	"time"

	"github.com/gormpickle/gormpickle/internal/alloc"
	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

// typed reads a value into v, whose type the model gives.
func (d *decoder) typed(v reflect.Value) error {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > d.limits.MaxDepth {
		return fmt.Errorf("%w: nesting deeper than %d", serializer.ErrLimit, d.limits.MaxDepth)
	}
	t := v.Type()
	if t == modelTimeType {
		tm, err := d.readModelTime()
		if err == nil {
			*v.Addr().Interface().(*time.Time) = tm // v is addressable; Set would box tm
		}
		return err
	}
	if modelOpaque(t) {
		dv, err := d.readDriverValue()
		if err != nil {
			return err
		}
		if err := callScanner(v.Addr().Interface().(sql.Scanner), dv); err != nil {
			return d.corrupt("%s.Scan: %v", t, err)
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Bool:
		b, err := d.r.ReadBool()
		v.SetBool(b)
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := d.r.ReadInt()
		if err != nil {
			return err
		}
		if v.OverflowInt(i) {
			return d.corrupt("%d overflows %s", i, t)
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u, err := d.r.ReadUint()
		if err != nil {
			return err
		}
		if v.OverflowUint(u) {
			return d.corrupt("%d overflows %s", u, t)
		}
		v.SetUint(u)
	case reflect.Float32:
		f, err := d.r.ReadFloat32()
		v.SetFloat(float64(f))
		return err
	case reflect.Float64:
		f, err := d.r.ReadFloat64()
		v.SetFloat(f)
		return err
	case reflect.String:
		s, err := d.r.ReadString()
		v.SetString(s)
		return d.charged(len(s), err)
	case reflect.Pointer:
		return d.pointer(v)
	case reflect.Slice:
		return d.slice(v)
	case reflect.Array:
		return d.array(v)
	case reflect.Map:
		return d.mapValue(v)
	case reflect.Struct:
		return d.structValue(v)
	default:
		return d.corrupt("cannot decode a %s", t)
	}
	return nil
}

// pointer reads nil or the value v points to, allocated within the
// decode budget.
func (d *decoder) pointer(v reflect.Value) error {
	if d.r.Peek() == wire.Nil {
		v.SetZero()
		return d.r.ReadNil()
	}
	t := v.Type()
	if err := d.checkFill(1, t.Elem()); err != nil {
		return err
	}
	if err := d.charge(1, t.Elem().Size()); err != nil {
		return err
	}
	p := reflect.New(t.Elem())
	if err := d.typed(p.Elem()); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

// structValue reads a struct written as the array of its fields, in
// order.
func (d *decoder) structValue(v reflect.Value) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n != v.NumField() {
		return d.corrupt("%d fields for a %s", n, v.Type())
	}
	for i := 0; i < n; i++ {
		if err := d.typed(v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) slice(v reflect.Value) error {
	t := v.Type()
	if d.r.Peek() == wire.Nil {
		v.SetZero()
		return d.r.ReadNil()
	}
	if t.Elem().Kind() == reflect.Uint8 {
		b, err := d.r.ReadBytes()
		if err != nil {
			return err
		}
		v.SetBytes(b)
		return d.charge(len(b), 1)
	}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if err := d.checkFill(n, t.Elem()); err != nil {
		return err
	}
	if err := d.charge(n, t.Elem().Size()); err != nil {
		return err
	}
	s := alloc.NewSliceFor(t, n, d.r.Remaining())
	for i := 0; i < n; i++ {
		s = alloc.GrowFor(s, i, n, d.r.Remaining())
		if err := d.typed(s.Index(i)); err != nil {
			return err
		}
	}
	v.Set(s)
	return nil
}

func (d *decoder) array(v reflect.Value) error {
	t := v.Type()
	if t.Elem().Kind() == reflect.Uint8 {
		b, err := d.r.ReadBytes()
		if err != nil {
			return err
		}
		if len(b) != v.Len() {
			return d.corrupt("%d bytes for a %s", len(b), t)
		}
		reflect.Copy(v, reflect.ValueOf(b))
		return nil
	}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n != v.Len() {
		return d.corrupt("%d elements for a %s", n, t)
	}
	for i := 0; i < n; i++ {
		if err := d.typed(v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) mapValue(v reflect.Value) error {
	t := v.Type()
	if d.r.Peek() == wire.Nil {
		v.SetZero()
		return d.r.ReadNil()
	}
	n, err := d.r.ReadMapLen()
	if err != nil {
		return err
	}
	entry := t.Key().Size() + t.Elem().Size()
	if left := d.r.Remaining(); !alloc.Fits(n, alloc.SatAdd(minModelBytes(t.Key()), minModelBytes(t.Elem())), left) {
		return d.corrupt("truncated: %d entries of %s, %d bytes left", n, t, left)
	}
	if err := d.charge(n, entry); err != nil {
		return err
	}
	m := reflect.MakeMapWithSize(t, alloc.PreallocLen(n, entry, d.r.Remaining()))
	k, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
	for i := 0; i < n; i++ {
		k.SetZero()
		val.SetZero()
		if err := d.typed(k); err != nil {
			return err
		}
		if !k.Comparable() { // an interface key holding a slice: hashing it panics
			return d.corrupt("map key of %s is not comparable", t)
		}
		if err := d.typed(val); err != nil {
			return err
		}
		m.SetMapIndex(k, val)
	}
	v.Set(m)
	return nil
}
