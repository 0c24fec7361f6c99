package wire

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

// skipSamples are values of every MessagePack form, written by an
// independent implementation (time.Time travels as an extension value).
func skipSamples() []any {
	long := strings.Repeat("x", 70000)
	return []any{
		nil, true, false, 0, 127, -32, 200, -200, 70000, -70000, int64(math.MaxInt64), int64(math.MinInt64), uint64(math.MaxUint64),
		float32(1.5), 2.5, "", "abc", strings.Repeat("y", 40), strings.Repeat("y", 300), long,
		[]byte{}, []byte("bin"), []byte(strings.Repeat("b", 300)), []byte(long),
		time.Unix(1, 0), time.Unix(1, 2), time.Unix(1<<40, 5),
		[]any{}, []any{1, "a", nil, []any{[]any{}}}, make([]any, 20), make([]any, 70000),
		map[string]any{}, map[string]any{"a": 1, "b": []any{map[string]any{"c": time.Unix(3, 4)}}},
	}
}

// TestSkipConsumesWhatMsgpackWrites: Skip consumes exactly one value of
// every form, leaving the next one in place.
func TestSkipConsumesWhatMsgpackWrites(t *testing.T) {
	for _, v := range skipSamples() {
		b, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		data := append(b, 0xc3)
		r := NewReader(data, Limits{})
		if err := r.Skip(10); err != nil {
			t.Errorf("%.40v: %v", v, err)
			continue
		}
		if r.Offset() != len(b) {
			t.Errorf("%.40v: Skip consumed %d bytes, the value has %d", v, r.Offset(), len(b))
		}
		if got, err := r.ReadBool(); err != nil || !got {
			t.Errorf("%.40v: the next value reads %v, %v", v, got, err)
		}
	}
}

// TestSkipRejectsTruncatedValues: every proper prefix of a value fails and
// leaves the position where it was.
func TestSkipRejectsTruncatedValues(t *testing.T) {
	for _, v := range skipSamples() {
		b, _ := msgpack.Marshal(v)
		if len(b) > 400 {
			b = b[:400]
		}
		for n := 0; n < len(b); n++ {
			r := NewReader(b[:n], Limits{})
			var we *Error
			if err := r.Skip(10); !errors.As(err, &we) {
				t.Fatalf("%.40v cut to %d bytes: got %v, want a wire error", v, n, err)
			}
			if r.Offset() != 0 {
				t.Fatalf("%.40v cut to %d bytes: position moved to %d", v, n, r.Offset())
			}
		}
	}
}

// TestSkipBounds: lying headers fail at once, bounds are reported as
// limits, and nesting is counted in arrays and maps.
func TestSkipBounds(t *testing.T) {
	nest := func(n int, inner string) []byte { return []byte(strings.Repeat("\x91", n) + inner) }
	cases := []struct {
		name     string
		data     []byte
		depth    int
		limits   Limits
		ok, limt bool
	}{
		{"map claiming 2^31 entries", []byte("\xdf\x80\x00\x00\x00\x01"), 10, Limits{}, false, true},
		{"map claiming more than the bytes", []byte("\xdf\x0e\x75\x85\x30000000"), 10, Limits{}, false, false},
		{"array claiming more than the bytes", []byte("\xdd\x0e\x75\x85\x30000000"), 10, Limits{}, false, false},
		{"binary past end", []byte("\xc6\xff\xff\xff\xff"), 10, Limits{}, false, true},
		{"ext past end", []byte("\xc9\x00\x00\x01\x00\x01"), 10, Limits{}, false, false},
		{"never-used byte", []byte("\xc1"), 10, Limits{}, false, false},
		{"string over limit", []byte("\xa5hello"), 10, Limits{MaxString: 4}, false, true},
		{"array over limit", []byte("\x93\x01\x02\x03"), 10, Limits{MaxCollection: 2}, false, true},
		{"depth at the bound", nest(3, "\x01"), 3, Limits{}, true, false},
		{"empty array one deeper", nest(3, "\x90"), 3, Limits{}, true, false},
		{"depth past the bound", nest(4, "\x01"), 3, Limits{}, false, true},
		{"map depth past the bound", []byte("\x81\x01\x81\x01\x01"), 1, Limits{}, false, true},
		{"depth zero scalar", []byte("\x01"), 0, Limits{}, true, false},
	}
	for _, c := range cases {
		r := NewReader(c.data, c.limits)
		err := r.Skip(c.depth)
		if c.ok {
			if err != nil || r.Remaining() != 0 {
				t.Errorf("%s: %v, %d bytes left", c.name, err, r.Remaining())
			}
			continue
		}
		var we *Error
		if !errors.As(err, &we) || we.Limit != c.limt {
			t.Errorf("%s: got %v, want a wire error with limit=%v", c.name, err, c.limt)
		}
	}
}
