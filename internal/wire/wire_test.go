package wire

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// TestWriterIsMessagePack decodes what Writer writes with an independent
// MessagePack implementation, at every length boundary of every format.
func TestWriterIsMessagePack(t *testing.T) {
	ints := []int64{0, 1, 127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64,
		-1, -32, -33, -128, -129, -32768, -32769, math.MinInt32, math.MinInt32 - 1, math.MinInt64}
	for _, v := range ints {
		var w Writer
		w.Int(v)
		var got int64
		if err := msgpack.Unmarshal(w.Buf, &got); err != nil || got != v {
			t.Errorf("Int(%d): got %d, %v", v, got, err)
		}
		r := NewReader(w.Buf, Limits{})
		back, err := r.ReadInt()
		if err != nil || back != v || r.Remaining() != 0 {
			t.Errorf("ReadInt(%d): got %d, %v", v, back, err)
		}
	}
	var w Writer
	w.Uint(math.MaxUint64)
	if u, err := NewReader(w.Buf, Limits{}).ReadUint(); err != nil || u != math.MaxUint64 {
		t.Errorf("ReadUint(max): %d, %v", u, err)
	}
	if _, err := NewReader(w.Buf, Limits{}).ReadInt(); err == nil {
		t.Error("ReadInt accepted a uint64 above MaxInt64")
	}
	for _, n := range []int{0, 31, 32, 255, 256, 65535, 65536} {
		s := strings.Repeat("x", n)
		var w Writer
		w.String(s)
		w.Bytes([]byte(s))
		w.ArrayLen(n)
		w.MapLen(n)
		var gotS string
		var gotB []byte
		dec := msgpack.NewDecoder(strings.NewReader(string(w.Buf)))
		if err := dec.Decode(&gotS); err != nil || gotS != s {
			t.Fatalf("String(%d): %v", n, err)
		}
		if err := dec.Decode(&gotB); err != nil || string(gotB) != s {
			t.Fatalf("Bytes(%d): %v", n, err)
		}
		if l, err := dec.DecodeArrayLen(); err != nil || l != n {
			t.Fatalf("ArrayLen(%d): %d %v", n, l, err)
		}
		if l, err := dec.DecodeMapLen(); err != nil || l != n {
			t.Fatalf("MapLen(%d): %d %v", n, l, err)
		}
	}
	var f Writer
	f.Float32(1.5)
	f.Float64(-2.25)
	f.Bool(true)
	f.Nil()
	var out []any
	dec := msgpack.NewDecoder(strings.NewReader(string(f.Buf)))
	for i := 0; i < 4; i++ {
		v, err := dec.DecodeInterface()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if !reflect.DeepEqual(out, []any{float32(1.5), -2.25, true, nil}) {
		t.Fatalf("scalars: %#v", out)
	}
}

func TestReaderChecksLengthsBeforeAllocating(t *testing.T) {
	cases := []struct {
		name  string
		data  []byte
		read  func(*Reader) error
		limit bool
	}{
		{"string past end", []byte{0xdb, 0, 0, 1, 0, 'a'}, func(r *Reader) error { _, err := r.ReadString(); return err }, false},
		{"string over limit", []byte{0xdb, 0x7f, 0, 0, 0}, func(r *Reader) error { _, err := r.ReadString(); return err }, true},
		{"bytes past end", []byte{0xc6, 0, 0, 1, 0, 0}, func(r *Reader) error { _, err := r.ReadBytes(); return err }, false},
		{"array past end", []byte{0xdd, 0, 0, 0, 9, 1}, func(r *Reader) error { _, err := r.ReadArrayLen(); return err }, false},
		{"array over limit", []byte{0xdd, 0x7f, 0, 0, 0}, func(r *Reader) error { _, err := r.ReadArrayLen(); return err }, true},
		{"map past end", []byte{0xdf, 0, 0, 0, 9, 1, 1}, func(r *Reader) error { _, err := r.ReadMapLen(); return err }, false},
		{"truncated int", []byte{0xd3, 1, 2}, func(r *Reader) error { _, err := r.ReadInt(); return err }, false},
		{"wrong kind", []byte{0xc0}, func(r *Reader) error { _, err := r.ReadString(); return err }, false},
		{"empty", nil, func(r *Reader) error { _, err := r.ReadBool(); return err }, false},
	}
	for _, c := range cases {
		err := c.read(NewReader(c.data, Limits{MaxCollection: 1000, MaxString: 1000}))
		var we *Error
		if !errors.As(err, &we) || we.Limit != c.limit {
			t.Errorf("%s: got %v (limit=%v), want a wire error with limit=%v", c.name, err, we != nil && we.Limit, c.limit)
		}
	}
}

func TestShareStringsCutsFromOneCopy(t *testing.T) {
	var w Writer
	w.String("alpha")
	w.String("")
	w.String("beta")
	data := append([]byte(nil), w.Buf...)
	for _, share := range []bool{false, true} {
		r := NewReader(data, Limits{})
		if share {
			r.ShareStrings()
		}
		a, err := r.ReadString()
		if err != nil {
			t.Fatal(err)
		}
		empty, err := r.ReadString()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := r.ReadStringBytes()
		if err != nil {
			t.Fatal(err)
		}
		b := r.StringOf(raw)
		// The strings are copies: changing the input afterwards must not
		// change them, shared or not.
		for i := range data {
			data[i] = 'x'
		}
		if a != "alpha" || empty != "" || b != "beta" {
			t.Errorf("share=%v: read %q %q %q, want alpha, empty, beta", share, a, empty, b)
		}
		data = append(data[:0], w.Buf...)
	}
}

// TestShortFormsKeepLimits: the fast paths for short arrays, strings and
// integers apply the same limits and bounds as the general ones.
func TestShortFormsKeepLimits(t *testing.T) {
	for _, c := range []struct {
		name  string
		data  []byte
		read  func(*Reader) error
		limit bool
	}{
		{"fixarray over the collection limit", []byte{0x93, 1, 2, 3}, func(r *Reader) error { _, err := r.ReadArrayLen(); return err }, true},
		{"fixarray past the end", []byte{0x92, 1}, func(r *Reader) error { _, err := r.ReadArrayLen(); return err }, false},
		{"fixstr over the string limit", []byte{0xa3, 'a', 'b', 'c'}, func(r *Reader) error { _, err := r.ReadString(); return err }, true},
		{"fixstr past the end", []byte{0xa2, 'a'}, func(r *Reader) error { _, err := r.ReadString(); return err }, false},
	} {
		for _, share := range []bool{false, true} {
			// A first string makes the shared copy, so the fast path is
			// the one under test.
			data := append([]byte{0xa1, 'x'}, c.data...)
			r := NewReader(data, Limits{MaxCollection: 2, MaxString: 2})
			if share {
				r.ShareStrings()
			}
			if _, err := r.ReadString(); err != nil {
				t.Fatal(err)
			}
			err := c.read(r)
			var we *Error
			if !errors.As(err, &we) || we.Limit != c.limit {
				t.Errorf("%s (shared %v): got %v, want a wire error with limit=%v", c.name, share, err, c.limit)
			}
		}
	}
	r := NewReader([]byte{0x7f, 0x00}, Limits{})
	if v, err := r.ReadInt(); err != nil || v != 127 {
		t.Fatalf("fixint 127: %d, %v", v, err)
	}
}

// TestFixFormsAgreeWithReaders: for every first byte, each inlined fast path
// either reads exactly what the full reader reads (value and bytes
// consumed) or reports false and consumes nothing. The inputs are long
// enough for any short form, and limits are tight, so bounds matter.
func TestFixFormsAgreeWithReaders(t *testing.T) {
	accepted := map[string]int{}
	for c := 0; c < 256; c++ {
		for _, lim := range []Limits{{}, {MaxCollection: 2, MaxString: 2}} {
			for _, tail := range []int{0, 1, 40} {
				// A leading fixstr makes the shared copy (FixStr needs it).
				data := append([]byte{0xa1, 'x', byte(c)}, make([]byte, tail)...)
				for i := range tail {
					data[3+i] = 'a'
				}
				fresh := func() *Reader {
					r := NewReader(data, lim)
					r.ShareStrings()
					if _, err := r.ReadString(); err != nil {
						t.Fatal(err)
					}
					return r
				}
				check := func(name string, fast func(*Reader) (any, bool), full func(*Reader) (any, error)) {
					r := fresh()
					start := r.Offset()
					v, ok := fast(r)
					if ok && lim == (Limits{}) && tail == 40 {
						accepted[name]++
					}
					if !ok {
						if r.Offset() != start {
							t.Errorf("%s(%#x, tail %d, %+v): refused but consumed %d bytes", name, c, tail, lim, r.Offset()-start)
						}
						return
					}
					g := fresh()
					w, err := full(g)
					if err != nil || w != v || g.Offset() != r.Offset() {
						t.Errorf("%s(%#x, tail %d, %+v) = %v at %d; full reader: %v, %v at %d", name, c, tail, lim, v, r.Offset(), w, err, g.Offset())
					}
				}
				check("FixArray", func(r *Reader) (any, bool) { return r.FixArray() },
					func(r *Reader) (any, error) { return r.ReadArrayLen() })
				check("FixMap", func(r *Reader) (any, bool) { return r.FixMap() },
					func(r *Reader) (any, error) { return r.ReadMapLen() })
				check("FixInt", func(r *Reader) (any, bool) { return r.FixInt() },
					func(r *Reader) (any, error) { return r.ReadInt() })
				check("FixStr", func(r *Reader) (any, bool) { return r.FixStr() },
					func(r *Reader) (any, error) { return r.ReadString() })
			}
		}
	}
	// Without limits and with room, every short form takes the fast path.
	if want := map[string]int{"FixArray": 16, "FixMap": 16, "FixInt": 128, "FixStr": 32}; !reflect.DeepEqual(accepted, want) {
		t.Errorf("first bytes taken by the fast paths: %v, want %v", accepted, want)
	}
}

// TestStringFormsAndBounds reads strings of every header form (fixstr,
// str8, str16, str32) whole, over the string limit and cut short, through
// ReadString (shared and copied) and ReadStringBytes.
func TestStringFormsAndBounds(t *testing.T) {
	for _, n := range []int{0, 5, 31, 32, 255, 256, 70000} {
		want := strings.Repeat("s", n)
		var w Writer
		w.String(want)
		enc := w.Buf
		for _, c := range []struct {
			name  string
			data  []byte
			lim   Limits
			limit bool // want a limit error
			short bool // want a truncation error
		}{
			{"whole", enc, Limits{}, false, false},
			{"over the limit", enc, Limits{MaxString: n - 1}, n > 0, false},
			{"cut short", enc[:len(enc)-1], Limits{}, false, true},
		} {
			if c.name == "over the limit" && n == 0 {
				continue
			}
			reads := map[string]func(*Reader) (string, error){
				"ReadString":        (*Reader).ReadString,
				"ReadString shared": func(r *Reader) (string, error) { r.ShareStrings(); return r.ReadString() },
				"ReadStringBytes": func(r *Reader) (string, error) {
					b, err := r.ReadStringBytes()
					return string(b), err
				},
			}
			for name, read := range reads {
				r := NewReader(c.data, c.lim)
				got, err := read(r)
				var we *Error
				switch {
				case c.limit || c.short:
					if !errors.As(err, &we) || we.Limit != c.limit {
						t.Errorf("%s of %d bytes, %s: got %v, want a wire error with limit=%v", name, n, c.name, err, c.limit)
					}
				case err != nil || got != want || r.Remaining() != 0:
					t.Errorf("%s of %d bytes: got %d bytes, %v, %d left", name, n, len(got), err, r.Remaining())
				}
			}
		}
	}
}
