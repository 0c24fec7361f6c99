package cache

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleEntry() *entry {
	paris, _ := time.LoadLocation("Europe/Paris")
	instant := time.Date(2024, 3, 10, 12, 30, 0, 123456789, time.UTC)
	return &entry{
		versions: []tableVersion{{"users", 42}, {namespaceTable, math.MaxUint64}},
		check:    [checkSize]byte{1, 2, 3},
		cols: []column{
			{name: "id", scan: 5, dbType: "INT8", nullable: true, nullOK: true},
			{name: "blob", scan: 13, dbType: "BYTEA", length: 10, lengthOK: true, precision: 3, scale: -1, decimalOK: true},
		},
		later: []column{
			{name: "id", scan: 5, dbType: "INT8", nullable: true, nullOK: true},
			{name: "blob", scan: 14, dbType: "BLOB"},
		},
		rows: [][]any{
			{int64(-7), []byte{}},
			{nil, []byte(nil)},
			{uint64(math.MaxUint64), float32(1.5)},
			{math.Inf(-1), "héllo"},
			{true, false},
			{instant, instant.Local()},
			{instant.In(paris), instant.In(time.FixedZone("XYZ", -3600))},
		},
	}
}

func TestEntryRoundTrip(t *testing.T) {
	e := sampleEntry()
	data, err := encodeEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	got, r, err := decodeHeader(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeBody(got, r); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.versions, e.versions) || got.check != e.check || !reflect.DeepEqual(got.cols, e.cols) ||
		!reflect.DeepEqual(got.later, e.later) {
		t.Fatalf("header or columns differ:\n%+v\n%+v", got, e)
	}
	for i := range e.rows {
		for j, want := range e.rows[i] {
			v := got.rows[i][j]
			if wt, ok := want.(time.Time); ok {
				gt := v.(time.Time)
				if !gt.Equal(wt) || gt.Location().String() != wt.Location().String() || gt.String() != wt.String() {
					t.Errorf("row %d col %d: %v, want %v", i, j, gt, wt)
				}
				continue
			}
			if !reflect.DeepEqual(v, want) {
				t.Errorf("row %d col %d: %#v, want %#v", i, j, v, want)
			}
		}
	}
	if _, err := encodeEntry(&entry{cols: []column{{}}, rows: [][]any{{struct{}{}}}}); !errors.Is(err, errNotCacheable) {
		t.Errorf("an unknown value type: %v, want errNotCacheable", err)
	}
}

// TestEntryHostile: stored entries are untrusted. Every truncation and
// every single-byte change decodes to an error or to an entry, never a
// panic, and a claimed length never allocates past the bytes present.
func TestEntryHostile(t *testing.T) {
	data, err := encodeEntry(sampleEntry())
	if err != nil {
		t.Fatal(err)
	}
	decode := func(b []byte) error {
		e, r, err := decodeHeader(b)
		if err != nil {
			return err
		}
		return decodeBody(e, r)
	}
	for n := range len(data) {
		if err := decode(data[:n]); !errors.Is(err, errCorruptEntry) {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
	}
	for i := range data {
		for _, b := range []byte{0, 1, 0x7f, 0x80, 0xff} {
			mutated := append([]byte(nil), data...)
			mutated[i] = b
			if err := decode(mutated); err != nil && !errors.Is(err, errCorruptEntry) {
				t.Fatalf("byte %d = %#x: untyped error %v", i, b, err)
			}
		}
	}
	// A row count far beyond the bytes left is refused before allocating.
	huge := []byte(entryMagic + "\x00" + string(make([]byte, checkSize)) + "\x01\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\x0f")
	allocs := testing.AllocsPerRun(10, func() { _ = decode(huge) })
	if err := decode(huge); !errors.Is(err, errCorruptEntry) || allocs > 20 {
		t.Fatalf("huge row count: %v after %v allocations", err, allocs)
	}
}

func TestEntryHugeRowCountMessage(t *testing.T) {
	huge := []byte(entryMagic + "\x00" + string(make([]byte, checkSize)) + "\x01\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\x0f")
	e, r, err := decodeHeader(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeBody(e, r); err == nil || !strings.Contains(err.Error(), "rows too long") {
		t.Fatalf("got %v, want the row count refused", err)
	}
}
