package serializer

import (
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/gormpickle/gormpickle/internal/tzcache"
	"github.com/gormpickle/gormpickle/internal/wire"
)

func (d *Decoder) time() (any, error) {
	sec, err := d.r.ReadInt()
	if err != nil {
		return nil, err
	}
	nsec, err := d.r.ReadInt()
	if err != nil {
		return nil, err
	}
	locName, err := d.str()
	if err != nil {
		return nil, err
	}
	abbrev, err := d.str()
	if err != nil {
		return nil, err
	}
	offset, err := d.r.ReadInt()
	if err != nil {
		return nil, err
	}
	if nsec < 0 || nsec >= 1e9 || offset < -86400 || offset > 86400 {
		return nil, d.corrupt("invalid time (nanoseconds %d, offset %d)", nsec, offset)
	}
	t := time.Unix(sec, nsec)
	return t.In(tzcache.Shared.Location(t, locName, abbrev, int(offset))), nil
}

// checkAlloc bounds the memory a collection of n elements of type el takes
// before it is allocated: every element is at least one payload byte, but
// an element type (a large array) can be far bigger than that.
func (d *Decoder) checkAlloc(n int, el reflect.Type) error {
	if size := el.Size(); size > 0 && uintptr(n) > uintptr(allocFactor*d.limits.MaxBytes)/size {
		return fmt.Errorf("%w: %d elements of %s (%d bytes each)", ErrLimit, n, el, size)
	}
	return nil
}

// allocFactor is how many times the payload size a decoded collection may
// occupy.
const allocFactor = 16

// typeDesc reads a collection element type.
func (d *Decoder) typeDesc() (reflect.Type, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	t, err := d.typeDescValue()
	d.leave()
	return t, err
}

func (d *Decoder) typeDescValue() (reflect.Type, error) {
	if d.r.Peek() == wire.Int {
		code, err := d.r.ReadInt()
		if err != nil {
			return nil, err
		}
		if code < 0 || code >= typBuiltinCount {
			return nil, d.corrupt("unknown type code %d", code)
		}
		return builtinTypeByCode[code], nil
	}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, d.corrupt("type descriptor of %d elements", n)
	}
	kind, err := d.r.ReadInt()
	if err != nil {
		return nil, err
	}
	switch {
	case kind == typNamed && n == 2:
		id, err := d.sym()
		if err != nil {
			return nil, err
		}
		return d.namedType(id)
	case kind == typSliceOf && n == 2:
		el, err := d.typeDesc()
		if err != nil {
			return nil, err
		}
		return reflect.SliceOf(el), nil
	case kind == typPtrTo && n == 2:
		el, err := d.typeDesc()
		if err != nil {
			return nil, err
		}
		return reflect.PointerTo(el), nil
	case kind == typArrayOf && n == 3:
		length, err := d.r.ReadInt()
		if err != nil {
			return nil, err
		}
		el, err := d.typeDesc()
		if err != nil {
			return nil, err
		}
		if length < 0 || length > int64(d.limits.MaxCollection) || (el.Size() > 0 && uintptr(length) > uintptr(d.limits.MaxBytes)/el.Size()) {
			return nil, fmt.Errorf("%w: array type of %d elements", ErrLimit, length)
		}
		return reflect.ArrayOf(int(length), el), nil
	case kind == typMapOf && n == 3:
		k, err := d.typeDesc()
		if err != nil {
			return nil, err
		}
		v, err := d.typeDesc()
		if err != nil {
			return nil, err
		}
		if !k.Comparable() {
			return nil, d.corrupt("map key type %s is not comparable", k)
		}
		return reflect.MapOf(k, v), nil
	}
	return nil, d.corrupt("unknown type descriptor kind %d", kind)
}

func (d *Decoder) namedType(id string) (reflect.Type, error) {
	t, ok := d.reg.TypeByID(id)
	if !ok {
		return nil, fmt.Errorf("%w: payload uses value type %q, which is not registered on this DB (gormpickle.WithTypes)", ErrUnknownModel, id)
	}
	return t, nil
}

