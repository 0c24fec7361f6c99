package modelcodec

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gormpickle/gormpickle/serializer"
	"gorm.io/gorm/schema"
)

var (
	modelTimeType    = reflect.TypeOf(time.Time{})
	modelValuerType  = reflect.TypeOf((*driver.Valuer)(nil)).Elem()
	modelScannerType = reflect.TypeOf((*sql.Scanner)(nil)).Elem()
)

// modelSchemas caches schemas parsed under GORM's default naming strategy.
var modelSchemas sync.Map

// modelShape is what encoding and decoding a model type needs, apart from
// its ID (which depends on the registry).
type modelShape struct {
	columns     []modelColumn
	fingerprint uint64
}

// modelColumn is one column of a model.
type modelColumn struct {
	field *schema.Field
	// driver: written as its database value (the field has a serializer).
	driver bool
}

var modelShapes sync.Map // reflect.Type -> *modelShape

// modelShapeOf returns the columns and fingerprint of struct type t.
func modelShapeOf(t reflect.Type) (*modelShape, error) {
	if s, ok := modelShapes.Load(t); ok {
		return s.(*modelShape), nil
	}
	sch, err := schema.Parse(reflect.New(t).Interface(), &modelSchemas, schema.NamingStrategy{})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", serializer.ErrNotSerializable, t, err)
	}
	s := &modelShape{}
	h := fnv.New64a()
	for _, f := range sch.Fields {
		if f.DBName == "" {
			continue // relationships and ignored fields
		}
		col := modelColumn{field: f, driver: f.Serializer != nil}
		if !col.driver {
			if err := modelWalkable(f.FieldType, map[reflect.Type]bool{}); err != nil {
				return nil, fmt.Errorf("%w: column %s of %s: %v", serializer.ErrNotSerializable, f.DBName, t, err)
			}
		}
		s.columns = append(s.columns, col)
		h.Write([]byte(modelColumnSignature(col)))
		h.Write([]byte{0})
	}
	s.fingerprint = h.Sum64()
	actual, _ := modelShapes.LoadOrStore(t, s)
	return actual.(*modelShape), nil
}

// modelColumnSignature is what the fingerprint hashes for a column: its
// name, its Go type's structure and its serializer. The fingerprint is the
// 64-bit FNV-1a hash of the signatures of all columns in schema order, so
// adding, removing, renaming, reordering or retyping a column (or a field
// of a struct-typed column) changes it.
func modelColumnSignature(c modelColumn) string {
	if c.driver {
		name := c.field.TagSettings["SERIALIZER"]
		if name == "" {
			name = reflect.TypeOf(c.field.Serializer).String()
		}
		return c.field.DBName + " " + c.field.FieldType.String() + " serializer:" + name
	}
	var b strings.Builder
	b.WriteString(c.field.DBName)
	b.WriteByte(' ')
	modelTypeSignature(&b, c.field.FieldType, map[reflect.Type]bool{})
	return b.String()
}

// modelTypeSignature writes the structure of t as the codec sees it.
func modelTypeSignature(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	if t.Name() != "" {
		b.WriteString(t.String())
		if seen[t] || t == modelTimeType {
			return
		}
		seen[t] = true
		b.WriteByte('=')
	}
	if modelOpaque(t) {
		b.WriteString("valuer")
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		b.WriteByte('*')
		modelTypeSignature(b, t.Elem(), seen)
	case reflect.Slice:
		b.WriteString("[]")
		modelTypeSignature(b, t.Elem(), seen)
	case reflect.Array:
		b.WriteString("[" + strconv.Itoa(t.Len()) + "]")
		modelTypeSignature(b, t.Elem(), seen)
	case reflect.Map:
		b.WriteString("map[")
		modelTypeSignature(b, t.Key(), seen)
		b.WriteByte(']')
		modelTypeSignature(b, t.Elem(), seen)
	case reflect.Struct:
		b.WriteByte('{')
		for i := 0; i < t.NumField(); i++ {
			if i > 0 {
				b.WriteByte(';')
			}
			b.WriteString(t.Field(i).Name + " ")
			modelTypeSignature(b, t.Field(i).Type, seen)
		}
		b.WriteByte('}')
	default:
		b.WriteString(t.Kind().String())
	}
}

var modelOpaqueTypes sync.Map // reflect.Type -> bool

// modelOpaque reports whether values of t travel as their database value:
// t is a struct (not time.Time) with a driver.Valuer/sql.Scanner pair whose
// fields cannot all be written exactly (private state, interfaces).
func modelOpaque(t reflect.Type) bool {
	if t.Kind() != reflect.Struct || t == modelTimeType {
		return false
	}
	if v, ok := modelOpaqueTypes.Load(t); ok {
		return v.(bool)
	}
	pair := reflect.PointerTo(t).Implements(modelScannerType) &&
		(t.Implements(modelValuerType) || reflect.PointerTo(t).Implements(modelValuerType))
	opaque := false
	if pair {
		for i := 0; i < t.NumField() && !opaque; i++ {
			f := t.Field(i)
			opaque = !f.IsExported() || modelWalkable(f.Type, map[reflect.Type]bool{t: true}) != nil
		}
	}
	modelOpaqueTypes.Store(t, opaque)
	return opaque
}

// modelWalkable reports why t cannot be written field by field, or nil.
func modelWalkable(t reflect.Type, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return modelWalkable(t.Elem(), seen)
	case reflect.Map:
		if err := modelWalkable(t.Key(), seen); err != nil {
			return err
		}
		return modelWalkable(t.Elem(), seen)
	case reflect.Struct:
		if t == modelTimeType || modelOpaque(t) {
			return nil
		}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				return fmt.Errorf("%s has unexported fields and no Valuer/Scanner pair", t)
			}
			if err := modelWalkable(sf.Type, seen); err != nil {
				return err
			}
		}
		return nil
	case reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
		return fmt.Errorf("type %s cannot be cached exactly", t)
	}
	return nil
}

// modelIDOf returns the ID a model type has in reg: its registered ID,
// else its default ID. Payloads written by earlier releases carry the
// legacy default ID instead (see openModel).
func modelIDOf(reg *serializer.Registry, t reflect.Type) string {
	if id, ok := reg.ModelID(t); ok {
		return id
	}
	return serializer.DefaultTypeID(t)
}
