package pickletype

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// Type stores Data, of any type, in a binary column. A Type whose Data is a
// nil pointer, map, slice or interface is stored as NULL, and NULL scans
// back as the zero Type; every other value is encoded, zero values of
// structs and numbers included.
type Type[T any] struct {
	Data T
}

// Of wraps v.
func Of[T any](v T) Type[T] { return Type[T]{Data: v} }

var (
	_ driver.Valuer = Type[int]{}
	_ sql.Scanner   = (*Type[int])(nil)
)

// CodecNamer lets a type choose the codec its Type[T] columns use.
type CodecNamer interface {
	PickleCodec() string
}

var typeCodecs sync.Map // reflect.Type -> codec name

// SetTypeCodec makes Type[T] columns whose T is sample's type use the named
// codec. Call it during initialization; values already stored keep
// decoding with the codec named in their header.
func SetTypeCodec(sample any, codec string) error {
	if _, err := lookup(codec); err != nil {
		return err
	}
	t := reflect.TypeOf(sample)
	if t == nil {
		return fmt.Errorf("pickletype: SetTypeCodec: nil sample")
	}
	typeCodecs.Store(t, codec)
	return nil
}

// optionsFor returns the encoding options of T.
func optionsFor[T any]() Options {
	o := Defaults()
	var zero T
	if n, ok := any(zero).(CodecNamer); ok {
		o.Codec = n.PickleCodec()
	} else if n, ok := any(&zero).(CodecNamer); ok {
		o.Codec = n.PickleCodec()
	} else if name, ok := typeCodecs.Load(reflect.TypeOf((*T)(nil)).Elem()); ok {
		o.Codec = name.(string)
	}
	return o
}

func typeName[T any]() string {
	return "pickletype.Type[" + reflect.TypeOf((*T)(nil)).Elem().String() + "]"
}

// Value encodes Data; nil-like Data is NULL. It implements driver.Valuer
// and never panics.
func (t Type[T]) Value() (driver.Value, error) {
	if isNil(t.Data) {
		return nil, nil
	}
	b, err := encode(&t.Data, optionsFor[T]())
	if err != nil {
		return nil, &FieldError{Field: typeName[T](), Op: "value", Err: err}
	}
	return b, nil
}

// Scan decodes a stored value; NULL gives the zero Type. On error t is left
// unchanged. The driver's buffer is not retained. It implements
// sql.Scanner.
func (t *Type[T]) Scan(src any) error {
	var data []byte
	switch v := src.(type) {
	case nil:
		*t = Type[T]{}
		return nil
	case []byte:
		data = v
	case string:
		data = []byte(v)
	default:
		return &FieldError{Field: typeName[T](), Op: "scan", Err: fmt.Errorf("%w: cannot scan %T", ErrCorrupt, src)}
	}
	var out T
	if err := decode(data, &out, optionsFor[T]()); err != nil {
		return &FieldError{Field: typeName[T](), Op: "scan", Err: err}
	}
	t.Data = out
	return nil
}

// GormDataType makes GORM treat the column as binary.
func (Type[T]) GormDataType() string { return string(schema.Bytes) }

// GormDBDataType returns each dialect's binary type large enough for big
// values (MySQL's blob holds only 64 KiB, hence longblob).
func (Type[T]) GormDBDataType(db *gorm.DB, _ *schema.Field) string {
	switch db.Dialector.Name() {
	case "postgres":
		return "bytea"
	case "mysql":
		return "longblob"
	case "sqlserver":
		return "varbinary(max)"
	}
	return "blob"
}

// isNil reports whether v is nil or a nil pointer, map, slice, interface,
// channel or func: the values stored as NULL.
func isNil(v any) bool {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return true
	}
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Chan, reflect.Func:
		return rv.IsNil()
	}
	return false
}
