package modelcodec_test

import (
	"bytes"
	"testing"

	"github.com/gormpickle/gormpickle/modelcodec"
)

// FuzzDecode feeds arbitrary bytes to Decode, DecodeMany and
// DescribeJSON: they must fail or succeed, never panic; a row that
// decodes must encode again, and its encoding must be stable from then on.
func FuzzDecode(f *testing.F) {
	one, many := samplePayloads(f)
	f.Add(one)
	f.Add(many)
	for _, m := range []any{&kindRow{}, &driftV1{ID: 1, Name: "n", Tags: []string{}}} {
		data, err := modelcodec.Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var row kindRow
		if err := modelcodec.Decode(data, &row); err == nil {
			again, err := modelcodec.Encode(&row)
			if err != nil {
				t.Fatalf("decoded row does not encode: %v", err)
			}
			var back kindRow
			if err := modelcodec.Decode(again, &back); err != nil {
				t.Fatalf("re-encoded row does not decode: %v", err)
			}
			third, err := modelcodec.Encode(&back)
			if err != nil || !bytes.Equal(third, again) {
				t.Fatalf("encoding not stable after one round trip: %v", err)
			}
		}
		var rows []*kindRow
		_ = modelcodec.DecodeMany(data, &rows)
		var v1 driftV1
		_ = modelcodec.Decode(data, &v1)
		_, _ = modelcodec.DescribeJSON(data)
	})
}
