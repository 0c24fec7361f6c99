package serializer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// DecodeModel restores a payload written by EncodeModel into dst, a pointer
// to the same model type. It fails with [ErrModelMismatch] when the payload
// was written for another model and with [ErrSchemaChanged] when the model
// gained, lost or retyped a column since (treat both as cache misses).
// Relationships are left empty. On error dst is unchanged.
func DecodeModel(data []byte, dst any) error { return DecodeModelWith(Default, data, dst) }

// DecodeModels restores a payload written by EncodeModels into dst, a
// pointer to a slice of the model (or of pointers to it).
func DecodeModels(data []byte, dst any) error { return DecodeModelsWith(Default, data, dst) }

// DecodeModelWith is DecodeModel with model IDs taken from reg.
func DecodeModelWith(reg *Registry, data []byte, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("gormpickle: DecodeModel needs a non-nil pointer to a struct, got %T", dst)
	}
	d, p, err := openModel(reg, data, rv.Elem().Type(), modelOne)
	if err != nil {
		return err
	}
	out := reflect.New(rv.Elem().Type()).Elem()
	if err := d.row(p, out); err != nil {
		return d.wrap(err)
	}
	if err := d.end(); err != nil {
		return err
	}
	rv.Elem().Set(out)
	return nil
}

// DecodeModelsWith is DecodeModels with model IDs taken from reg.
func DecodeModelsWith(reg *Registry, data []byte, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("gormpickle: DecodeModels needs a pointer to a slice, got %T", dst)
	}
	st := rv.Elem().Type()
	et := st.Elem()
	ptrs := et.Kind() == reflect.Pointer
	if ptrs {
		et = et.Elem()
	}
	d, p, err := openModel(reg, data, et, modelMany)
	if err != nil {
		return err
	}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return d.wrap(err)
	}
	out := reflect.MakeSlice(st, n, n)
	for i := 0; i < n; i++ {
		row := reflect.New(et)
		if err := d.row(p, row.Elem()); err != nil {
			return d.wrap(err)
		}
		if ptrs {
			out.Index(i).Set(row)
		} else {
			out.Index(i).Set(row.Elem())
		}
	}
	if err := d.end(); err != nil {
		return err
	}
	rv.Elem().Set(out)
	return nil
}

// modelDecoder reads model payloads, bounded like the query decoder.
type modelDecoder struct {
	r      *wire.Reader
	limits Limits
	depth  int
}

// openModel checks the header, the model ID and the fingerprint.
func openModel(reg *Registry, data []byte, t reflect.Type, kind int64) (*modelDecoder, *modelPlan, error) {
	limits := DefaultLimits()
	if len(data) > limits.MaxBytes {
		return nil, nil, fmt.Errorf("%w: payload of %d bytes exceeds the limit of %d", ErrLimit, len(data), limits.MaxBytes)
	}
	if len(data) < len(modelMagic)+2 || string(data[:len(modelMagic)]) != modelMagic {
		return nil, nil, &CorruptError{Offset: 0, Reason: "not a gormpickle model payload (bad magic)"}
	}
	if data[3] != modelVersion {
		return nil, nil, fmt.Errorf("%w: model payload has version %d, this build reads version %d", ErrVersion, data[3], modelVersion)
	}
	if data[4] != 0 {
		return nil, nil, &CorruptError{Offset: 4, Reason: fmt.Sprintf("unknown header flags %#x", data[4])}
	}
	d := &modelDecoder{r: wire.NewReader(data[5:], wire.Limits{MaxCollection: limits.MaxCollection, MaxString: limits.MaxString}), limits: limits}
	p, err := planFor(reg, t)
	if err != nil {
		return nil, nil, err
	}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return nil, nil, d.wrap(err)
	}
	if n != 4 {
		return nil, nil, d.corrupt("model payload body of %d elements", n)
	}
	gotKind, err := d.r.ReadInt()
	if err != nil {
		return nil, nil, d.wrap(err)
	}
	id, err := d.r.ReadString()
	if err != nil {
		return nil, nil, d.wrap(err)
	}
	fp, err := d.r.ReadUint()
	if err != nil {
		return nil, nil, d.wrap(err)
	}
	if id != p.id {
		return nil, nil, fmt.Errorf("%w: payload holds model %q, not %q", ErrModelMismatch, id, p.id)
	}
	if gotKind != kind {
		what := map[int64]string{modelOne: "one row (use DecodeModel)", modelMany: "a list of rows (use DecodeModels)"}[gotKind]
		if what == "" {
			return nil, nil, d.corrupt("unknown payload kind %d", gotKind)
		}
		return nil, nil, fmt.Errorf("%w: payload holds %s", ErrModelMismatch, what)
	}
	if fp != p.fingerprint {
		return nil, nil, fmt.Errorf("%w: %q was cached with other columns or column types than %s has now", ErrSchemaChanged, id, t)
	}
	return d, p, nil
}

