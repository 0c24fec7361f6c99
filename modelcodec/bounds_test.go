package modelcodec_test

import (
	"errors"
	"runtime"
	"sort"
	"testing"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/modelcodec"
	"github.com/gormpickle/gormpickle/serializer"
)

// withModelLimits sets l for the test and restores the limits after.
func withModelLimits(t *testing.T, l modelcodec.Limits) {
	old := modelcodec.CurrentLimits()
	modelcodec.SetLimits(l)
	t.Cleanup(func() { modelcodec.SetLimits(old) })
}

func benchRows(n int) []benchRow {
	rows := make([]benchRow, n)
	for i := range rows {
		rows[i] = sampleBenchRow(i)
	}
	return rows
}

// claimRows returns a one-row list payload whose row count is replaced by
// n, padded with nils so the count passes the reader's length check.
func claimRows(t *testing.T, one []byte, n int) []byte {
	t.Helper()
	r := wire.NewReader(one[5:], wire.Limits{MaxCollection: 1 << 20, MaxString: 1 << 20})
	if _, err := r.ReadArrayLen(); err != nil {
		t.Fatal(err)
	}
	_, _ = r.ReadInt()
	_, _ = r.ReadString()
	if _, err := r.ReadUint(); err != nil {
		t.Fatal(err)
	}
	at := 5 + r.Offset() // the rows array header, a fixarray of one
	w := wire.Writer{Buf: append([]byte{}, one[:at]...)}
	w.ArrayLen(n)
	w.Buf = append(w.Buf, one[at+1:]...)
	for range n {
		w.Nil()
	}
	return w.Buf
}

func totalAlloc(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestModelClaimsAllocateLittle: a payload whose row count promises more
// rows than its bytes can hold is refused before the rows are allocated.
// Before, a 30 KB payload claiming 30 000 rows allocated 30 000 structs
// (about 9 MiB) up front.
func TestModelClaimsAllocateLittle(t *testing.T) {
	one, err := modelcodec.EncodeMany(benchRows(1))
	if err != nil {
		t.Fatal(err)
	}
	data := claimRows(t, one, 30_000)
	var rows []benchRow
	got := totalAlloc(func() { err = modelcodec.DecodeMany(data, &rows) })
	if !errors.Is(err, serializer.ErrCorrupt) {
		t.Fatalf("%v, want ErrCorrupt", err)
	}
	if got > 64<<10 {
		t.Errorf("%d KiB allocated before the refusal of a %d-byte payload", got>>10, len(data))
	}
}

// TestModelDecodedSizeBounded: decoded rows are counted against
// Limits.MaxDecoded before they are allocated (ErrLimit past it), the
// payload size against Limits.MaxBytes; the defaults decode a large
// real result set.
func TestModelDecodedSizeBounded(t *testing.T) {
	data, err := modelcodec.EncodeMany(benchRows(2000))
	if err != nil {
		t.Fatal(err)
	}
	var rows []benchRow
	if err := modelcodec.DecodeMany(data, &rows); err != nil || len(rows) != 2000 {
		t.Fatalf("defaults: %d rows, %v", len(rows), err)
	}
	if l := modelcodec.CurrentLimits(); l.MaxBytes != 1<<20 || l.MaxDecoded != 16<<20 {
		t.Fatalf("defaults: %+v", l)
	}
	// The smallest bound that decodes them: what the rows take.
	need := sort.Search(64<<20, func(n int) bool {
		modelcodec.SetLimits(modelcodec.Limits{MaxDecoded: n + 1})
		return modelcodec.DecodeMany(data, new([]benchRow)) == nil
	}) + 1
	modelcodec.SetLimits(modelcodec.Limits{})
	t.Logf("%d rows: %d payload bytes decode to %d bytes (%.1fx)", len(rows), len(data), need, float64(need)/float64(len(data)))
	withModelLimits(t, modelcodec.Limits{MaxDecoded: need - 1})
	if err := modelcodec.DecodeMany(data, &rows); !errors.Is(err, serializer.ErrLimit) || len(rows) != 2000 {
		t.Fatalf("one byte short: %v", err)
	}
	modelcodec.SetLimits(modelcodec.Limits{Limits: serializer.Limits{MaxBytes: len(data) - 1}})
	if err := modelcodec.DecodeMany(data, &rows); !errors.Is(err, serializer.ErrLimit) {
		t.Fatalf("MaxBytes: %v", err)
	}
	if got := modelcodec.CurrentLimits().MaxDecoded; got != 16*(len(data)-1) {
		t.Fatalf("MaxDecoded follows MaxBytes: %d", got)
	}
}

// nilSliceRow has a column of nil slices: one payload byte each, a
// 24-byte slice header each once decoded.
type nilSliceRow struct {
	ID   uint
	Bags box[[][]int]
}

// TestModelDefaultBoundRefusesInflation: under the defaults, a payload
// within the 1 MiB limit whose columns decode to more than 16 MiB is
// refused before the memory is allocated.
func TestModelDefaultBoundRefusesInflation(t *testing.T) {
	row := nilSliceRow{ID: 1, Bags: box[[][]int]{Data: make([][]int, 60_000)}}
	one, err := modelcodec.Encode(&row)
	if err != nil {
		t.Fatal(err)
	}
	var back nilSliceRow
	if err := modelcodec.Decode(one, &back); err != nil || len(back.Bags.Data) != 60_000 {
		t.Fatalf("one row: %v", err)
	}
	rows := make([]nilSliceRow, 12)
	for i := range rows {
		rows[i] = nilSliceRow{ID: uint(i + 1), Bags: box[[][]int]{Data: make([][]int, 60_000)}}
	}
	data, err := modelcodec.EncodeMany(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 1<<20 {
		t.Fatalf("payload of %d bytes", len(data))
	}
	var out []nilSliceRow
	got := totalAlloc(func() { err = modelcodec.DecodeMany(data, &out) })
	if !errors.Is(err, serializer.ErrLimit) {
		t.Fatalf("%d bytes of payload for %d MiB of slices: %v", len(data), 12*60_000*24>>20, err)
	}
	if got > 17<<20 {
		t.Errorf("%d MiB allocated", got>>20)
	}
}

type bigPointerRow struct {
	ID  uint
	Big *[1 << 16]int64 `gorm:"type:bytes"`
}

// TestModelPointerTargetCheckedFirst: a non-nil pointer whose target the
// bytes left cannot hold is refused before the target is allocated.
// Before, two payload bytes made the decoder allocate 512 KiB.
func TestModelPointerTargetCheckedFirst(t *testing.T) {
	data, err := modelcodec.Encode(&bigPointerRow{ID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if data[len(data)-1] != 0xc0 {
		t.Fatalf("payload does not end with the nil pointer: % x", data)
	}
	data[len(data)-1] = 0x90 // an empty array where the nil was
	var row bigPointerRow
	got := totalAlloc(func() { err = modelcodec.Decode(data, &row) })
	if !errors.Is(err, serializer.ErrCorrupt) {
		t.Fatalf("%v, want ErrCorrupt", err)
	}
	if got > 64<<10 {
		t.Errorf("%d KiB allocated before the refusal", got>>10)
	}
}
