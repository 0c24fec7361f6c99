package serializer

import (
	"math"
	"reflect"

	"github.com/gormpickle/gormpickle/internal/wire"
)

func (d *Decoder) signed(tag, i int64) (any, error) {
	switch tag {
	case tInt8:
		if i >= math.MinInt8 && i <= math.MaxInt8 {
			return int8(i), nil
		}
	case tInt16:
		if i >= math.MinInt16 && i <= math.MaxInt16 {
			return int16(i), nil
		}
	case tInt32:
		if i >= math.MinInt32 && i <= math.MaxInt32 {
			return int32(i), nil
		}
	default:
		return i, nil
	}
	return nil, d.corrupt("integer %d out of range for tag %d", i, tag)
}

func (d *Decoder) unsigned(tag int64, u uint64) (any, error) {
	switch tag {
	case tUint:
		if u <= math.MaxUint {
			return uint(u), nil
		}
	case tUint8:
		if u <= math.MaxUint8 {
			return uint8(u), nil
		}
	case tUint16:
		if u <= math.MaxUint16 {
			return uint16(u), nil
		}
	case tUint32:
		if u <= math.MaxUint32 {
			return uint32(u), nil
		}
	case tUint64:
		return u, nil
	default:
		return uintptr(u), nil
	}
	return nil, d.corrupt("integer %d out of range for tag %d", u, tag)
}

// element decodes the next value into dst, converting it to dst's type.
func (d *Decoder) element(dst reflect.Value) error {
	// Large unsigned values are written untagged inside named types.
	if d.r.Peek() == wire.Int && isUnsigned(dst.Kind()) {
		u, err := d.r.ReadUint()
		if err != nil {
			return err
		}
		if dst.OverflowUint(u) {
			return d.corrupt("integer %d overflows %s", u, dst.Type())
		}
		dst.SetUint(u)
		return nil
	}
	v, err := d.value()
	if err != nil {
		return err
	}
	return d.assign(dst, v)
}

func isUnsigned(k reflect.Kind) bool {
	return k >= reflect.Uint && k <= reflect.Uintptr
}

// assign stores a decoded value into dst, converting between the decoded
// and the declared type where no information is lost.
func (d *Decoder) assign(dst reflect.Value, v any) error {
	if v == nil {
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
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if sv.CanInt() && !dst.OverflowInt(sv.Int()) {
			dst.SetInt(sv.Int())
			return nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if sv.CanUint() && !dst.OverflowUint(sv.Uint()) {
			dst.SetUint(sv.Uint())
			return nil
		}
		if sv.CanInt() && sv.Int() >= 0 && !dst.OverflowUint(uint64(sv.Int())) {
			dst.SetUint(uint64(sv.Int()))
			return nil
		}
	case reflect.Float32, reflect.Float64:
		if sv.CanFloat() {
			dst.SetFloat(sv.Float())
			return nil
		}
	case reflect.String:
		if st.Kind() == reflect.String {
			dst.SetString(sv.String())
			return nil
		}
	case reflect.Bool:
		if st.Kind() == reflect.Bool {
			dst.SetBool(sv.Bool())
			return nil
		}
	case reflect.Slice:
		if st.Kind() == reflect.Slice {
			out := reflect.MakeSlice(dst.Type(), sv.Len(), sv.Len())
			for i := 0; i < sv.Len(); i++ {
				if err := d.assign(out.Index(i), sv.Index(i).Interface()); err != nil {
					return err
				}
			}
			dst.Set(out)
			return nil
		}
	case reflect.Array:
		if (st.Kind() == reflect.Array || st.Kind() == reflect.Slice) && sv.Len() == dst.Len() {
			for i := 0; i < sv.Len(); i++ {
				if err := d.assign(dst.Index(i), sv.Index(i).Interface()); err != nil {
					return err
				}
			}
			return nil
		}
	case reflect.Map:
		if st.Kind() == reflect.Map {
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
	case reflect.Struct:
		if st.Kind() == reflect.Struct && st.ConvertibleTo(dst.Type()) {
			dst.Set(sv.Convert(dst.Type()))
			return nil
		}
	}
	return d.corrupt("a %s cannot hold a decoded %s", dst.Type(), st)
}