func (d *modelDecoder) end() error {
	if d.r.Remaining() != 0 {
		return d.corrupt("%d trailing bytes", d.r.Remaining())
	}
	return nil
}

func (d *modelDecoder) corrupt(format string, args ...any) error {
	return &CorruptError{Offset: d.r.Offset() + 5, Reason: fmt.Sprintf(format, args...)}
}

func (d *modelDecoder) wrap(err error) error {
	var we *wire.Error
	if errors.As(err, &we) {
		if we.Limit {
			return fmt.Errorf("%w: %s (at byte %d)", ErrLimit, we.Msg, we.Offset+5)
		}
		return &CorruptError{Offset: we.Offset + 5, Reason: we.Msg}
	}
	return err
}

func (d *modelDecoder) row(p *modelPlan, rv reflect.Value) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n != len(p.columns) {
		return d.corrupt("row of %d columns, the model has %d", n, len(p.columns))
	}
	ctx := context.Background()
	for _, f := range p.columns {
		if viaDriver(f) {
			v, err := d.driverValue()
			if err != nil {
				return err
			}
			if err := setFromDriver(ctx, f, rv, v); err != nil {
				return d.corrupt("column %s: %v", f.Name, err)
			}
			continue
		}
		if err := d.typed(f.ReflectValueOf(ctx, rv)); err != nil {
			return fmt.Errorf("column %s: %w", f.Name, err)
		}
	}
	return nil
}

// setFromDriver stores a database value into a column the way GORM does
// when scanning: through the field's serializer, else its Scanner.
func setFromDriver(ctx context.Context, f *schema.Field, rv reflect.Value, v any) error {
	if f.Serializer != nil {
		return f.Serializer.Scan(ctx, f, rv, v)
	}
	return f.Set(ctx, rv, v)
}

// driverValue reads a database value.
func (d *modelDecoder) driverValue() (any, error) {
	switch d.r.Peek() {
	case wire.Nil:
		return nil, d.r.ReadNil()
	case wire.Int:
		return d.r.ReadInt()
	case wire.Float64:
		return d.r.ReadFloat64()
	case wire.Bool:
		return d.r.ReadBool()
	case wire.Bin:
		return d.r.ReadBytes()
	case wire.Str:
		return d.r.ReadString()
	case wire.Array:
		return d.time()
	}
	return nil, d.corrupt("unexpected %s for a database value", d.r.Peek())
}

func (d *modelDecoder) time() (time.Time, error) {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return time.Time{}, err
	}
	if n != 5 {
		return time.Time{}, d.corrupt("time of %d elements", n)
	}
	var parts [3]int64
	for i := range parts {
		if parts[i], err = d.r.ReadInt(); err != nil {
			return time.Time{}, err
		}
	}
	abbrev, err := d.r.ReadString()
	if err != nil {
		return time.Time{}, err
	}
	locName, err := d.r.ReadString()
	if err != nil {
		return time.Time{}, err
	}
	sec, nsec, offset := parts[0], parts[1], parts[2]
	if nsec < 0 || nsec >= 1e9 || offset < -86400 || offset > 86400 {
		return time.Time{}, d.corrupt("invalid time (nanoseconds %d, offset %d)", nsec, offset)
	}
	t := time.Unix(sec, nsec)
	return t.In(location(t, locName, abbrev, int(offset))), nil
}

// checkAlloc bounds the memory n elements of type el take, as the query
// decoder does.
func (d *modelDecoder) checkAlloc(n int, el reflect.Type) error {
	if size := el.Size(); size > 0 && uintptr(n) > uintptr(allocFactor*d.limits.MaxBytes)/size {
		return fmt.Errorf("%w: %d elements of %s (%d bytes each)", ErrLimit, n, el, size)
	}
	return nil
}

