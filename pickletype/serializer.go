package pickletype

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gorm.io/gorm/schema"
)

// SerializerName is the GORM serializer this package registers.
const SerializerName = "pickle"

func init() { schema.RegisterSerializer(SerializerName, Serializer{}) }

// Serializer is the GORM serializer "pickle" (gorm:"serializer:pickle").
// Tag settings: pickler:NAME picks the codec, compress (or compress:N, in
// bytes) deflates large values, maxsize:N bounds them as stored and
// maxdecompressed:N once inflated.
type Serializer struct{}

var _ schema.SerializerInterface = Serializer{}

// Value encodes a field value: NULL for nil-like values, raw bytes for a
// binary column, the text form otherwise.
func (Serializer) Value(_ context.Context, field *schema.Field, _ reflect.Value, fieldValue any) (any, error) {
	if isNil(fieldValue) {
		return nil, nil
	}
	opts, err := fieldOptions(field)
	if err != nil {
		return nil, &FieldError{Field: fieldName(field), Op: "value", Err: err}
	}
	// Encode through a pointer to the field's type, so interface-typed
	// fields keep their dynamic type (gob needs it).
	ptr := reflect.New(field.FieldType)
	ptr.Elem().Set(reflect.ValueOf(fieldValue))
	b, err := encode(ptr.Interface(), opts)
	if err != nil {
		return nil, &FieldError{Field: fieldName(field), Op: "value", Err: err}
	}
	if binaryColumn(field) {
		return b, nil
	}
	return textForm(b), nil
}

// Scan decodes a stored value into the field; NULL sets the zero value.
// On error the field is left unchanged.
func (Serializer) Scan(ctx context.Context, field *schema.Field, dst reflect.Value, dbValue any) error {
	out := reflect.New(field.FieldType)
	if dbValue != nil {
		var data []byte
		switch v := dbValue.(type) {
		case []byte:
			data = v
		case string:
			data = []byte(v)
		default:
			return &FieldError{Field: fieldName(field), Op: "scan", Err: fmt.Errorf("%w: cannot scan %T", ErrCorrupt, dbValue)}
		}
		opts, err := fieldOptions(field)
		if err == nil {
			err = decode(data, out.Interface(), opts)
		}
		if err != nil {
			return &FieldError{Field: fieldName(field), Op: "scan", Err: err}
		}
	}
	field.ReflectValueOf(ctx, dst).Set(out.Elem())
	return nil
}

// fieldOptions applies a field's tag settings to the package defaults.
func fieldOptions(field *schema.Field) (Options, error) {
	o := Defaults()
	if name := field.TagSettings["PICKLER"]; name != "" {
		if _, err := lookup(name); err != nil {
			return o, err
		}
		o.Codec = name
	}
	if v, ok := field.TagSettings["COMPRESS"]; ok {
		o.CompressAbove = 1024
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			o.CompressAbove = n
		}
	}
	var err error
	if o.MaxSize, err = sizeSetting(field, "MAXSIZE", o.MaxSize); err != nil {
		return o, err
	}
	o.MaxDecompressed, err = sizeSetting(field, "MAXDECOMPRESSED", o.MaxDecompressed)
	return o, err
}

// sizeSetting reads a positive byte count from a tag setting, or returns
// def when the tag does not set it.
func sizeSetting(field *schema.Field, key string, def int) (int, error) {
	v := field.TagSettings[key]
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def, fmt.Errorf("pickletype: bad %s %q", strings.ToLower(key), v)
	}
	return n, nil
}

// binaryColumn reports whether the field's column stores bytes as they are.
func binaryColumn(field *schema.Field) bool {
	if field.DataType == schema.Bytes {
		return true
	}
	t := strings.ToLower(field.TagSettings["TYPE"])
	return strings.Contains(t, "blob") || strings.Contains(t, "binary") || t == "bytea" || t == "bytes"
}

func fieldName(field *schema.Field) string {
	if field.Schema != nil {
		return field.Schema.Name + "." + field.Name
	}
	return field.Name
}
