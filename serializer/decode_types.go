package serializer

import (
	"fmt"
	"math"
	"reflect"
	"time"

	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/tzcache"
	"github.com/gormpickle/gormpickle/internal/wire"
)

func (d *decoder) time() (any, error) {
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

// checkCollection refuses n elements (of type of, or entries of map type
// of) of size bytes each whose memory would pass allocFactor times the
// payload limit however many bytes back them, and n elements of at least
// each payload bytes that the remaining bytes cannot hold, before anything
// is allocated for them.
func (d *decoder) checkCollection(n, each int, size uintptr, of reflect.Type) error {
	if size > 0 && uintptr(n) > uintptr(allocFactor*d.limits.MaxBytes)/size {
		return fmt.Errorf("%w: %d elements of %s (%d bytes each)", ErrLimit, n, of, size)
	}
	if left := d.r.Remaining(); !fits(n, each, left) {
		return d.corrupt("truncated: %d elements of %s take at least %d bytes each, %d bytes left", n, of, each, left)
	}
	return nil
}

// typeDesc reads a collection element type.
func (d *decoder) typeDesc() (reflect.Type, error) { return d.typeDescAt(0) }

// typeDescAt reads a type descriptor inside nesting composite ones.
func (d *decoder) typeDescAt(nesting int) (reflect.Type, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	t, err := d.typeDescValue(nesting)
	d.leave()
	return t, err
}

// elemDesc reads the element (or key) type of a composite descriptor
// inside nesting others.
func (d *decoder) elemDesc(nesting int) (reflect.Type, error) {
	if nesting >= maxTypeNesting {
		return nil, fmt.Errorf("%w: type descriptor nested deeper than %d", ErrLimit, maxTypeNesting)
	}
	return d.typeDescAt(nesting + 1)
}

func (d *decoder) typeDescValue(nesting int) (reflect.Type, error) {
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
		el, err := d.elemDesc(nesting)
		if err != nil {
			return nil, err
		}
		return sliceOf(el)
	case kind == typPtrTo && n == 2:
		el, err := d.elemDesc(nesting)
		if err != nil {
			return nil, err
		}
		return pointerTo(el)
	case kind == typArrayOf && n == 3:
		return d.arrayDesc(nesting)
	case kind == typMapOf && n == 3:
		return d.mapDesc(nesting)
	}
	return nil, d.corrupt("unknown type descriptor kind %d", kind)
}

// arrayDesc reads the length and element type of an array descriptor.
func (d *decoder) arrayDesc(nesting int) (reflect.Type, error) {
	length, err := d.r.ReadInt()
	if err != nil {
		return nil, err
	}
	el, err := d.elemDesc(nesting)
	if err != nil {
		return nil, err
	}
	if length < 0 || length > int64(d.limits.MaxCollection) || (el.Size() > 0 && uintptr(length) > uintptr(d.limits.MaxBytes)/el.Size()) {
		return nil, fmt.Errorf("%w: array type of %d elements", ErrLimit, length)
	}
	return arrayOf(int(length), el)
}

// mapDesc reads the key and element types of a map descriptor.
func (d *decoder) mapDesc(nesting int) (reflect.Type, error) {
	k, err := d.elemDesc(nesting)
	if err != nil {
		return nil, err
	}
	v, err := d.elemDesc(nesting)
	if err != nil {
		return nil, err
	}
	if !k.Comparable() {
		return nil, d.corrupt("map key type %s is not comparable", k)
	}
	return mapOf(k, v)
}

func (d *decoder) namedType(id string) (reflect.Type, error) {
	t, ok := d.reg.TypeByID(id)
	if !ok {
		return nil, fmt.Errorf("%w: payload uses value type %q, which is not registered on this DB (gormpickle.WithTypes)", ErrUnknownModel, id)
	}
	return t, nil
}

func (d *decoder) slice(n int) (any, error) {
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
	if err := d.checkCollection(n, minPayloadBytes(el), el.Size(), el); err != nil {
		return nil, err
	}
	st, err := sliceOf(el)
	if err != nil {
		return nil, err
	}
	rv, err := d.fillSlice(st, n)
	if err != nil {
		return nil, err
	}
	return rv.Interface(), nil
}

// fillSlice reads n elements into a new slice of type st, allocating up
// front only what the remaining bytes can fill and growing as elements are
// read.
func (d *decoder) fillSlice(st reflect.Type, n int) (reflect.Value, error) {
	rv := newSliceFor(st, n, d.r.Remaining())
	for i := 0; i < n; i++ {
		rv = growFor(rv, i, n, d.r.Remaining())
		if err := d.element(rv.Index(i)); err != nil {
			return reflect.Value{}, err
		}
	}
	return rv, nil
}

func (d *decoder) array(n int) (any, error) {
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
	if err := d.checkCollection(n, minPayloadBytes(el), el.Size(), el); err != nil {
		return nil, err
	}
	at, err := arrayOf(n, el)
	if err != nil {
		return nil, err
	}
	rv, err := d.fillArray(at, n)
	if err != nil {
		return nil, err
	}
	return rv.Interface(), nil
}

