package serializer

import "reflect"

// assign stores a decoded value into dst, converting between the decoded
// and the declared type where no information is lost.
func (d *decoder) assign(dst reflect.Value, v any) error {
	if v == nil {
		return d.assignNil(dst)
	}
	sv := reflect.ValueOf(v)
	st := sv.Type()
	if st == dst.Type() || dst.Kind() == reflect.Interface && st.Implements(dst.Type()) {
		dst.Set(sv)
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		p := reflect.New(dst.Type().Elem())
		if err := d.assign(p.Elem(), v); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	case reflect.Slice, reflect.Array, reflect.Map:
		if done, err := d.assignCollection(dst, sv); done || err != nil {
			return err
		}
	default:
		if assignScalar(dst, sv) {
			return nil
		}
	}
	return d.corrupt("a %s cannot hold a decoded %s", dst.Type(), st)
}

func (d *decoder) assignNil(dst reflect.Value) error {
	if dst.Type() == expressionType {
		// GORM builds every expression of a list; a nil one panics there.
		return d.corrupt("nil clause expression in a collection")
	}
	switch dst.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		dst.SetZero()
		return nil
	}
	return d.corrupt("nil for a value of type %s", dst.Type())
}

// assignScalar stores sv into a number, string, bool or struct dst when
// it fits; it reports whether it did.
func assignScalar(dst, sv reflect.Value) bool {
	st := sv.Type()
	switch dst.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if sv.CanInt() && !dst.OverflowInt(sv.Int()) {
			dst.SetInt(sv.Int())
			return true
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if sv.CanUint() && !dst.OverflowUint(sv.Uint()) {
			dst.SetUint(sv.Uint())
			return true
		}
		if sv.CanInt() && sv.Int() >= 0 && !dst.OverflowUint(uint64(sv.Int())) {
			dst.SetUint(uint64(sv.Int()))
			return true
		}
	case reflect.Float32, reflect.Float64:
		if sv.CanFloat() {
			dst.SetFloat(sv.Float())
			return true
		}
	case reflect.String:
		if st.Kind() == reflect.String {
			dst.SetString(sv.String())
			return true
		}
	case reflect.Bool:
		if st.Kind() == reflect.Bool {
			dst.SetBool(sv.Bool())
			return true
		}
	case reflect.Struct:
		if st.Kind() == reflect.Struct && st.ConvertibleTo(dst.Type()) {
			dst.Set(sv.Convert(dst.Type()))
			return true
		}
	}
	return false
}

// assignCollection stores sv into a slice, array or map dst element by
// element when their kinds match; it reports whether it did.
func (d *decoder) assignCollection(dst, sv reflect.Value) (bool, error) {
	st := sv.Type()
	switch dst.Kind() {
	case reflect.Slice:
		if st.Kind() == reflect.Slice {
			out := reflect.MakeSlice(dst.Type(), sv.Len(), sv.Len())
			if err := d.assignElems(out, sv); err != nil {
				return true, err
			}
			dst.Set(out)
			return true, nil
		}
	case reflect.Array:
		if (st.Kind() == reflect.Array || st.Kind() == reflect.Slice) && sv.Len() == dst.Len() {
			return true, d.assignElems(dst, sv)
		}
	case reflect.Map:
		if st.Kind() == reflect.Map {
			return true, d.assignMap(dst, sv)
		}
	}
	return false, nil
}

// assignElems assigns each element of sv to the element of dst at its
// index.
func (d *decoder) assignElems(dst, sv reflect.Value) error {
	for i := 0; i < sv.Len(); i++ {
		if err := d.assign(dst.Index(i), sv.Index(i).Interface()); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) assignMap(dst, sv reflect.Value) error {
	out := reflect.MakeMapWithSize(dst.Type(), sv.Len())
	iter := sv.MapRange()
	for iter.Next() {
		k := reflect.New(dst.Type().Key()).Elem()
		if err := d.assign(k, iter.Key().Interface()); err != nil {
			return err
		}
		val := reflect.New(dst.Type().Elem()).Elem()
		if err := d.assign(val, iter.Value().Interface()); err != nil {
			return err
		}
		out.SetMapIndex(k, val)
	}
	dst.Set(out)
	return nil
}
