package pickletype

import (
	"testing"
	"time"
)

type fuzzValue struct {
	Name  string
	Tags  []string
	Attrs map[string]int
	When  time.Time
	Next  *fuzzValue
}

// FuzzDecode feeds arbitrary bytes to the decoder: errors, never panics,
// bounded memory; what decodes re-encodes to something that decodes to
// the same value.
func FuzzDecode(f *testing.F) {
	seed := fuzzValue{Name: "n", Tags: []string{"a"}, Attrs: map[string]int{"x": 1}, When: time.Unix(1, 2).UTC(), Next: &fuzzValue{Name: "m"}}
	for _, codec := range []string{Gob, MsgPack, JSON} {
		for _, compress := range []int{0, 1} {
			b, err := encode(&seed, Options{Codec: codec, CompressAbove: compress, MaxSize: 1 << 20})
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
			f.Add([]byte(textForm(b)))
		}
	}
	f.Add([]byte("PKL\x01\x01\x03gob"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v fuzzValue
		if err := decode(data, &v, Options{MaxSize: 1 << 20}); err != nil {
			return
		}
		again, err := encode(&v, Options{Codec: MsgPack, MaxSize: 1 << 22})
		if err != nil {
			return // e.g. a time gob accepted that msgpack cannot write
		}
		var w fuzzValue
		if err := decode(again, &w, Options{MaxSize: 1 << 22}); err != nil {
			t.Fatalf("re-encoded value does not decode: %v", err)
		}
	})
}
