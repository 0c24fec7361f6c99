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
