package modelcodec

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

// EncodeWith is [Encode] with the model ID taken from reg.
func EncodeWith(reg *serializer.Registry, model any) ([]byte, error) {
	rv := reflect.ValueOf(model)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: Encode needs a non-nil pointer to a struct, got %T", serializer.ErrNotSerializable, model)
	}
	t := rv.Elem().Type()
	shape, err := modelShapeOf(t)
	if err != nil {
		return nil, err
	}
	e := &encoder{}
	e.header(modelOne, modelIDOf(reg, t), shape)
	if err := e.row(shape, rv.Elem()); err != nil {
		return nil, err
	}
	return e.w.Buf, nil
}

// EncodeManyWith is [EncodeMany] with the model ID taken from reg.
func EncodeManyWith(reg *serializer.Registry, rows any) ([]byte, error) {
	rv := reflect.Indirect(reflect.ValueOf(rows))
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("%w: EncodeMany needs a slice of structs, got %T", serializer.ErrNotSerializable, rows)
	}
	et := rv.Type().Elem()
	ptrs := et.Kind() == reflect.Pointer
	if ptrs {
		et = et.Elem()
	}
	if et.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: EncodeMany needs a slice of structs, got %T", serializer.ErrNotSerializable, rows)
	}
	shape, err := modelShapeOf(et)
	if err != nil {
		return nil, err
	}
	e := &encoder{}
	e.header(modelMany, modelIDOf(reg, et), shape)
	e.w.ArrayLen(rv.Len())
	for i := 0; i < rv.Len(); i++ {
		row := rv.Index(i)
		if ptrs {
			if row.IsNil() {
				return nil, fmt.Errorf("%w: EncodeMany: row %d is nil", serializer.ErrNotSerializable, i)
			}
			row = row.Elem()
		}
		if err := e.row(shape, row); err != nil {
			return nil, err
		}
	}
	return e.w.Buf, nil
}

// encoder writes model payloads.
type encoder struct {
	w     wire.Writer
	field string // the column being written, for errors
}

// modelMaxEncodeDepth bounds recursion through nested column values.
const modelMaxEncodeDepth = 100

func (e *encoder) header(kind int, id string, s *modelShape) {
	e.w.Buf = append(make([]byte, 0, 64+16*len(s.columns)), modelMagic...)
	e.w.Buf = append(e.w.Buf, modelVersion, 0)
	e.w.ArrayLen(4)
	e.w.Int(int64(kind))
	e.w.String(id)
	e.w.Uint(s.fingerprint)
}

func (e *encoder) row(s *modelShape, rv reflect.Value) error {
	ctx := context.Background()
	if !rv.CanAddr() {
		// GORM's field accessors need an addressable struct (they allocate
		// nil embedded pointers); use a copy, so the caller's row never
		// changes.
		cp := reflect.New(rv.Type()).Elem()
		cp.Set(rv)
		rv = cp
	}
	e.w.ArrayLen(len(s.columns))
	for _, c := range s.columns {
		e.field = c.field.Name
		if c.driver {
			v, _ := c.field.ValueOf(ctx, rv) // a Valuer running the field's serializer
			if err := writeDriverValue(&e.w, v); err != nil {
				return e.fail("%v", err)
			}
			continue
		}
		fv, ok := modelFieldValue(rv, c.field.StructField.Index)
		if !ok {
			fv = reflect.New(c.field.FieldType).Elem() // in a nil embedded pointer
		}
		if err := e.typed(fv, 0); err != nil {
			return err
		}
	}
	return nil
}

// modelFieldValue follows a GORM field index path (a negative step -i-1
// passes through the embedded pointer field i) without allocating; ok is
// false when the path crosses a nil embedded pointer.
func modelFieldValue(v reflect.Value, index []int) (reflect.Value, bool) {
	for _, x := range index {
		if x >= 0 {
			v = v.Field(x)
			continue
		}
		v = v.Field(-x - 1)
		if v.IsNil() {
			return reflect.Value{}, false
		}
		v = v.Elem()
	}
	return v, true
}

func (e *encoder) fail(format string, args ...any) error {
	return fmt.Errorf("%w: column %s: %s", serializer.ErrNotSerializable, e.field, fmt.Sprintf(format, args...))
}

// typed writes a value whose type the reader knows from the model.
func (e *encoder) typed(v reflect.Value, depth int) error {
	if depth > modelMaxEncodeDepth {
		return e.fail("nests deeper than %d (a cycle?)", modelMaxEncodeDepth)
	}
	t := v.Type()
	if t == modelTimeType {
		writeModelTime(&e.w, v.Interface().(time.Time))
		return nil
	}
	if modelOpaque(t) {
		p := reflect.New(t) // Value may have a pointer receiver
		p.Elem().Set(v)
		if err := writeDriverValue(&e.w, p.Interface()); err != nil {
			return e.fail("%v", err)
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Bool:
		e.w.Bool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.w.Int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.w.Uint(v.Uint())
	case reflect.Float32:
		e.w.Float32(float32(v.Float()))
	case reflect.Float64:
		e.w.Float64(v.Float())
	case reflect.String:
		e.w.String(v.String())
	case reflect.Pointer:
		if v.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.typed(v.Elem(), depth+1)
	case reflect.Slice:
		if v.IsNil() {
			e.w.Nil()
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			e.w.Bytes(v.Bytes())
			return nil
		}
		return e.items(v, depth)
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			e.w.Bytes(b)
			return nil
		}
		return e.items(v, depth)
	case reflect.Map:
		if v.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.mapEntries(v, depth)
	case reflect.Struct:
		e.w.ArrayLen(t.NumField())
		for i := 0; i < t.NumField(); i++ {
			if err := e.typed(v.Field(i), depth+1); err != nil {
				return err
			}
		}
	default:
		return e.fail("type %s", t)
	}
	return nil
}

func (e *encoder) items(v reflect.Value, depth int) error {
	e.w.ArrayLen(v.Len())
	for i := 0; i < v.Len(); i++ {
		if err := e.typed(v.Index(i), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// mapEntries writes a map with its entries sorted by encoded key, so equal
// maps give equal bytes.
func (e *encoder) mapEntries(v reflect.Value, depth int) error {
	type entry struct{ k, v []byte }
	entries := make([]entry, 0, v.Len())
	outer := e.w
	defer func() { e.w = outer }()
	iter := v.MapRange()
	for iter.Next() {
		e.w = wire.Writer{}
		if err := e.typed(iter.Key(), depth+1); err != nil {
			return err
		}
		k := e.w.Buf
		e.w = wire.Writer{}
		if err := e.typed(iter.Value(), depth+1); err != nil {
			return err
		}
		entries = append(entries, entry{k, e.w.Buf})
	}
	sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].k, entries[j].k) < 0 })
	e.w = outer
	e.w.MapLen(len(entries))
	for _, en := range entries {
		e.w.Buf = append(e.w.Buf, en.k...)
		e.w.Buf = append(e.w.Buf, en.v...)
	}
	outer = e.w
	return nil
}
