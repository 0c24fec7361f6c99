package wire

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Kind is the type of the next MessagePack value.
type Kind uint8

// Kinds of values.
const (
	Invalid Kind = iota
	Nil
	Bool
	Int // any integer format
	Float32
	Float64
	Str
	Bin
	Array
	Map
)

var kindNames = [...]string{"invalid", "nil", "bool", "int", "float32", "float64", "string", "binary", "array", "map"}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Error is a decoding failure at an offset. Limit is true when the input
// is well formed but exceeds a configured bound.
type Error struct {
	Offset int
	Msg    string
	Limit  bool
}

// Error describes the failure with its offset.
func (e *Error) Error() string { return fmt.Sprintf("at byte %d: %s", e.Offset, e.Msg) }

// Limits bound what a Reader accepts.
type Limits struct {
	MaxCollection int // elements of one array or map
	MaxString     int // bytes of one string or binary value
}

// Reader decodes MessagePack values from a byte slice.
type Reader struct {
	data   []byte
	text   string // data as a string once ShareStrings is on and a string was read
	share  bool
	pos    int
	limits Limits
}

// NewReader returns a reader over data. Zero limits mean "no bound beyond
// the remaining bytes".
func NewReader(data []byte, limits Limits) *Reader {
	if limits.MaxCollection <= 0 {
		limits.MaxCollection = math.MaxInt32
	}
	if limits.MaxString <= 0 {
		limits.MaxString = math.MaxInt32
	}
	return &Reader{data: data, limits: limits}
}

// Reset points r at data with new limits, as NewReader does, for a
// Reader kept by value.
func (r *Reader) Reset(data []byte, limits Limits) {
	if limits.MaxCollection <= 0 {
		limits.MaxCollection = math.MaxInt32
	}
	if limits.MaxString <= 0 {
		limits.MaxString = math.MaxInt32
	}
	// Field by field, and text only when set (see "Runtime facts" in docs/performance.md).
	r.data, r.pos, r.share, r.limits = data, 0, false, limits
	if r.text != "" {
		r.text = ""
	}
}

// Offset returns the position of the next value.
func (r *Reader) Offset() int { return r.pos }

// Len returns the size of the input.
func (r *Reader) Len() int { return len(r.data) }

// Remaining returns how many bytes are left.
func (r *Reader) Remaining() int { return len(r.data) - r.pos }

// Fail returns an *Error at the current offset.
func (r *Reader) Fail(format string, args ...any) error {
	return &Error{Offset: r.pos, Msg: fmt.Sprintf(format, args...)}
}

func (r *Reader) limitErr(format string, args ...any) error {
	return &Error{Offset: r.pos, Msg: fmt.Sprintf(format, args...), Limit: true}
}

// Peek returns the kind of the next value without consuming it.
func (r *Reader) Peek() Kind {
	if r.pos >= len(r.data) {
		return Invalid
	}
	return kindOf[r.data[r.pos]]
}

// kindOf maps a MessagePack format byte to its kind (a table: Peek runs
// before nearly every read).
var kindOf = func() (t [256]Kind) {
	for c := 0; c < 256; c++ {
		switch {
		case c <= 0x7f || c >= 0xe0:
			t[c] = Int
		case c <= 0x8f:
			t[c] = Map
		case c <= 0x9f:
			t[c] = Array
		case c <= 0xbf:
			t[c] = Str
		}
	}
	for _, k := range []struct {
		kind  Kind
		bytes []int
	}{
		{Nil, []int{0xc0}},
		{Bool, []int{0xc2, 0xc3}},
		{Bin, []int{0xc4, 0xc5, 0xc6}},
		{Float32, []int{0xca}},
		{Float64, []int{0xcb}},
		{Int, []int{0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3}},
		{Str, []int{0xd9, 0xda, 0xdb}},
		{Array, []int{0xdc, 0xdd}},
		{Map, []int{0xde, 0xdf}},
	} {
		for _, c := range k.bytes {
			t[c] = k.kind
		}
	}
	return t
}()

