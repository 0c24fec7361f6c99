package pickletype

import (
	"errors"
	"fmt"
)

// checkGob walks a gob stream the way encoding/gob's Decoder reads it, up
// to the end of the first value, without decoding anything, and fails if
// the stream is malformed or a count (slice, array, map, string, bytes)
// promises more elements than the bytes that remain. encoding/gob sizes a
// map by the count it reads (reflect.MakeMapWithSize): a 29-byte stream
// claiming 10^8 entries makes it allocate 2.3 GiB, and larger claims abort
// the process. It also pre-allocates up to 10 MB for a slice it then
// cannot fill. The walk visits every element, so every count it accepts
// is backed by elements in the stream; it is linear in len(data).
func checkGob(data []byte) error { return checkGobDepth(data, gobMaxDepth) }

// checkGobDepth is checkGob with values nested at most maxDepth deep.
func checkGobDepth(data []byte, maxDepth int) error {
	w := gobWalker{rest: data, types: map[int64]gobWire{}, maxDepth: maxDepth}
	id, err := w.typeSequence(false)
	if err != nil {
		return err
	}
	return w.value(id, true)
}

// Wire type ids gob predefines (encoding/gob/type.go), and the first id a
// stream may define.
const (
	gobBool      = 1
	gobInt       = 2
	gobUint      = 3
	gobFloat     = 4
	gobBytes     = 5
	gobString    = 6
	gobComplex   = 7
	gobInterface = 8
	gobFirstUser = 64
)

// Kinds of stream-defined types: the fields of gob's wireType, in order.
const (
	gobArray = iota
	gobSlice
	gobStruct
	gobMap
	gobEncoder
	gobBinaryMarshaler
	gobTextMarshaler
	gobWireFields
)

// gobMaxDepth bounds the nesting of values the walk follows (values of
// recursive types, such as linked lists, nest as deep as the data).
const gobMaxDepth = 10000

// gobTooBig is encoding/gob's bound on a message's length.
const gobTooBig = 1 << 30

// gobWire is a type a stream defined.
type gobWire struct {
	kind      int
	key, elem int64
	fields    []int64 // a struct's field types, in wire order
}

// gobWalker holds the current message and the rest of the stream.
type gobWalker struct {
	buf, rest []byte
	types     map[int64]gobWire
	depth     int
	maxDepth  int
}

var errGobTruncated = errors.New("truncated gob stream")

// uint reads gob's unsigned integer: one byte below 0x80, else the
// negated byte count followed by that many big-endian bytes.
func (w *gobWalker) uint() (uint64, error) {
	u, rest, err := readGobUint(w.buf)
	w.buf = rest
	return u, err
}

func readGobUint(b []byte) (uint64, []byte, error) {
	if len(b) == 0 {
		return 0, nil, errGobTruncated
	}
	c := b[0]
	if c < 0x80 {
		return uint64(c), b[1:], nil
	}
	n := -int(int8(c))
	if n > 8 || n+1 > len(b) {
		return 0, nil, errors.New("invalid gob unsigned integer")
	}
	var u uint64
	for _, x := range b[1 : n+1] {
		u = u<<8 | uint64(x)
	}
	return u, b[n+1:], nil
}

// int reads gob's signed integer: a uint whose low bit is the sign.
func (w *gobWalker) int() (int64, error) {
	u, err := w.uint()
	i := int64(u >> 1)
	if u&1 != 0 {
		i = ^i
	}
	return i, err
}

// count reads a length and checks that the stream holds that many items
// of at least size bytes each.
func (w *gobWalker) count(size int) (int, error) {
	u, err := w.uint()
	if err != nil {
		return 0, err
	}
	if left := len(w.buf) + len(w.rest); u > uint64(left/size) {
		return 0, fmt.Errorf("gob count %d exceeds the %d bytes left", u, left)
	}
	return int(u), nil
}

// skip reads a length-prefixed string or byte slice.
func (w *gobWalker) skip() error {
	u, err := w.uint()
	if err != nil {
		return err
	}
	if u > uint64(len(w.buf)) {
		return fmt.Errorf("gob string of %d bytes, %d left in the message", u, len(w.buf))
	}
	w.buf = w.buf[u:]
	return nil
}

// message makes the next message of the stream current.
func (w *gobWalker) message() error {
	n, rest, err := readGobUint(w.rest)
	if err != nil {
		return err
	}
	if n >= gobTooBig || n > uint64(len(rest)) {
		return fmt.Errorf("gob message of %d bytes, %d left", n, len(rest))
	}
	w.buf, w.rest = rest[:n], rest[n:]
	return nil
}

// typeSequence reads type definitions up to the id of the value that
// follows them, as gob's decodeTypeSequence does: inside an interface
// value, a definition may be followed by a delimiting count.
func (w *gobWalker) typeSequence(inInterface bool) (int64, error) {
	for {
		if len(w.buf) == 0 {
			if err := w.message(); err != nil {
				return 0, err
			}
		}
		id, err := w.int()
		if err != nil || id >= 0 {
			return id, err
		}
		if err := w.define(-id); err != nil {
			return 0, err
		}
		if len(w.buf) > 0 {
			if !inInterface {
				return 0, errors.New("extra data after a gob type definition")
			}
			if _, err := w.uint(); err != nil {
				return 0, err
			}
		}
	}
}
