package serializer_test

import (
	"bytes"
	"testing"

	"github.com/gormpickle/gormpickle/serializer"
)

// FuzzDecodeModel feeds arbitrary bytes to DecodeModel, DecodeModels and
// DescribeModelJSON: they must fail or succeed, never panic; a row that
// decodes must encode again, and its encoding must be stable from then on.
func FuzzDecodeModel(f *testing.F) {
	one, many := samplePayloads(f)
	f.Add(one)
	f.Add(many)
	for _, m := range []any{&kindRow{}, &driftV1{ID: 1, Name: "n", Tags: []string{}}} {
		data, err := serializer.EncodeModel(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var row kindRow
		if err := serializer.DecodeModel(data, &row); err == nil {
			again, err := serializer.EncodeModel(&row)
			if err != nil {
				t.Fatalf("decoded row does not encode: %v", err)
			}
			var back kindRow
			if err := serializer.DecodeModel(again, &back); err != nil {
				t.Fatalf("re-encoded row does not decode: %v", err)
			}
			third, err := serializer.EncodeModel(&back)
			if err != nil || !bytes.Equal(third, again) {
				t.Fatalf("encoding not stable after one round trip: %v", err)
			}
		}
		var rows []*kindRow
		_ = serializer.DecodeModels(data, &rows)
		var v1 driftV1
		_ = serializer.DecodeModel(data, &v1)
		_, _ = serializer.DescribeModelJSON(data)
	})
}