// take consumes n bytes. It and byte1 are kept small enough to inline;
// their errors are built out of line.
func (r *Reader) take(n int) ([]byte, error) {
	if p := r.pos; n >= 0 && n <= len(r.data)-p {
		r.pos = p + n
		return r.data[p:r.pos], nil
	}
	return nil, r.short(n)
}

func (r *Reader) short(n int) error {
	if r.pos >= len(r.data) {
		return r.Fail("truncated: unexpected end of input")
	}
	return r.Fail("truncated: need %d bytes, %d left", n, len(r.data)-r.pos)
}

func (r *Reader) byte1() (byte, error) {
	if p := r.pos; p < len(r.data) {
		r.pos = p + 1
		return r.data[p], nil
	}
	return 0, r.short(1)
}

// lenPrefix reads a length of 1, 2 or 4 bytes.
func (r *Reader) lenPrefix(size int) (int, error) {
	b, err := r.take(size)
	if err != nil {
		return 0, err
	}
	switch size {
	case 1:
		return int(b[0]), nil
	case 2:
		return int(binary.BigEndian.Uint16(b)), nil
	default:
		return int(binary.BigEndian.Uint32(b)), nil
	}
}

// readStrLen consumes a string header and checks its length.
func (r *Reader) readStrLen() (int, error) {
	start := r.pos
	c, err := r.byte1()
	if err != nil {
		return 0, err
	}
	var n int
	switch {
	case c >= 0xa0 && c <= 0xbf:
		n = int(c & 0x1f)
	case c == 0xd9:
		n, err = r.lenPrefix(1)
	case c == 0xda:
		n, err = r.lenPrefix(2)
	case c == 0xdb:
		n, err = r.lenPrefix(4)
	default:
		r.pos = start
		return 0, r.Fail("expected string, found %s", r.Peek())
	}
	if err != nil {
		return 0, err
	}
	return r.checkLen(n, r.limits.MaxString, "string")
}

func (r *Reader) checkLen(n, limit int, what string) (int, error) {
	if n > limit {
		return 0, r.limitErr("%s of %d bytes exceeds the limit of %d", what, n, limit)
	}
	if n > r.Remaining() {
		return 0, r.Fail("truncated: %s of %d bytes, %d left", what, n, r.Remaining())
	}
	return n, nil
}

// ShareStrings makes ReadString return substrings of one copy of the
// input, made at the first string read, instead of a copy per string:
// one allocation per payload rather than one per string. The strings keep
// that copy alive, so it suits small inputs whose strings are kept
// together (a decoded query), not large ones with a few kept strings.
func (r *Reader) ShareStrings() { r.share = true }

// ReadString consumes a string.
func (r *Reader) ReadString() (string, error) {
	start, end, ok := r.strSpan()
	if !ok {
		n, err := r.readStrLen() // an error, or a 32-bit length
		if err != nil {
			return "", err
		}
		start = r.pos
		end = start + n
	}
	r.pos = end
	if !r.share || start == end {
		return string(r.data[start:end]), nil
	}
	return r.shared(start, end-start), nil
}

// strSpan finds the bytes of a string of the common forms (fixstr, str8,
// str16) within the limits, without consuming it; ok is false for
// anything else, which readStrLen then reads or reports.
func (r *Reader) strSpan() (start, end int, ok bool) {
	p := r.pos
	if p >= len(r.data) {
		return 0, 0, false
	}
	var n int
	switch c := r.data[p]; {
	case c&0xe0 == 0xa0:
		n, start = int(c&0x1f), p+1
	case c == 0xd9 && p+1 < len(r.data):
		n, start = int(r.data[p+1]), p+2
	case c == 0xda && p+2 < len(r.data):
		n, start = int(binary.BigEndian.Uint16(r.data[p+1:])), p+3
	default:
		return 0, 0, false
	}
	if n > r.limits.MaxString || n > len(r.data)-start {
		return 0, 0, false
	}
	return start, start + n, true
}

