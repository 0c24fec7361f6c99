package serializer_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

type rowsOwner struct {
	ID   uint
	Pets []*rowsPet
}

type rowsPet struct {
	ID          uint
	RowsOwnerID uint
}

// rowsModel builds a payload whose model entry is [id, [type, row, ...]]:
// typ writes the type descriptor, rows the rows.
func rowsModel(id string, typ func(w *wire.Writer), rows ...func(w *wire.Writer)) []byte {
	return payload(func(w *wire.Writer) {
		w.MapLen(1)
		w.Int(1) // model
		w.ArrayLen(2)
		w.String(id)
		w.ArrayLen(1 + len(rows))
		typ(w)
		for _, row := range rows {
			row(w)
		}
	})
}

// ptrSliceOf writes *[]<model 0>, the model interned first.
func ptrSliceOf(w *wire.Writer) {
	w.ArrayLen(2)
	w.Int(4) // pointer to
	w.ArrayLen(2)
	w.Int(1) // slice of
	w.ArrayLen(2)
	w.Int(5) // registered type
	w.Int(0)
}

// row writes [field, value, ...] from name, value pairs.
func row(pairs ...any) func(w *wire.Writer) {
	return func(w *wire.Writer) {
		w.ArrayLen(len(pairs))
		for i, p := range pairs {
			switch v := p.(type) {
			case string:
				w.String(v)
			case int:
				w.Int(int64(v))
			case func(w *wire.Writer):
				v(w)
			default:
				panic(i)
			}
		}
	}
}

// TestRowsPayloads: the rows of a model holding rows are restored into a
// new value of the recorded type; what does not fit is an error, never a
// panic or a partial model.
func TestRowsPayloads(t *testing.T) {
	db, reg := hostileTarget(t)
	// The pet first: registered along with the owner, it would take its
	// default ID as a value type.
	reg.MustRegisterModel(serializer.NamedModel("pet", &rowsPet{}))
	reg.MustRegisterModel(serializer.NamedModel("owner", &rowsOwner{}))

	tx, err := serializer.Restore(reg, &serializer.Options{}, db,
		rowsModel("user", ptrSliceOf, row("ID", 1), row("ID", 2, "Name", "x")))
	if err != nil {
		t.Fatal(err)
	}
	want := &[]hostileUser{{ID: 1}, {ID: 2, Name: "x"}}
	if !reflect.DeepEqual(tx.Statement.Model, want) {
		t.Fatalf("model %#v, want %#v", tx.Statement.Model, want)
	}

	nilPets := func(w *wire.Writer) { // []*rowsPet{nil}
		w.ArrayLen(3)
		w.Int(13) // slice
		w.ArrayLen(2)
		w.Int(4)
		w.ArrayLen(2)
		w.Int(5)
		w.String("pet")
		w.Nil()
	}
	structOnly := func(w *wire.Writer) {
		w.ArrayLen(2)
		w.Int(5)
		w.Int(0)
	}
	arrayOf3 := func(w *wire.Writer) {
		w.ArrayLen(3)
		w.Int(2) // array of
		w.Int(3)
		w.ArrayLen(2)
		w.Int(5)
		w.Int(0)
	}
	sliceOfSlices := func(w *wire.Writer) {
		w.ArrayLen(2)
		w.Int(1)
		w.ArrayLen(2)
		w.Int(1)
		w.ArrayLen(2)
		w.Int(5)
		w.Int(0)
	}
	otherModel := func(w *wire.Writer) {
		w.ArrayLen(2)
		w.Int(1)
		w.ArrayLen(2)
		w.Int(5)
		w.String("pet")
	}
	manyRows := payload(func(w *wire.Writer) {
		w.MapLen(1)
		w.Int(1)
		w.ArrayLen(2)
		w.String("user")
		w.ArrayLen(60000)
		ptrSliceOf(w)
		w.ArrayLen(0)
	})
	for _, c := range []struct {
		name   string
		data   []byte
		want   error
		strict bool
	}{
		{"not a collection", rowsModel("user", structOnly), serializer.ErrCorrupt, false},
		{"rows of another model", rowsModel("user", otherModel), serializer.ErrCorrupt, false},
		{"rows of rows", rowsModel("user", sliceOfSlices), serializer.ErrCorrupt, false},
		{"array of another length", rowsModel("user", arrayOf3, row(), row()), serializer.ErrCorrupt, false},
		{"odd row", rowsModel("user", ptrSliceOf, row("ID")), serializer.ErrCorrupt, false},
		{"unknown field", rowsModel("user", ptrSliceOf, row("Nope", 1)), serializer.ErrUnknownField, false},
		{"nil row", rowsModel("user", ptrSliceOf, func(w *wire.Writer) { w.Nil() }), serializer.ErrCorrupt, false},
		{"more rows than bytes", manyRows, serializer.ErrCorrupt, false},
		{"association with a nil element", rowsModel("owner", ptrSliceOf, row("ID", 1, "Pets", nilPets)), serializer.ErrCorrupt, false},
		{"association under the strict policy", rowsModel("owner", ptrSliceOf, row("ID", 1, "Pets", nilPets)), serializer.ErrNotAllowed, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := serializer.Options{DenyRawSQL: c.strict}
			_, err := serializer.Restore(reg, &opts, db, c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("%v, want %v", err, c.want)
			}
		})
	}
}
