package wire

import (
	"encoding/binary"
	"math"
)

// ReadNil consumes a nil.
func (r *Reader) ReadNil() error {
	c, err := r.byte1()
	if err != nil {
		return err
	}
	if c != 0xc0 {
		r.pos--
		return r.Fail("expected nil, found %s", r.Peek())
	}
	return nil
}

// ReadBool consumes a boolean.
func (r *Reader) ReadBool() (bool, error) {
	c, err := r.byte1()
	if err != nil {
		return false, err
	}
	switch c {
	case 0xc2:
		return false, nil
	case 0xc3:
		return true, nil
	}
	r.pos--
	return false, r.Fail("expected bool, found %s", r.Peek())
}

// ReadInt consumes an integer that fits int64.
func (r *Reader) ReadInt() (int64, error) {
	// Fast path: a non-negative fixint.
	if p := r.pos; p < len(r.data) && r.data[p] < 0x80 {
		r.pos = p + 1
		return int64(r.data[p]), nil
	}
	start := r.pos
	c, err := r.byte1()
	if err != nil {
		return 0, err
	}
	switch {
	case c <= 0x7f:
		return int64(c), nil
	case c >= 0xe0:
		return int64(int8(c)), nil
	}
	var b []byte
	switch c {
	case 0xcc, 0xd0:
		b, err = r.take(1)
	case 0xcd, 0xd1:
		b, err = r.take(2)
	case 0xce, 0xd2:
		b, err = r.take(4)
	case 0xcf, 0xd3:
		b, err = r.take(8)
	default:
		r.pos = start
		return 0, r.Fail("expected integer, found %s", r.Peek())
	}
	if err != nil {
		return 0, err
	}
	switch c {
	case 0xcc:
		return int64(b[0]), nil
	case 0xcd:
		return int64(binary.BigEndian.Uint16(b)), nil
	case 0xce:
		return int64(binary.BigEndian.Uint32(b)), nil
	case 0xcf:
		u := binary.BigEndian.Uint64(b)
		if u > math.MaxInt64 {
			r.pos = start
			return 0, r.Fail("integer %d overflows int64", u)
		}
		return int64(u), nil
	case 0xd0:
		return int64(int8(b[0])), nil
	case 0xd1:
		return int64(int16(binary.BigEndian.Uint16(b))), nil
	case 0xd2:
		return int64(int32(binary.BigEndian.Uint32(b))), nil
	default:
		return int64(binary.BigEndian.Uint64(b)), nil
	}
}

// ReadUint consumes a non-negative integer that fits uint64.
func (r *Reader) ReadUint() (uint64, error) {
	if r.pos < len(r.data) && r.data[r.pos] == 0xcf {
		b, err := r.take(9)
		if err != nil {
			return 0, err
		}
		return binary.BigEndian.Uint64(b[1:]), nil
	}
	start := r.pos
	v, err := r.ReadInt()
	if err != nil {
		return 0, err
	}
	if v < 0 {
		r.pos = start
		return 0, r.Fail("expected unsigned integer, found %d", v)
	}
	return uint64(v), nil
}

// ReadFloat32 consumes a 32-bit float.
func (r *Reader) ReadFloat32() (float32, error) {
	if r.Peek() != Float32 {
		return 0, r.Fail("expected float32, found %s", r.Peek())
	}
	b, err := r.take(5)
	if err != nil {
		return 0, err
	}
	return math.Float32frombits(binary.BigEndian.Uint32(b[1:])), nil
}

// ReadFloat64 consumes a 64-bit float.
func (r *Reader) ReadFloat64() (float64, error) {
	if r.Peek() != Float64 {
		return 0, r.Fail("expected float64, found %s", r.Peek())
	}
	b, err := r.take(9)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.BigEndian.Uint64(b[1:])), nil
}
