package modelcodec

import (
	"context"
	"fmt"
	"reflect"

	"github.com/gormpickle/gormpickle/internal/alloc"
	"github.com/gormpickle/gormpickle/internal/typeid"
	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

// DecodeWith is [Decode] with model IDs taken from reg.
func DecodeWith(reg *serializer.Registry, data []byte, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("gormpickle: Decode needs a non-nil pointer to a struct, got %T", dst)
	}
	t := rv.Elem().Type()
	d, shape, err := openModel(reg, data, t, modelOne)
	if err != nil {
		return err
	}
	if err := d.charge(1, t.Size()); err != nil {
		return err
	}
	out := reflect.New(t).Elem()
	if err := d.row(shape, out); err != nil {
		return d.wrap(err)
	}
	if err := d.end(); err != nil {
		return err
	}
	rv.Elem().Set(out)
	return nil
}

// DecodeManyWith is [DecodeMany] with model IDs taken from reg.
func DecodeManyWith(reg *serializer.Registry, data []byte, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("gormpickle: DecodeMany needs a non-nil pointer to a slice, got %T", dst)
	}
	st := rv.Elem().Type()
	et := st.Elem()
	ptrs := et.Kind() == reflect.Pointer
	if ptrs {
		et = et.Elem()
	}
	if et.Kind() != reflect.Struct {
		return fmt.Errorf("gormpickle: DecodeMany needs a pointer to a slice of structs, got %T", dst)
	}
	d, shape, err := openModel(reg, data, et, modelMany)
	if err != nil {
		return err
	}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return d.wrap(err)
	}
	out, err := d.rows(shape, st, n)
	if err != nil {
		return d.wrap(err)
	}
	if err := d.end(); err != nil {
		return err
	}
	rv.Elem().Set(out)
	return nil
}

// rows reads n rows into a new slice of type st (of structs or pointers
// to them), checking first that the bytes left can hold them and the
// decoded-size budget their structs.
func (d *decoder) rows(shape *modelShape, st reflect.Type, n int) (reflect.Value, error) {
	et := st.Elem()
	ptrs := et.Kind() == reflect.Pointer
	size := et.Size()
	if ptrs {
		et = et.Elem()
		size += et.Size()
	}
	if left := d.r.Remaining(); !alloc.Fits(n, 1+len(shape.columns), left) {
		return reflect.Value{}, d.corrupt("truncated: %d rows of %d columns, %d bytes left", n, len(shape.columns), left)
	}
	if err := d.charge(n, size); err != nil {
		return reflect.Value{}, err
	}
	out := alloc.NewSliceFor(st, n, d.r.Remaining())
	for i := 0; i < n; i++ {
		out = alloc.GrowFor(out, i, n, d.r.Remaining())
		row := out.Index(i)
		if ptrs {
			row.Set(reflect.New(et))
			row = row.Elem()
		}
		if err := d.row(shape, row); err != nil {
			return reflect.Value{}, &pathError{where: fmt.Sprintf("row %d", i), err: err}
		}
	}
	return out, nil
}

// openModel checks the header, the model ID, the kind and the fingerprint
// of a payload to be decoded into model type t.
func openModel(reg *serializer.Registry, data []byte, t reflect.Type, kind int64) (*decoder, *modelShape, error) {
	d, h, err := readModelHeader(data)
	if err != nil {
		return nil, nil, err
	}
	shape, err := modelShapeOf(t)
	if err != nil {
		return nil, nil, err
	}
	if want := modelIDOf(reg, t); h.id != want && h.id != typeid.Legacy(t) {
		return nil, nil, fmt.Errorf("%w: payload holds model %q, not %q", ErrModelMismatch, h.id, want)
	}
	if h.kind != kind {
		if h.kind == modelMany {
			return nil, nil, fmt.Errorf("%w: payload holds a list of rows (use DecodeMany)", ErrModelMismatch)
		}
		return nil, nil, fmt.Errorf("%w: payload holds one row (use Decode)", ErrModelMismatch)
	}
	if h.fingerprint != shape.fingerprint {
		return nil, nil, fmt.Errorf("%w: %q was cached with other columns or column types than %s has now", ErrSchemaChanged, h.id, t)
	}
	return d, shape, nil
}

// modelHeader is what precedes a model payload's data.
type modelHeader struct {
	kind        int64
	id          string
	fingerprint uint64
}