func (d *Decoder) slice(n int) (any, error) {
	el, err := d.typeDesc()
	if err != nil {
		return nil, err
	}
	switch el {
	case builtinTypeByCode[typInterface]:
		out := make([]any, n)
		for i := range out {
			if out[i], err = d.value(); err != nil {
				return nil, err
			}
		}
		return out, nil
	case builtinTypeByCode[typString]:
		out := make([]string, n)
		for i := range out {
			if out[i], err = d.r.ReadString(); err != nil {
				return nil, err
			}
		}
		return out, nil
	case builtinTypeByCode[typInt]:
		// IN lists of ints are the most common long slices: no reflection.
		out := make([]int, n)
		for i := range out {
			d.nodes++
			v, err := d.r.ReadInt()
			if err != nil {
				return nil, err
			}
			if v < math.MinInt || v > math.MaxInt {
				return nil, d.corrupt("integer %d overflows int", v)
			}
			out[i] = int(v)
		}
		if d.nodes > d.limits.MaxNodes {
			return nil, fmt.Errorf("%w: more than %d values", ErrLimit, d.limits.MaxNodes)
		}
		return out, nil
	}
	if err := d.checkAlloc(n, el); err != nil {
		return nil, err
	}
	rv := reflect.MakeSlice(reflect.SliceOf(el), n, n)
	for i := 0; i < n; i++ {
		if err := d.element(rv.Index(i)); err != nil {
			return nil, err
		}
	}
	return rv.Interface(), nil
}

func (d *Decoder) array(n int) (any, error) {
	length, err := d.r.ReadInt()
	if err != nil {
		return nil, err
	}
	if length != int64(n) {
		return nil, d.corrupt("array of length %d holds %d elements", length, n)
	}
	el, err := d.typeDesc()
	if err != nil {
		return nil, err
	}
	if err := d.checkAlloc(n, el); err != nil {
		return nil, err
	}
	rv := reflect.New(reflect.ArrayOf(n, el)).Elem()
	for i := 0; i < n; i++ {
		if err := d.element(rv.Index(i)); err != nil {
			return nil, err
		}
	}
	return rv.Interface(), nil
}

func (d *Decoder) mapValue(n int) (any, error) {
	kt, err := d.typeDesc()
	if err != nil {
		return nil, err
	}
	vt, err := d.typeDesc()
	if err != nil {
		return nil, err
	}
	if !kt.Comparable() {
		return nil, d.corrupt("map key type %s is not comparable", kt)
	}
	if err := d.checkAlloc(n, reflect.StructOf([]reflect.StructField{{Name: "K", Type: kt}, {Name: "V", Type: vt}})); err != nil {
		return nil, err
	}
	m := reflect.MakeMapWithSize(reflect.MapOf(kt, vt), n)
	for i := 0; i < n; i++ {
		k := reflect.New(kt).Elem()
		if err := d.element(k); err != nil {
			return nil, err
		}
		if k.Kind() == reflect.Interface && !k.IsNil() && !k.Elem().Type().Comparable() {
			return nil, d.corrupt("map key of type %s is not comparable", k.Elem().Type())
		}
		v := reflect.New(vt).Elem()
		if err := d.element(v); err != nil {
			return nil, err
		}
		m.SetMapIndex(k, v)
	}
	return m.Interface(), nil
}

func (d *Decoder) structValue(pairs int) (any, error) {
	id, err := d.sym()
	if err != nil {
		return nil, err
	}
	t, err := d.namedType(id)
	if err != nil {
		return nil, err
	}
	if t.Kind() != reflect.Struct {
		return nil, d.corrupt("type %q is not a struct", id)
	}
	rv := reflect.New(t).Elem()
	for i := 0; i < pairs; i++ {
		name, err := d.sym()
		if err != nil {
			return nil, err
		}
		sf, ok := t.FieldByName(name)
		if !ok || !sf.IsExported() || len(sf.Index) != 1 {
			return nil, fmt.Errorf("%w: type %q has no exported field %q", ErrUnknownField, id, name)
		}
		if err := d.element(rv.Field(sf.Index[0])); err != nil {
			return nil, err
		}
	}
	return rv.Interface(), nil
}

func (d *Decoder) named() (any, error) {
	id, err := d.sym()
	if err != nil {
		return nil, err
	}
	t, err := d.namedType(id)
	if err != nil {
		return nil, err
	}
	rv := reflect.New(t).Elem()
	if err := d.element(rv); err != nil {
		return nil, err
	}
	return rv.Interface(), nil
}
