package modelcodec_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/gormpickle/gormpickle/modelcodec"
	"github.com/gormpickle/gormpickle/serializer"
)

func TestModelRoundTripEveryKind(t *testing.T) {
	want := sampleKindRow(t)
	before := *want
	data, err := modelcodec.Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*want, before) {
		t.Fatal("Encode changed the row")
	}
	var got kindRow
	if err := modelcodec.Decode(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Children != nil || got.Only != nil || got.Parent != nil || got.Peers != nil {
		t.Fatalf("relationships came back: %+v %+v %+v %+v", got.Children, got.Only, got.Parent, got.Peers)
	}
	if got.Nick == nil || *got.Nick != "" || got.Missing != nil || got.NoBytes != nil || got.Empty == nil || got.NoSecret != nil {
		t.Fatal("nil and empty values were not kept apart")
	}
	sameTime(t, "At", &got.At, want.At)
	sameTime(t, "AtUTC", &got.AtUTC, want.AtUTC)
	sameTime(t, "AtFixed", &got.AtFixed, want.AtFixed)
	sameTime(t, "AtZero", &got.AtZero, want.AtZero)
	sameTime(t, "Audit.At", got.Audit.At, *want.Audit.At)
	got.Audit.At = want.Audit.At
	expect := *want
	expect.Children, expect.Only, expect.Parent, expect.Peers = nil, nil, nil, nil
	if !reflect.DeepEqual(got, expect) {
		t.Fatalf("decoded row differs\ngot  %+v\nwant %+v", got, expect)
	}
}

func TestModelNilEmbeddedPointer(t *testing.T) {
	row := sampleKindRow(t)
	row.KindExtra = nil
	data, err := modelcodec.Encode(row)
	if err != nil {
		t.Fatal(err)
	}
	if row.KindExtra != nil {
		t.Fatal("Encode allocated the caller's embedded pointer")
	}
	var got kindRow
	if err := modelcodec.Decode(data, &got); err != nil {
		t.Fatal(err)
	}
	// As when GORM scans a row, the embedded struct is allocated, zero.
	if got.KindExtra == nil || got.Extra != "" {
		t.Fatalf("embedded pointer: %+v", got.KindExtra)
	}
}

func TestModelDeterministic(t *testing.T) {
	first, err := modelcodec.Encode(sampleKindRow(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ { // map iteration order changes between runs
		again, err := modelcodec.Encode(sampleKindRow(t))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, first) {
			t.Fatalf("run %d: equal rows gave different bytes", i)
		}
	}
	var got kindRow
	if err := modelcodec.Decode(first, &got); err != nil {
		t.Fatal(err)
	}
	again, err := modelcodec.Encode(&got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, first) {
		t.Fatal("a decoded row re-encodes to other bytes")
	}
}

func TestModelsRoundTrip(t *testing.T) {
	rows := []kindRow{*sampleKindRow(t), {ID: 2, Name: "second"}}
	data, err := modelcodec.EncodeMany(rows)
	if err != nil {
		t.Fatal(err)
	}
	byPtr, err := modelcodec.EncodeMany(&[]*kindRow{&rows[0], &rows[1]})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(byPtr, data) {
		t.Fatal("a slice of pointers encodes differently from a slice of values")
	}
	var got []*kindRow
	if err := modelcodec.DecodeMany(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != rows[0].ID || got[1].Name != "second" || got[0].Children != nil {
		t.Fatalf("decoded %+v", got)
	}
	var empty []kindRow
	data, err = modelcodec.EncodeMany([]kindRow{})
	if err != nil {
		t.Fatal(err)
	}
	if err := modelcodec.DecodeMany(data, &empty); err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("empty list: %v, %v", empty, err)
	}
	if _, err := modelcodec.EncodeMany([]*kindRow{nil}); !errors.Is(err, serializer.ErrNotSerializable) {
		t.Fatalf("nil row: %v", err)
	}
}

// unsupported has a column the codec cannot write exactly.
type unsupported struct {
	ID    uint
	Inner struct{ hidden int } `gorm:"type:bytes"`
}

// panicky's Value panics.
type panicky struct{ p *int }

func (p panicky) Value() (any, error) { return *p.p, nil }

func (p *panicky) Scan(any) error { return nil }

// GormDataType makes panicky a column.
func (panicky) GormDataType() string { return "int" }

type panickyRow struct {
	ID uint
	P  panicky
}

func TestModelEncodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		model any
	}{
		{"nil", nil},
		{"not a pointer", kindRow{}},
		{"nil pointer", (*kindRow)(nil)},
		{"pointer to non-struct", new(int)},
		{"private state without Valuer", &unsupported{}},
		{"Value panics", &panickyRow{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := modelcodec.Encode(tt.model); !errors.Is(err, serializer.ErrNotSerializable) {
				t.Fatalf("got %v, want ErrNotSerializable", err)
			}
		})
	}
}

func TestModelDecodeBadDestination(t *testing.T) {
	data, err := modelcodec.Encode(sampleKindRow(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, dst := range map[string]any{"nil": nil, "struct value": kindRow{}, "nil pointer": (*kindRow)(nil), "int": new(int)} {
		if err := modelcodec.Decode(data, dst); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for name, dst := range map[string]any{"nil": nil, "slice value": []kindRow{}, "slice of ints": &[]int{}} {
		if err := modelcodec.DecodeMany(data, dst); err == nil {
			t.Errorf("DecodeMany %s: no error", name)
		}
	}
}
