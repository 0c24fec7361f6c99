package serializer

import (
	"math"
	"reflect"

	"github.com/gormpickle/gormpickle/internal/wire"
)

func (d *decoder) signed(tag, i int64) (any, error) {
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

func (d *decoder) unsigned(tag int64, u uint64) (any, error) {
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
func (d *decoder) element(dst reflect.Value) error {
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
