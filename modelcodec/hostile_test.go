package modelcodec_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
	"testing"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/modelcodec"
	"github.com/gormpickle/gormpickle/serializer"
)

func samplePayloads(t testing.TB) (one, many []byte) {
	t.Helper()
	one, err := modelcodec.Encode(sampleKindRow(t))
	if err != nil {
		t.Fatal(err)
	}
	many, err = modelcodec.EncodeMany([]*kindRow{sampleKindRow(t), {ID: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return one, many
}

func TestModelEveryTruncationFails(t *testing.T) {
	one, many := samplePayloads(t)
	for i := 0; i < len(one); i++ {
		var row kindRow
		if err := modelcodec.Decode(one[:i], &row); !errors.Is(err, serializer.ErrCorrupt) {
			t.Fatalf("row truncated to %d of %d bytes: got %v, want ErrCorrupt", i, len(one), err)
		}
		if row.ID != 0 {
			t.Fatalf("truncated to %d: destination changed", i)
		}
		if _, err := modelcodec.Describe(one[:i]); err == nil {
			t.Fatalf("Describe of %d of %d bytes: no error", i, len(one))
		}
	}
	for i := 0; i < len(many); i++ {
		var rows []kindRow
		if err := modelcodec.DecodeMany(many[:i], &rows); !errors.Is(err, serializer.ErrCorrupt) {
			t.Fatalf("list truncated to %d of %d bytes: got %v, want ErrCorrupt", i, len(many), err)
		}
		if rows != nil {
			t.Fatalf("truncated to %d: destination changed", i)
		}
	}
}

// TestModelEveryByteChanged overwrites each byte of a payload with values
// that mean something in MessagePack (lengths, headers, nil): decoding
// must fail or give a row that encodes again, never panic.
func TestModelEveryByteChanged(t *testing.T) {
	one, many := samplePayloads(t)
	values := []byte{0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xc3, 0xc4, 0xc6,
		0xca, 0xcb, 0xcf, 0xd3, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff}
	for _, data := range [][]byte{one, many} {
		for i := range data {
			for _, b := range values {
				bad := bytes.Clone(data)
				bad[i] = b
				var row kindRow
				if modelcodec.Decode(bad, &row) == nil {
					if _, err := modelcodec.Encode(&row); err != nil {
						t.Fatalf("byte %d = %#x: decoded row does not encode: %v", i, b, err)
					}
				}
				var rows []kindRow
				_ = modelcodec.DecodeMany(bad, &rows)
				_, _ = modelcodec.DescribeJSON(bad)
			}
		}
	}
}

// listHeader rebuilds the header of a list payload, up to its rows:
// "GPM", version 1, flags 0, then [1, model ID, fingerprint, ...].
func listHeader(t *testing.T, data []byte) []byte {
	t.Helper()
	desc, err := modelcodec.Describe(data)
	if err != nil {
		t.Fatal(err)
	}
	fp, err := strconv.ParseUint(desc.Fingerprint, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	w := wire.Writer{Buf: []byte("GPM\x01\x00\x94\x01")}
	w.String(desc.Model)
	h := append(w.Buf, 0xcf)
	h = binary.BigEndian.AppendUint64(h, fp)
	if !bytes.HasPrefix(data, h) {
		t.Fatalf("header % x is not a prefix of the payload % x", h, data[:len(h)])
	}
	return h
}

func TestModelMalformed(t *testing.T) {
	one, many := samplePayloads(t)
	head := listHeader(t, many)
	tests := []struct {
		name string
		data []byte
		list bool
		want error
	}{
		{"empty", nil, false, serializer.ErrCorrupt},
		{"bad magic", append([]byte("GPQ"), one[3:]...), false, serializer.ErrCorrupt},
		{"future version", append([]byte("GPM\x02"), one[4:]...), false, serializer.ErrVersion},
		{"unknown flags", append([]byte("GPM\x01\x01"), one[5:]...), false, serializer.ErrCorrupt},
		{"trailing byte", append(bytes.Clone(one), 0xc0), false, serializer.ErrCorrupt},
		{"body not an array", []byte("GPM\x01\x00\xc0"), false, serializer.ErrCorrupt},
		{"body of 3", []byte("GPM\x01\x00\x93\x00\xa1x\x00"), false, serializer.ErrCorrupt},
		{"unknown kind", []byte("GPM\x01\x00\x94\x07\xa1x\x00\xc0"), false, serializer.ErrCorrupt},
		{"list claims 65 536 rows", append(bytes.Clone(head), 0xdd, 0, 1, 0, 0), true, serializer.ErrCorrupt},
		{"list claims 2^32-1 rows", append(bytes.Clone(head), 0xdd, 0xff, 0xff, 0xff, 0xff), true, serializer.ErrLimit},
		{"row of no columns", append(bytes.Clone(head), 0x91, 0x90), true, serializer.ErrCorrupt},
		{"over the size limit", append(bytes.Clone(one), make([]byte, serializer.DefaultLimits().MaxBytes)...), false, serializer.ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.list {
				var rows []kindRow
				err = modelcodec.DecodeMany(tt.data, &rows)
			} else {
				var row kindRow
				err = modelcodec.Decode(tt.data, &row)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestModelHostileScanner(t *testing.T) {
	row := sampleKindRow(t)
	row.Secret = secret{v: "boom"} // its Scan panics on this value
	data, err := modelcodec.Encode(row)
	if err != nil {
		t.Fatal(err)
	}
	var got kindRow
	if err := modelcodec.Decode(data, &got); !errors.Is(err, serializer.ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
}
