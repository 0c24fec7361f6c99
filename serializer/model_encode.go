package serializer

import (
	"bytes"
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// EncodeModel returns a cacheable payload of one row: model must be a
// pointer to a struct GORM can parse. Every column is written, typed;
// relationships are not (they come back empty). Equal rows give equal
// bytes. The model's ID comes from [Default].
func EncodeModel(model any) ([]byte, error) { return EncodeModelWith(Default, model) }

// EncodeModels is EncodeModel for a slice (or pointer to a slice) of rows
// of one model: a result set in one payload.
func EncodeModels(rows any) ([]byte, error) { return EncodeModelsWith(Default, rows) }

// EncodeModelWith is EncodeModel with model IDs taken from reg.
func EncodeModelWith(reg *Registry, model any) ([]byte, error) {
	rv := reflect.ValueOf(model)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: EncodeModel needs a non-nil pointer to a struct, got %T", ErrNotSerializable, model)
	}
	p, err := planFor(reg, rv.Elem().Type())
	if err != nil {
		return nil, err
	}
	e := &modelEncoder{}
	e.header(modelOne, p)
	if err := e.row(p, rv.Elem()); err != nil {
		return nil, err
	}
	return e.w.Buf, nil
}

// EncodeModelsWith is EncodeModels with model IDs taken from reg.
func EncodeModelsWith(reg *Registry, rows any) ([]byte, error) {
	rv := reflect.Indirect(reflect.ValueOf(rows))
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("%w: EncodeModels needs a slice of structs, got %T", ErrNotSerializable, rows)
	}
	et := rv.Type().Elem()
	ptrs := et.Kind() == reflect.Pointer
	if ptrs {
		et = et.Elem()
	}
	if et.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: EncodeModels needs a slice of structs, got %T", ErrNotSerializable, rows)
	}
	p, err := planFor(reg, et)
	if err != nil {
		return nil, err
	}
	e := &modelEncoder{}
	e.header(modelMany, p)
	e.w.ArrayLen(rv.Len())
	for i := 0; i < rv.Len(); i++ {
		row := rv.Index(i)
		if ptrs {
			if row.IsNil() {
				return nil, fmt.Errorf("%w: EncodeModels: row %d is nil", ErrNotSerializable, i)
			}
			row = row.Elem()
		}
		if err := e.row(p, row); err != nil {
			return nil, err
		}
	}
	return e.w.Buf, nil
}

type modelEncoder struct{ w wire.Writer }

func (e *modelEncoder) header(kind int, p *modelPlan) {
	e.w.Buf = append(make([]byte, 0, 128), modelMagic...)
	e.w.Buf = append(e.w.Buf, modelVersion, 0)
	e.w.ArrayLen(4)
	e.w.Int(int64(kind))
	e.w.String(p.id)
	e.w.Uint(p.fingerprint)
}

func (e *modelEncoder) row(p *modelPlan, rv reflect.Value) error {
	ctx := context.Background()
	// Read from a shallow copy: GORM's field accessors allocate nil embedded
	// pointers, and the caller's row must not change.
	cp := reflect.New(rv.Type()).Elem()
	cp.Set(rv)
	rv = cp
	e.w.ArrayLen(len(p.columns))
	for _, f := range p.columns {
		if viaDriver(f) {
			v, _ := f.ValueOf(ctx, rv)
			if err := e.driverValue(v, f.Name); err != nil {
				return err
			}
			continue
		}
		if err := e.typed(f.ReflectValueOf(ctx, rv), f.Name, 0); err != nil {
			return err
		}
	}
	return nil
}

// driverValue writes a column as its database value: [kind, value].
func (e *modelEncoder) driverValue(v any, field string) error {
	if valuer, ok := v.(driver.Valuer); ok {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			e.w.Nil()
			return nil
		}
		dv, err := valuer.Value()
		if err != nil {
			return fmt.Errorf("%w: column %s: Value(): %v", ErrNotSerializable, field, err)
		}
		v = dv
	}
	switch x := v.(type) {
	case nil:
		e.w.Nil()
	case int64:
		e.w.Int(x)
	case float64:
		e.w.Float64(x)
	case bool:
		e.w.Bool(x)
	case []byte:
		e.w.Bytes(x)
	case string:
		e.w.String(x)
	case time.Time:
		e.time(x)
	default:
		return fmt.Errorf("%w: column %s: database value of type %T", ErrNotSerializable, field, v)
	}
	return nil
}

// time writes [seconds, nanoseconds, offset, zone name, location name].
func (e *modelEncoder) time(t time.Time) {
	name, offset := t.Zone()
	e.w.ArrayLen(5)
	e.w.Int(t.Unix())
	e.w.Int(int64(t.Nanosecond()))
	e.w.Int(int64(offset))
	e.w.String(name)
	e.w.String(t.Location().String())
}

// typed writes a value whose type the reader knows from the model.
func (e *modelEncoder) typed(v reflect.Value, field string, depth int) error {
	if depth > maxEncodeDepth {
		return fmt.Errorf("%w: column %s nests too deeply (a cycle?)", ErrNotSerializable, field)
	}
	t := v.Type()
	if t == timeType {
		e.time(v.Interface().(time.Time))
		return nil
	}
	if opaque(t) {
		return e.driverValue(v.Interface(), field)
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
		return e.typed(v.Elem(), field, depth+1)
	case reflect.Slice:
		if v.IsNil() {
			e.w.Nil()
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			e.w.Bytes(v.Bytes())
			return nil
		}
		return e.items(v, field, depth)
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			e.w.Bytes(b)
			return nil
		}
		return e.items(v, field, depth)
	case reflect.Map:
		if v.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.mapEntries(v, field, depth)
	case reflect.Struct:
		e.w.ArrayLen(t.NumField())
		for i := 0; i < t.NumField(); i++ {
			if err := e.typed(v.Field(i), field, depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w: column %s has type %s", ErrNotSerializable, field, t)
	}
	return nil
}

func (e *modelEncoder) items(v reflect.Value, field string, depth int) error {
	e.w.ArrayLen(v.Len())
	for i := 0; i < v.Len(); i++ {
		if err := e.typed(v.Index(i), field, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// mapEntries writes a map with entries sorted by encoded key.
func (e *modelEncoder) mapEntries(v reflect.Value, field string, depth int) error {
	type entry struct{ k, v []byte }
	entries := make([]entry, 0, v.Len())
	outer := e.w
	iter := v.MapRange()
	for iter.Next() {
		e.w = wire.Writer{}
		if err := e.typed(iter.Key(), field, depth+1); err != nil {
			e.w = outer
			return err
		}
		k := e.w.Buf
		e.w = wire.Writer{}
		if err := e.typed(iter.Value(), field, depth+1); err != nil {
			e.w = outer
			return err
		}
		entries = append(entries, entry{k, e.w.Buf})
	}
	e.w = outer
	sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].k, entries[j].k) < 0 })
	e.w.MapLen(len(entries))
	for _, en := range entries {
		e.w.Buf = append(e.w.Buf, en.k...)
		e.w.Buf = append(e.w.Buf, en.v...)
	}
	return nil
}