// typed reads a value into v, whose type the model gives.
func (d *modelDecoder) typed(v reflect.Value) error {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > d.limits.MaxDepth {
		return fmt.Errorf("%w: nesting deeper than %d", ErrLimit, d.limits.MaxDepth)
	}
	t := v.Type()
	if t == timeType {
		tm, err := d.time()
		if err == nil {
			v.Set(reflect.ValueOf(tm))
		}
		return err
	}
	if opaque(t) {
		dv, err := d.driverValue()
		if err != nil {
			return err
		}
		target := v
		if t.Kind() != reflect.Pointer {
			target = v.Addr()
		} else if dv == nil {
			v.SetZero()
			return nil
		} else {
			v.Set(reflect.New(t.Elem()))
		}
		if err := target.Interface().(sql.Scanner).Scan(dv); err != nil {
			return d.corrupt("%s.Scan: %v", t, err)
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Bool:
		b, err := d.r.ReadBool()
		v.SetBool(b)
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := d.r.ReadInt()
		if err != nil {
			return err
		}
		if v.OverflowInt(i) {
			return d.corrupt("%d overflows %s", i, t)
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u, err := d.r.ReadUint()
		if err != nil {
			return err
		}
		if v.OverflowUint(u) {
			return d.corrupt("%d overflows %s", u, t)
		}
		v.SetUint(u)
	case reflect.Float32:
		f, err := d.r.ReadFloat32()
		v.SetFloat(float64(f))
		return err
	case reflect.Float64:
		f, err := d.r.ReadFloat64()
		v.SetFloat(f)
		return err
	case reflect.String:
		s, err := d.r.ReadString()
		v.SetString(s)
		return err
	case reflect.Pointer:
		if d.r.Peek() == wire.Nil {
			v.SetZero()
			return d.r.ReadNil()
		}
		p := reflect.New(t.Elem())
		if err := d.typed(p.Elem()); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Slice:
		if d.r.Peek() == wire.Nil {
			v.SetZero()
			return d.r.ReadNil()
		}
		if t.Elem().Kind() == reflect.Uint8 {
			b, err := d.r.ReadBytes()
			if err != nil {
				return err
			}
			v.SetBytes(b)
			return nil
		}
		n, err := d.r.ReadArrayLen()
		if err != nil {
			return err
		}
		if err := d.checkAlloc(n, t.Elem()); err != nil {
			return err
		}
		s := reflect.MakeSlice(t, n, n)
		for i := 0; i < n; i++ {
			if err := d.typed(s.Index(i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			b, err := d.r.ReadBytes()
			if err != nil {
				return err
			}
			if len(b) != v.Len() {
				return d.corrupt("%d bytes for a %s", len(b), t)
			}
			reflect.Copy(v, reflect.ValueOf(b))
			return nil
		}
		n, err := d.r.ReadArrayLen()
		if err != nil {
			return err
		}
		if n != v.Len() {
			return d.corrupt("%d elements for a %s", n, t)
		}
		for i := 0; i < n; i++ {
			if err := d.typed(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if d.r.Peek() == wire.Nil {
			v.SetZero()
			return d.r.ReadNil()
		}
		n, err := d.r.ReadMapLen()
		if err != nil {
			return err
		}
		if err := d.checkAlloc(n, t.Elem()); err != nil {
			return err
		}
		m := reflect.MakeMapWithSize(t, int(math.Min(float64(n), 1024)))
		for i := 0; i < n; i++ {
			k, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			if err := d.typed(k); err != nil {
				return err
			}
			if err := d.typed(val); err != nil {
				return err
			}
			m.SetMapIndex(k, val)
		}
		v.Set(m)
	case reflect.Struct:
		n, err := d.r.ReadArrayLen()
		if err != nil {
			return err
		}
		if n != t.NumField() {
			return d.corrupt("%d fields for a %s", n, t)
		}
		for i := 0; i < n; i++ {
			if err := d.typed(v.Field(i)); err != nil {
				return err
			}
		}
	default:
		return d.corrupt("cannot decode a %s", t)
	}
	return nil
}
