// Package wire reads and writes the subset of MessagePack that gormpickle's
// formats use, over plain byte slices. Writing appends to a caller-owned
// buffer; reading checks every length prefix against the bytes that remain
// and against caller-set limits before allocating, and never panics.
// Reader.Skip walks any MessagePack value (extension values included): the
// one walker the project has, which also checks values before the msgpack
// package (which trusts length prefixes) decodes them.
package wire

import (
	"encoding/binary"
	"math"
)

// Writer appends MessagePack values to a byte slice.
type Writer struct {
	Buf []byte
}

// Nil writes nil.
func (w *Writer) Nil() { w.Buf = append(w.Buf, 0xc0) }

// Bool writes a boolean.
func (w *Writer) Bool(v bool) {
	if v {
		w.Buf = append(w.Buf, 0xc3)
	} else {
		w.Buf = append(w.Buf, 0xc2)
	}
}

// Int writes a signed integer in its shortest form.
func (w *Writer) Int(v int64) {
	switch {
	case v >= 0:
		w.Uint(uint64(v))
	case v >= -32:
		w.Buf = append(w.Buf, byte(v))
	case v >= math.MinInt8:
		w.Buf = append(w.Buf, 0xd0, byte(v))
	case v >= math.MinInt16:
		w.Buf = binary.BigEndian.AppendUint16(append(w.Buf, 0xd1), uint16(v))
	case v >= math.MinInt32:
		w.Buf = binary.BigEndian.AppendUint32(append(w.Buf, 0xd2), uint32(v))
	default:
		w.Buf = binary.BigEndian.AppendUint64(append(w.Buf, 0xd3), uint64(v))
	}
}

// Uint writes an unsigned integer in its shortest form.
func (w *Writer) Uint(v uint64) {
	switch {
	case v <= 0x7f:
		w.Buf = append(w.Buf, byte(v))
	case v <= math.MaxUint8:
		w.Buf = append(w.Buf, 0xcc, byte(v))
	case v <= math.MaxUint16:
		w.Buf = binary.BigEndian.AppendUint16(append(w.Buf, 0xcd), uint16(v))
	case v <= math.MaxUint32:
		w.Buf = binary.BigEndian.AppendUint32(append(w.Buf, 0xce), uint32(v))
	default:
		w.Buf = binary.BigEndian.AppendUint64(append(w.Buf, 0xcf), v)
	}
}

// Float32 writes a 32-bit float.
func (w *Writer) Float32(v float32) {
	w.Buf = binary.BigEndian.AppendUint32(append(w.Buf, 0xca), math.Float32bits(v))
}

// Float64 writes a 64-bit float.
func (w *Writer) Float64(v float64) {
	w.Buf = binary.BigEndian.AppendUint64(append(w.Buf, 0xcb), math.Float64bits(v))
}

// String writes a UTF-8 string.
func (w *Writer) String(s string) {
	n := len(s)
	switch {
	case n <= 31:
		w.Buf = append(w.Buf, 0xa0|byte(n))
	case n <= math.MaxUint8:
		w.Buf = append(w.Buf, 0xd9, byte(n))
	case n <= math.MaxUint16:
		w.Buf = binary.BigEndian.AppendUint16(append(w.Buf, 0xda), uint16(n))
	default:
		w.Buf = binary.BigEndian.AppendUint32(append(w.Buf, 0xdb), uint32(n))
	}
	w.Buf = append(w.Buf, s...)
}

// Bytes writes a binary blob.
func (w *Writer) Bytes(b []byte) {
	n := len(b)
	switch {
	case n <= math.MaxUint8:
		w.Buf = append(w.Buf, 0xc4, byte(n))
	case n <= math.MaxUint16:
		w.Buf = binary.BigEndian.AppendUint16(append(w.Buf, 0xc5), uint16(n))
	default:
		w.Buf = binary.BigEndian.AppendUint32(append(w.Buf, 0xc6), uint32(n))
	}
	w.Buf = append(w.Buf, b...)
}

// ArrayLen writes the header of an array of n values.
func (w *Writer) ArrayLen(n int) {
	switch {
	case n <= 15:
		w.Buf = append(w.Buf, 0x90|byte(n))
	case n <= math.MaxUint16:
		w.Buf = binary.BigEndian.AppendUint16(append(w.Buf, 0xdc), uint16(n))
	default:
		w.Buf = binary.BigEndian.AppendUint32(append(w.Buf, 0xdd), uint32(n))
	}
}

// MapLen writes the header of a map of n key/value pairs.
func (w *Writer) MapLen(n int) {
	switch {
	case n <= 15:
		w.Buf = append(w.Buf, 0x80|byte(n))
	case n <= math.MaxUint16:
		w.Buf = binary.BigEndian.AppendUint16(append(w.Buf, 0xde), uint16(n))
	default:
		w.Buf = binary.BigEndian.AppendUint32(append(w.Buf, 0xdf), uint32(n))
	}
}