// readModelHeader checks the fixed header and reads [kind, ID,
// fingerprint], returning a decoder positioned at the data.
func readModelHeader(data []byte) (*decoder, modelHeader, error) {
	var h modelHeader
	ml := CurrentLimits()
	limits := ml.Limits
	if len(data) > limits.MaxBytes {
		return nil, h, fmt.Errorf("%w: payload of %d bytes exceeds the limit of %d", serializer.ErrLimit, len(data), limits.MaxBytes)
	}
	if len(data) < modelHeaderLen || string(data[:len(modelMagic)]) != modelMagic {
		return nil, h, &serializer.CorruptError{Offset: 0, Reason: "not a gormpickle model payload (bad magic or truncated header)"}
	}
	if v := data[len(modelMagic)]; v != modelVersion {
		return nil, h, fmt.Errorf("%w: model payload has version %d, this build reads version %d", serializer.ErrVersion, v, modelVersion)
	}
	if f := data[len(modelMagic)+1]; f != 0 {
		return nil, h, &serializer.CorruptError{Offset: len(modelMagic) + 1, Reason: fmt.Sprintf("unknown header flags %#x", f)}
	}
	d := &decoder{
		r:          wire.NewReader(data[modelHeaderLen:], wire.Limits{MaxCollection: limits.MaxCollection, MaxString: limits.MaxString}),
		limits:     limits,
		budget:     ml.MaxDecoded,
		maxDecoded: ml.MaxDecoded,
	}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return nil, h, d.wrap(err)
	}
	if n != 4 {
		return nil, h, d.corrupt("model payload body of %d elements, not 4", n)
	}
	if h.kind, err = d.r.ReadInt(); err != nil {
		return nil, h, d.wrap(err)
	}
	if h.kind != modelOne && h.kind != modelMany {
		return nil, h, d.corrupt("unknown payload kind %d", h.kind)
	}
	if h.id, err = d.r.ReadString(); err != nil {
		return nil, h, d.wrap(err)
	}
	if h.fingerprint, err = d.r.ReadUint(); err != nil {
		return nil, h, d.wrap(err)
	}
	return d, h, nil
}

// decoder reads model payloads within the [Limits] in use.
type decoder struct {
	r          *wire.Reader
	limits     serializer.Limits
	depth      int
	nodes      int // values read by Describe
	budget     int // bytes the decoded rows may still take
	maxDecoded int
}

// end fails unless every byte was read.
func (d *decoder) end() error {
	if d.r.Remaining() != 0 {
		return d.corrupt("%d trailing bytes", d.r.Remaining())
	}
	return nil
}

// corrupt returns a *CorruptError at the current payload offset.
func (d *decoder) corrupt(format string, args ...any) error {
	return &serializer.CorruptError{Offset: d.r.Offset() + modelHeaderLen, Reason: fmt.Sprintf(format, args...)}
}

// wrap turns the wire reader's errors into this package's: serializer.ErrLimit for a
// bound, *CorruptError for anything else.
func (d *decoder) wrap(err error) error {
	var path string
	for {
		pe, ok := err.(*pathError)
		if !ok {
			break
		}
		path += pe.where + ": "
		err = pe.err
	}
	if we, ok := err.(*wire.Error); ok {
		if we.Limit {
			return fmt.Errorf("%w: %s%s (at byte %d)", serializer.ErrLimit, path, we.Msg, we.Offset+modelHeaderLen)
		}
		return &serializer.CorruptError{Offset: we.Offset + modelHeaderLen, Reason: path + we.Msg}
	}
	if ce, ok := err.(*serializer.CorruptError); ok && path != "" {
		return &serializer.CorruptError{Offset: ce.Offset, Reason: path + ce.Reason}
	}
	if path != "" {
		return fmt.Errorf("%s%w", path, err)
	}
	return err
}

// pathError says where in a payload an error happened.
type pathError struct {
	where string
	err   error
}

func (e *pathError) Error() string { return e.where + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

// row reads one row's columns into rv, a fresh struct.
func (d *decoder) row(s *modelShape, rv reflect.Value) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n != len(s.columns) {
		return d.corrupt("row of %d columns, the model has %d", n, len(s.columns))
	}
	ctx := context.Background()
	for _, c := range s.columns {
		if err := d.column(ctx, c, rv); err != nil {
			return &pathError{where: "column " + c.field.DBName, err: err}
		}
	}
	return nil
}

func (d *decoder) column(ctx context.Context, c modelColumn, rv reflect.Value) error {
	if !c.driver {
		return d.typed(c.field.ReflectValueOf(ctx, rv)) // allocates embedded pointers, as GORM's Scan does
	}
	v, err := d.readDriverValue()
	if err != nil {
		return err
	}
	if err := callScanner(modelSerializerScanner{ctx, c, rv}, v); err != nil {
		return d.corrupt("%s serializer: %v", c.field.Name, err)
	}
	return nil
}

// modelSerializerScanner scans a database value through a field's
// serializer.
type modelSerializerScanner struct {
	ctx context.Context
	c   modelColumn
	rv  reflect.Value
}

func (s modelSerializerScanner) Scan(v any) error {
	return s.c.field.Serializer.Scan(s.ctx, s.c.field, s.rv, v)
}
