package pickletype

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestHostileMsgpackLengths: headers claiming far more entries than the
// bytes hold are rejected at once (the msgpack package alone spins on them).
func TestHostileMsgpackLengths(t *testing.T) {
	for _, body := range []string{"\xdf\x8e\x75\x85\x30000000", "\x94\xdf\x8e\x75\x85\x30000000", "\xdd\x8e\x75\x85\x30000000", "\xc6\xff\xff\xff\xff", "\xc1"} {
		data := []byte("PKL\x01\x00\x07msgpack" + body)
		var a any
		done := make(chan error, 1)
		go func() { done <- decode(data, &a, Options{MaxSize: 1 << 20}) }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("%q: %v, want ErrCorrupt", body, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%q: decode did not return", body)
		}
	}
}

func TestCheckMsgpackAcceptsWhatTheCodecWrites(t *testing.T) {
	v := map[string]any{"t": time.Unix(1, 2), "s": strings.Repeat("x", 300), "b": []byte{1}, "n": []any{1, -1, 1.5, nil, true, uint64(1 << 40)}}
	b, err := msgpackCodec{}.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkMsgpack(b); err != nil {
		t.Fatal(err)
	}
	if err := checkMsgpack(b[:len(b)-1]); err == nil {
		t.Fatal("a truncated value passed the check")
	}
}

// TestMsgpackNestingAndTrailingBytes: values nested deeper than
// maxMsgpackDepth, and bytes after the value, are refused as corrupt;
// nesting up to the bound decodes.
func TestMsgpackNestingAndTrailingBytes(t *testing.T) {
	deep := func(levels int) string { return strings.Repeat("\x91", levels) + "\x01" }
	for _, c := range []struct {
		body string
		ok   bool
	}{
		{deep(maxMsgpackDepth), true},
		{deep(maxMsgpackDepth + 1), false},
		{"\x01\x02", false},
	} {
		var a any
		err := decode([]byte("PKL\x01\x00\x07msgpack"+c.body), &a, Options{MaxSize: 1 << 20})
		if c.ok != (err == nil) || (!c.ok && !errors.Is(err, ErrCorrupt)) {
			t.Errorf("body of %d bytes: %v, want ok=%v or ErrCorrupt", len(c.body), err, c.ok)
		}
	}
}
