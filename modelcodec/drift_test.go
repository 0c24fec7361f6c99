package modelcodec_test

import (
	"errors"
	"testing"

	"github.com/gormpickle/gormpickle/modelcodec"
	"github.com/gormpickle/gormpickle/serializer"
)

// driftV1 is the shape a cache entry was written with; the driftV2*
// types are the same model (ID "drift") after a change.
type driftV1 struct {
	ID   uint
	Name string
	Note string
	Tags []string `gorm:"serializer:json"`
}

type driftSame struct { // another Go type, same columns: decodes
	ID   uint
	Name string
	Note string
	Tags []string `gorm:"serializer:json"`
}

type driftAdded struct {
	ID   uint
	Name string
	Note string
	Tags []string `gorm:"serializer:json"`
	Age  int
}

type driftRemoved struct {
	ID   uint
	Name string
	Tags []string `gorm:"serializer:json"`
}

type driftReordered struct { // same columns, Name and Note swapped
	ID   uint
	Note string
	Name string
	Tags []string `gorm:"serializer:json"`
}

type driftRenamed struct {
	ID   uint
	Name string `gorm:"column:title"`
	Note string
	Tags []string `gorm:"serializer:json"`
}

type driftRetyped struct {
	ID   uint
	Name []byte
	Note string
	Tags []string `gorm:"serializer:json"`
}

type driftSerializer struct {
	ID   uint
	Name string
	Note string
	Tags []string `gorm:"serializer:gob"`
}

// encodeAs writes model under the ID "drift".
func encodeAs(t *testing.T, model any) []byte {
	t.Helper()
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(serializer.NamedModel("drift", model))
	data, err := modelcodec.EncodeWith(reg, model)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// decodeAs reads data into dst registered under the ID "drift".
func decodeAs(t *testing.T, data []byte, dst any) error {
	t.Helper()
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(serializer.NamedModel("drift", dst))
	return modelcodec.DecodeWith(reg, data, dst)
}

func TestModelSchemaDrift(t *testing.T) {
	old := encodeAs(t, &driftV1{ID: 1, Name: "name", Note: "note", Tags: []string{"t"}})
	tests := []struct {
		name string
		dst  any
		want error // nil: decodes
	}{
		{"same columns, other type", &driftSame{}, nil},
		{"column added", &driftAdded{}, modelcodec.ErrSchemaChanged},
		{"column removed", &driftRemoved{}, modelcodec.ErrSchemaChanged},
		{"columns reordered", &driftReordered{}, modelcodec.ErrSchemaChanged},
		{"column renamed", &driftRenamed{}, modelcodec.ErrSchemaChanged},
		{"column retyped", &driftRetyped{}, modelcodec.ErrSchemaChanged},
		{"serializer changed", &driftSerializer{}, modelcodec.ErrSchemaChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := decodeAs(t, old, tt.dst)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got := tt.dst.(*driftSame); got.Name != "name" || got.Note != "note" {
					t.Fatalf("decoded %+v", got)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if errors.Is(err, modelcodec.ErrModelMismatch) || errors.Is(err, serializer.ErrCorrupt) {
				t.Fatalf("drift reported as another error too: %v", err)
			}
		})
	}
}

// nestedV1Payload and nestedV2Decode use two struct types that print the
// same ("serializer_test.inner") but differ in shape, inside a column.
func nestedV1Payload(t *testing.T) []byte {
	type inner struct{ X int }
	type row struct {
		ID  uint
		Doc box[inner]
	}
	return encodeAs(t, &row{ID: 1, Doc: box[inner]{Data: inner{X: 5}}})
}

func nestedV2Decode(t *testing.T, data []byte) error {
	type inner struct{ X, Y int }
	type row struct {
		ID  uint
		Doc box[inner]
	}
	return decodeAs(t, data, &row{})
}

func TestModelSchemaDriftNested(t *testing.T) {
	if err := nestedV2Decode(t, nestedV1Payload(t)); !errors.Is(err, modelcodec.ErrSchemaChanged) {
		t.Fatalf("a field added to a nested struct: got %v, want ErrSchemaChanged", err)
	}
}

func TestModelMismatch(t *testing.T) {
	one, err := modelcodec.Encode(&driftV1{ID: 1})
	if err != nil {
		t.Fatal(err)
	}
	many, err := modelcodec.EncodeMany([]driftV1{{ID: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var same driftSame // same columns, different model ID
	if err := modelcodec.Decode(one, &same); !errors.Is(err, modelcodec.ErrModelMismatch) {
		t.Fatalf("another model: %v", err)
	}
	var rows []driftSame
	if err := modelcodec.DecodeMany(many, &rows); !errors.Is(err, modelcodec.ErrModelMismatch) {
		t.Fatalf("another model's list: %v", err)
	}
	var v driftV1
	if err := modelcodec.Decode(many, &v); !errors.Is(err, modelcodec.ErrModelMismatch) {
		t.Fatalf("a list decoded as one row: %v", err)
	}
	var vs []driftV1
	if err := modelcodec.DecodeMany(one, &vs); !errors.Is(err, modelcodec.ErrModelMismatch) {
		t.Fatalf("one row decoded as a list: %v", err)
	}
	if v.ID != 0 || vs != nil {
		t.Fatal("destination changed on error")
	}
}

func TestModelRegisteredID(t *testing.T) {
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(serializer.NamedModel("users/v1", &driftV1{}))
	data, err := modelcodec.EncodeWith(reg, &driftV1{ID: 9})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := modelcodec.Describe(data)
	if err != nil {
		t.Fatal(err)
	}
	if desc.Model != "users/v1" {
		t.Fatalf("model ID %q", desc.Model)
	}
	var v driftV1
	if err := modelcodec.Decode(data, &v); !errors.Is(err, modelcodec.ErrModelMismatch) {
		t.Fatalf("the default registry does not know users/v1: %v", err)
	}
	if err := modelcodec.DecodeWith(reg, data, &v); err != nil || v.ID != 9 {
		t.Fatalf("%+v, %v", v, err)
	}
}
