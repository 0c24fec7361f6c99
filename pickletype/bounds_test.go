package pickletype

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
)

// deflateBomb returns a stored msgpack value (a byte string of n zero
// bytes) compressed at the highest ratio: about n/1000 bytes.
func deflateBomb(n int) []byte {
	payload := make([]byte, 5, 5+n)
	payload[0], payload[1], payload[2], payload[3], payload[4] = 0xc6, byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	payload = append(payload, make([]byte, n)...)
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = w.Write(payload)
	_ = w.Close()
	return append([]byte("PKL\x01\x01\x07msgpack"), buf.Bytes()...)
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecompressionBombRefused: under the defaults, a value that inflates
// past 16 MiB is refused (ErrTooLarge, never truncated), and reading it
// costs a bounded buffer, not what the value claims. Before the bound, a
// 32 KiB cell inflated to 32 MiB and decoded.
func TestDecompressionBombRefused(t *testing.T) {
	bomb := deflateBomb(32 << 20)
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb of %d bytes", len(bomb))
	}
	orig := Of([]byte("keep"))
	s := orig
	var err error
	got := allocated(func() { err = s.Scan(bomb) })
	if !errors.Is(err, ErrTooLarge) || !reflect.DeepEqual(s, orig) {
		t.Fatalf("Scan: %v (value of %d bytes)", err, len(s.Data))
	}
	if got > 40<<20 {
		t.Errorf("refusing a %d-byte bomb allocated %d MiB", len(bomb), got>>20)
	}
	// Just under the bound decodes, whole.
	if err := s.Scan(deflateBomb(16<<20 - 5)); err != nil || len(s.Data) != 16<<20-5 {
		t.Fatalf("a value inflating to the bound: %v, %d bytes", err, len(s.Data))
	}
}

type boundedRow struct {
	Small []byte `gorm:"serializer:pickle;pickler:msgpack;maxdecompressed:1000"`
	Bad   []byte `gorm:"serializer:pickle;maxdecompressed:x"`
}

func boundedField(t *testing.T, name string) *schema.Field {
	s, err := schema.Parse(&boundedRow{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	return s.LookUpField(name)
}

// TestDecompressedBoundConfigurable: SetDefaults and the maxdecompressed
// tag set the bound; a bad tag value is an error.
func TestDecompressedBoundConfigurable(t *testing.T) {
	ctx := context.Background()
	f := boundedField(t, "Small")
	dst := reflect.New(f.Schema.ModelType).Elem()
	if err := f.Serializer.Scan(ctx, f, dst, deflateBomb(2000)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("tag bound of 1000 bytes: %v", err)
	}
	if err := f.Serializer.Scan(ctx, f, dst, deflateBomb(900)); err != nil {
		t.Fatalf("within the tag bound: %v", err)
	}
	bad := boundedField(t, "Bad")
	if err := bad.Serializer.Scan(ctx, bad, dst, deflateBomb(10)); err == nil || !strings.Contains(err.Error(), "maxdecompressed") {
		t.Fatalf("bad tag value: %v", err)
	}
	old := Defaults()
	defer func() { _ = SetDefaults(old) }()
	if err := SetDefaults(Options{MaxDecompressed: 1 << 10}); err != nil {
		t.Fatal(err)
	}
	var v Type[[]byte]
	if err := v.Scan(deflateBomb(2 << 10)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("SetDefaults bound: %v", err)
	}
}

// TestLargeValuesStoredUncompressed: a value larger than the bound is
// written uncompressed, so it reads back under the same settings.
func TestLargeValuesStoredUncompressed(t *testing.T) {
	v := strings.Repeat("abc", 1000)
	o := Options{Codec: MsgPack, CompressAbove: 10, MaxDecompressed: 2000}
	b, err := encode(&v, o)
	if err != nil {
		t.Fatal(err)
	}
	if b[4]&flagDeflate != 0 {
		t.Fatal("compressed past the bound")
	}
	var out string
	if err := decode(b, &out, o); err != nil || out != v {
		t.Fatalf("round trip: %v", err)
	}
	small := strings.Repeat("abc", 100)
	if b, _ := encode(&small, o); b[4]&flagDeflate == 0 {
		t.Fatal("not compressed within the bound")
	}
}

// TestTextFormSizeCheckedFirst: a text-form value longer than the size
// bound is refused before its base64 is decoded.
func TestTextFormSizeCheckedFirst(t *testing.T) {
	huge := []byte(textPrefix + strings.Repeat("A", 4<<20))
	var err error
	got := allocated(func() { err = decode(huge, new(string), Options{MaxSize: 1 << 20}) })
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("%v", err)
	}
	if got > 64<<10 {
		t.Errorf("%d bytes allocated before the refusal", got)
	}
}
