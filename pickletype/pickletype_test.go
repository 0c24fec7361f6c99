package pickletype

import (
	"database/sql/driver"
	"errors"
	"reflect"
	"strings"
	"testing"
)

type settings struct {
	Theme string
	Sizes map[string]int
}

func TestNullSemantics(t *testing.T) {
	var nilMap map[string]int
	var nilPtr *settings
	for _, v := range []driver.Valuer{Of(nilMap), Of(nilPtr), Of[any](nil), Of([]string(nil))} {
		if got, err := v.Value(); got != nil || err != nil {
			t.Fatalf("%T: %v, %v; want NULL", v, got, err)
		}
	}
	if v, err := Of(map[string]int{}).Value(); v == nil || err != nil {
		t.Fatalf("empty map must be encoded: %v, %v", v, err)
	}
	if v, err := Of(settings{}).Value(); v == nil || err != nil {
		t.Fatalf("zero struct must be encoded: %v, %v", v, err)
	}
	s := Of(settings{Theme: "x"})
	if err := s.Scan(nil); err != nil || !reflect.DeepEqual(s, Type[settings]{}) {
		t.Fatalf("Scan(nil): %+v, %v", s, err)
	}
}

func TestScanLeavesValueOnErrorAndCopies(t *testing.T) {
	orig := Of(settings{Theme: "keep"})
	for _, src := range []any{[]byte("junk"), "PKL\x01\x00\x09nosuchone", 42} {
		s := orig
		if err := s.Scan(src); err == nil {
			t.Fatalf("Scan(%q) succeeded", src)
		}
		if !reflect.DeepEqual(s, orig) {
			t.Fatalf("Scan(%q) changed the value to %+v", src, s)
		}
	}
	stored, err := Of(settings{Theme: "dark", Sizes: map[string]int{"a": 1}}).Value()
	if err != nil {
		t.Fatal(err)
	}
	buf := append([]byte(nil), stored.([]byte)...)
	var s Type[settings]
	if err := s.Scan(buf); err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = 0 // the driver reuses its buffer
	}
	if s.Data.Theme != "dark" || s.Data.Sizes["a"] != 1 {
		t.Fatalf("Scan retained the driver's buffer: %+v", s.Data)
	}
}

func TestErrorsAreTyped(t *testing.T) {
	var s Type[settings]
	err := s.Scan([]byte("PKL\x01\x00\x05nope!"))
	if !errors.Is(err, ErrUnknownCodec) || !strings.Contains(err.Error(), "pickletype.Type[pickletype.settings]") {
		t.Fatalf("unknown codec: %v", err)
	}
	if _, err := Of(func() {}).Value(); !errors.Is(err, ErrEncode) {
		t.Fatalf("func value: %v", err)
	}
	if err := Register(Gob, gobCodec{}); err == nil {
		t.Fatal("registering gob twice succeeded")
	}
	if err := SetDefaults(Options{Codec: "missing"}); !errors.Is(err, ErrUnknownCodec) {
		t.Fatalf("SetDefaults with an unknown codec: %v", err)
	}
}

func TestCodecsRoundTripAndDeterminism(t *testing.T) {
	v := settings{Theme: "t", Sizes: map[string]int{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}}
	for _, name := range []string{Gob, MsgPack, JSON} {
		o := Defaults()
		o.Codec = name
		b, err := encode(&v, o)
		if err != nil {
			t.Fatal(err)
		}
		var out settings
		if err := decode(b, &out, Options{MaxSize: 0}); err != nil || !reflect.DeepEqual(out, v) {
			t.Fatalf("%s: %+v, %v", name, out, err)
		}
		if name == Gob {
			continue
		}
		for i := 0; i < 20; i++ {
			again, _ := encode(&v, o)
			if string(again) != string(b) {
				t.Fatalf("%s is not deterministic", name)
			}
		}
	}
}

func TestCompressionAndLimits(t *testing.T) {
	v := strings.Repeat("abc", 10000)
	o := Options{Codec: MsgPack, CompressAbove: 100, MaxSize: 1 << 20}
	b, err := encode(&v, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 1000 {
		t.Fatalf("not compressed: %d bytes", len(b))
	}
	var out string
	if err := decode(b, &out, Options{MaxSize: 1 << 20}); err != nil || out != v {
		t.Fatalf("compressed round trip: %v", err)
	}
	// A small compressed payload that inflates past the limit.
	if err := decode(b, &out, Options{MaxSize: 1000}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("decompression bomb: %v", err)
	}
	if _, err := encode(&v, Options{Codec: MsgPack, MaxSize: 100}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("encode over the limit: %v", err)
	}
	text := textForm(b)
	if !strings.HasPrefix(text, textPrefix) {
		t.Fatal(text)
	}
	if err := decode([]byte(text), &out, Options{MaxSize: 1 << 20}); err != nil || out != v {
		t.Fatalf("text form: %v", err)
	}
}

type msgpackOnly struct{ N int }

func (msgpackOnly) PickleCodec() string { return MsgPack }

func TestTypeCodecChoice(t *testing.T) {
	b, err := Of(msgpackOnly{N: 1}).Value()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b.([]byte)[:13]), MsgPack) {
		t.Fatalf("PickleCodec ignored: %q", b)
	}
	type viaSetter struct{ N int }
	if err := SetTypeCodec(viaSetter{}, JSON); err != nil {
		t.Fatal(err)
	}
	b, _ = Of(viaSetter{N: 2}).Value()
	if !strings.HasSuffix(string(b.([]byte)), `{"N":2}`) {
		t.Fatalf("SetTypeCodec ignored: %q", b)
	}
}

func TestEqualAndComparator(t *testing.T) {
	a, b := Of(settings{Theme: "x"}), Of(settings{Theme: "x"})
	if !a.Equal(b) {
		t.Fatal("equal values differ")
	}
	SetComparator(func(x, y any) bool { return true })
	defer SetComparator(nil)
	if !Equal(1, 2) {
		t.Fatal("custom comparator ignored")
	}
}
