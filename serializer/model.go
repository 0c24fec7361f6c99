package serializer

import (
	"database/sql"
	"fmt"
	"hash/fnv"
	"reflect"
	"sort"
	"sync"

	"gorm.io/gorm/schema"
)

// Model payloads (EncodeModel, EncodeModels) cache rows: a model's column
// values, typed and versioned, without relationships. Layout:
//
//	"GPM" | version 1 | flags 0 | MessagePack [kind, model ID, fingerprint, data]
//
// kind is 0 for one row (data: the columns) and 1 for a list (data: an
// array of rows). Columns are written in the schema's field order, each
// typed by its Go type, so the payload carries no column names: the
// fingerprint (a hash of every column's name and Go type) says whether the
// reading struct has the same shape.
const (
	modelMagic   = "GPM"
	modelVersion = 1
	modelOne     = 0
	modelMany    = 1
)

// modelSchemas caches parsed schemas under GORM's default naming strategy.
var modelSchemas sync.Map

// modelPlan is what encoding and decoding one model type needs.
type modelPlan struct {
	id          string
	fingerprint uint64
	schema      *schema.Schema
	columns     []*schema.Field
}

var plans sync.Map // reflect.Type -> *modelPlan

// planFor returns the plan of a model type under reg's IDs.
func planFor(reg *Registry, t reflect.Type) (*modelPlan, error) {
	if p, ok := plans.Load(t); ok {
		pl := p.(*modelPlan)
		if id := modelIDOf(reg, t); id == pl.id {
			return pl, nil
		}
	}
	s, err := schema.Parse(reflect.New(t).Interface(), &modelSchemas, schema.NamingStrategy{})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotSerializable, t, err)
	}
	p := &modelPlan{id: modelIDOf(reg, t), schema: s}
	h := fnv.New64a()
	for _, f := range s.Fields {
		if f.DBName == "" {
			continue // relationships and ignored fields
		}
		if err := checkColumnType(f); err != nil {
			return nil, err
		}
		p.columns = append(p.columns, f)
	}
	names := make([]string, len(p.columns))
	for i, f := range p.columns {
		names[i] = f.DBName + "\x00" + f.FieldType.String() + "\x00" + serializerName(f)
	}
	sort.Strings(names)
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0xff})
	}
	p.fingerprint = h.Sum64()
	plans.Store(t, p)
	return p, nil
}

func modelIDOf(reg *Registry, t reflect.Type) string {
	if id, ok := reg.ModelID(t); ok {
		return id
	}
	return DefaultTypeID(t)
}

func serializerName(f *schema.Field) string {
	if f.Serializer == nil {
		return ""
	}
	if name := f.TagSettings["SERIALIZER"]; name != "" {
		return name
	}
	return reflect.TypeOf(f.Serializer).String()
}

var scannerType = reflect.TypeOf((*sql.Scanner)(nil)).Elem()

// viaDriver reports whether a column is stored as its database value
// (driver.Valuer out, sql.Scanner or the field's serializer in) rather than
// walked field by field: serializer fields, and types whose state is
// private.
func viaDriver(f *schema.Field) bool {
	if f.Serializer != nil {
		return true
	}
	return opaque(f.FieldType)
}

// opaque reports whether t hides its state in unexported fields behind a
// Valuer/Scanner pair.
func opaque(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType || t.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		if !t.Field(i).IsExported() {
			return reflect.PointerTo(t).Implements(scannerType) && (t.Implements(valuerType) || reflect.PointerTo(t).Implements(valuerType))
		}
	}
	return false
}

// checkColumnType refuses column types that cannot be written exactly.
func checkColumnType(f *schema.Field) error {
	if viaDriver(f) {
		return nil
	}
	return walkable(f.FieldType, map[reflect.Type]bool{}, f.Name)
}

func walkable(t reflect.Type, seen map[reflect.Type]bool, field string) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return walkable(t.Elem(), seen, field)
	case reflect.Map:
		if err := walkable(t.Key(), seen, field); err != nil {
			return err
		}
		return walkable(t.Elem(), seen, field)
	case reflect.Struct:
		if t == timeType || opaque(t) {
			return nil
		}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				return fmt.Errorf("%w: column %s: %s has unexported fields and no Valuer/Scanner pair", ErrNotSerializable, field, t)
			}
			if err := walkable(sf.Type, seen, field); err != nil {
				return err
			}
		}
		return nil
	case reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
		return fmt.Errorf("%w: column %s has type %s, which cannot be cached exactly", ErrNotSerializable, field, t)
	}
	return nil
}
