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
	// Field by field, and text only when set: a Reader kept in a larger
	// value is written through a pointer, where each pointer written costs
	// a write barrier while the collector runs.
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

// Inlined fast paths. Each reads the most common form of a value and
// reports false, consuming nothing, for anything else; the caller then
// calls the full reader (ReadArrayLen, ReadInt, ReadString), which also
// reports the error. They call nothing, so that Go inlines them: a hot
// decoder pays for a call only on the rarer forms.

// FixArray consumes a fixarray header (fewer than 16 elements) within the
// collection limit and the remaining bytes.
func (r *Reader) FixArray() (int, bool) {
	if p := r.pos; uint(p) < uint(len(r.data)) {
		if n := int(r.data[p]) - 0x90; uint(n) < 16 && n < len(r.data)-p && n <= r.limits.MaxCollection {
			r.pos = p + 1
			return n, true
		}
	}
	return 0, false
}

// FixMap consumes a fixmap header (fewer than 16 entries) within the
// collection limit and the remaining bytes (two per entry).
func (r *Reader) FixMap() (int, bool) {
	if p := r.pos; uint(p) < uint(len(r.data)) {
		if n := int(r.data[p]) - 0x80; uint(n) < 16 && 2*n < len(r.data)-p && n <= r.limits.MaxCollection {
			r.pos = p + 1
			return n, true
		}
	}
	return 0, false
}

// FixInt consumes a non-negative fixint (0 to 127).
func (r *Reader) FixInt() (int64, bool) {
	if p := r.pos; uint(p) < uint(len(r.data)) && r.data[p] < 0x80 {
		r.pos = p + 1
		return int64(r.data[p]), true
	}
	return 0, false
}

// FixStr consumes a fixstr (up to 31 bytes) cut from the shared copy of the
// input, once ShareStrings is on and a string was read.
func (r *Reader) FixStr() (string, bool) {
	if p := r.pos; r.text != "" && uint(p) < uint(len(r.data)) {
		if n := int(r.data[p]) - 0xa0; uint(n) < 32 && n < len(r.data)-p && n <= r.limits.MaxString {
			r.pos = p + 1 + n
			return r.text[p+1 : r.pos], true
		}
	}
	return "", false
}

// Unread steps back n bytes, to read a value again after a fast path
// consumed part of it.
func (r *Reader) Unread(n int) { r.pos -= n }

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