func (r *Reader) shared(start, n int) string {
	if r.text == "" {
		r.text = string(r.data)
	}
	return r.text[start : start+n]
}

// StringOf returns b, a slice returned by ReadStringBytes, as a string,
// shared with the input like ReadString's under ShareStrings.
func (r *Reader) StringOf(b []byte) string {
	if !r.share || len(b) == 0 {
		return string(b)
	}
	return r.shared(cap(r.data)-cap(b), len(b))
}

// ReadStringBytes consumes a string and returns its bytes without copying;
// they alias the input.
func (r *Reader) ReadStringBytes() ([]byte, error) {
	if start, end, ok := r.strSpan(); ok {
		r.pos = end
		return r.data[start:end], nil // StringOf finds the offset from cap
	}
	n, err := r.readStrLen()
	if err != nil {
		return nil, err
	}
	return r.take(n)
}

// ReadBytes consumes a binary value and returns a copy of it.
func (r *Reader) ReadBytes() ([]byte, error) {
	start := r.pos
	c, err := r.byte1()
	if err != nil {
		return nil, err
	}
	var n int
	switch c {
	case 0xc4:
		n, err = r.lenPrefix(1)
	case 0xc5:
		n, err = r.lenPrefix(2)
	case 0xc6:
		n, err = r.lenPrefix(4)
	default:
		r.pos = start
		return nil, r.Fail("expected binary, found %s", r.Peek())
	}
	if err != nil {
		return nil, err
	}
	if n, err = r.checkLen(n, r.limits.MaxString, "binary value"); err != nil {
		return nil, err
	}
	b, _ := r.take(n)
	return append(make([]byte, 0, n), b...), nil
}

// ReadArrayLen consumes an array header. The length is checked against the
// collection limit and the remaining bytes (every element takes at least one).
func (r *Reader) ReadArrayLen() (int, error) {
	// Fast path: a short array (fixarray) within the limits.
	if p := r.pos; p < len(r.data) {
		c := r.data[p]
		if n := int(c & 0x0f); c&0xf0 == 0x90 && n < len(r.data)-p && n <= r.limits.MaxCollection {
			r.pos = p + 1
			return n, nil
		}
	}
	start := r.pos
	c, err := r.byte1()
	if err != nil {
		return 0, err
	}
	var n int
	switch {
	case c >= 0x90 && c <= 0x9f:
		n = int(c & 0x0f)
	case c == 0xdc:
		n, err = r.lenPrefix(2)
	case c == 0xdd:
		n, err = r.lenPrefix(4)
	default:
		r.pos = start
		return 0, r.Fail("expected array, found %s", r.Peek())
	}
	if err != nil {
		return 0, err
	}
	return r.checkLen(n, r.limits.MaxCollection, "array")
}

// ReadMapLen consumes a map header, checked like an array's (each pair takes
// at least two bytes).
func (r *Reader) ReadMapLen() (int, error) {
	start := r.pos
	c, err := r.byte1()
	if err != nil {
		return 0, err
	}
	var n int
	switch {
	case c >= 0x80 && c <= 0x8f:
		n = int(c & 0x0f)
	case c == 0xde:
		n, err = r.lenPrefix(2)
	case c == 0xdf:
		n, err = r.lenPrefix(4)
	default:
		r.pos = start
		return 0, r.Fail("expected map, found %s", r.Peek())
	}
	if err != nil {
		return 0, err
	}
	if n > r.limits.MaxCollection {
		return 0, r.limitErr("map of %d entries exceeds the limit of %d", n, r.limits.MaxCollection)
	}
	if 2*n > r.Remaining() {
		return 0, r.Fail("truncated: map of %d entries, %d bytes left", n, r.Remaining())
	}
	return n, nil
}