// fillArray reads n elements into a new array of type at. An array is
// allocated whole, so one larger than the remaining bytes justify is read
// element by element first and copied once every element is there.
func (d *decoder) fillArray(at reflect.Type, n int) (reflect.Value, error) {
	el := at.Elem()
	if preallocLen(n, el.Size(), d.r.Remaining()) == n {
		rv := reflect.New(at).Elem()
		for i := 0; i < n; i++ {
			if err := d.element(rv.Index(i)); err != nil {
				return reflect.Value{}, err
			}
		}
		return rv, nil
	}
	vals := make([]reflect.Value, 0, preallocLen(n, reflect.TypeFor[reflect.Value]().Size(), d.r.Remaining()))
	for i := 0; i < n; i++ {
		v := reflect.New(el).Elem()
		if err := d.element(v); err != nil {
			return reflect.Value{}, err
		}
		vals = append(vals, v)
	}
	rv := reflect.New(at).Elem()
	for i, v := range vals {
		rv.Index(i).Set(v)
	}
	return rv, nil
}

func (d *decoder) mapValue(n int) (any, error) {
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
	mt, err := mapOf(kt, vt)
	if err != nil {
		return nil, err
	}
	entry := kt.Size() + vt.Size() // a map slot holds both; computed without building a type
	if err := d.checkCollection(n, satAdd(minPayloadBytes(kt), minPayloadBytes(vt)), entry, mt); err != nil {
		return nil, err
	}
	m := reflect.MakeMapWithSize(mt, preallocLen(n, entry, d.r.Remaining()))
	for i := 0; i < n; i++ {
		k := reflect.New(kt).Elem()
		if err := d.element(k); err != nil {
			return nil, err
		}
		// The key's value, not only its type: an interface, or an array
		// or struct holding one, may hold a slice, which hashing panics on.
		if !k.Comparable() {
			return nil, d.corrupt("map key %v of type %s is not comparable", k.Type(), kt)
		}
		v := reflect.New(vt).Elem()
		if err := d.element(v); err != nil {
			return nil, err
		}
		m.SetMapIndex(k, v)
	}
	return m.Interface(), nil
}

func (d *decoder) structValue(pairs int) (any, error) {
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
	if err := d.refuseClauseType(t); err != nil {
		return nil, err
	}
	rv := reflect.New(t).Elem()
	for i := 0; i < pairs; i++ {
		name, err := d.sym()
		if err != nil {
			return nil, err
		}
		sf, ok := t.FieldByName(name)
		if !ok { // a model's field renamed since?
			if to, renamed := d.renamedTo(t, name); renamed {
				sf, ok = t.FieldByName(to)
			}
		}
		if !ok || !sf.IsExported() || len(sf.Index) != 1 {
			return nil, fmt.Errorf("%w: type %q has no exported field %q", ErrUnknownField, id, name)
		}
		if err := d.element(rv.Field(sf.Index[0])); err != nil {
			return nil, err
		}
	}
	return rv.Interface(), nil
}

// valueType reads the ID of a registered value type and returns the ID
// and the type: registered, and no clause type written as another's
// fields.
func (d *decoder) valueType() (string, reflect.Type, error) {
	id, err := d.sym()
	if err != nil {
		return "", nil, err
	}
	t, err := d.namedType(id)
	if err == nil {
		err = d.refuseClauseType(t)
	}
	return id, t, err
}

func (d *decoder) named() (any, error) {
	_, t, err := d.valueType()
	if err != nil {
		return nil, err
	}
	if (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && d.r.Peek() == wire.Array {
		return d.namedList(t)
	}
	rv := reflect.New(t).Elem()
	if err := d.element(rv); err != nil {
		return nil, err
	}
	return rv.Interface(), nil
}

// namedList reads the underlying value of a registered slice or array
// type: a plain array of its elements (not a tagged value).
func (d *decoder) namedList(t reflect.Type) (any, error) {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return nil, err
	}
	el := t.Elem()
	if t.Kind() == reflect.Array && n != t.Len() {
		return nil, d.corrupt("%s of %d elements holds %d", t, t.Len(), n)
	}
	if err := d.checkCollection(n, minPayloadBytes(el), el.Size(), el); err != nil {
		return nil, err
	}
	var rv reflect.Value
	if t.Kind() == reflect.Array {
		rv, err = d.fillArray(t, n)
	} else {
		rv, err = d.fillSlice(t, n)
	}
	if err != nil {
		return nil, err
	}
	return rv.Interface(), nil
}

// clausePkgPath is the package of GORM's clause values.
var clausePkgPath = reflect.TypeFor[clause.Column]().PkgPath()

// refuseClauseType refuses a clause value written as a registered type's
// fields: the encoder writes clause values with their own tags, whose
// readers apply the load policy, and a raw column or table built field by
// field would pass none of it.
func (d *decoder) refuseClauseType(t reflect.Type) error {
	if t.PkgPath() == clausePkgPath {
		return d.corrupt("%s written as a registered type's fields", t)
	}
	return nil
}
