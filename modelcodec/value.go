package modelcodec

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"time"

	"github.com/gormpickle/gormpickle/internal/tzcache"
	"github.com/gormpickle/gormpickle/internal/wire"
)

// Times and database values, the two encodings model payloads use besides
// plain MessagePack scalars and containers.

// writeModelTime writes [unix seconds, nanoseconds, offset, abbreviation,
// location name].
func writeModelTime(w *wire.Writer, t time.Time) {
	abbrev, offset := t.Zone()
	w.ArrayLen(5)
	w.Int(t.Unix())
	w.Int(int64(t.Nanosecond()))
	w.Int(int64(offset))
	w.String(abbrev)
	w.String(t.Location().String())
}

// readModelTime reads what writeModelTime wrote.
func (d *decoder) readModelTime() (time.Time, error) {
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
	abbrev, err := d.r.ReadStringBytes() // aliases the payload: copied only for a fixed zone
	if err != nil {
		return time.Time{}, err
	}
	name, err := d.r.ReadStringBytes()
	if err != nil {
		return time.Time{}, err
	}
	sec, nsec, offset := parts[0], parts[1], parts[2]
	if nsec < 0 || nsec >= 1e9 || offset < -86400 || offset > 86400 {
		return time.Time{}, d.corrupt("invalid time (nanoseconds %d, offset %d)", nsec, offset)
	}
	t := time.Unix(sec, nsec)
	return t.In(tzcache.Shared.LocationBytes(t, name, abbrev, int(offset))), nil
}

// writeDriverValue writes v's database value: v is a driver.Valuer (a nil
// pointer one is NULL) or already a database value.
func writeDriverValue(w *wire.Writer, v any) error {
	if valuer, ok := v.(driver.Valuer); ok {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			w.Nil()
			return nil
		}
		dv, err := callValuer(valuer)
		if err != nil {
			return fmt.Errorf("%T.Value: %v", v, err)
		}
		v = dv
	}
	switch x := v.(type) {
	case nil:
		w.Nil()
		return nil
	case int64:
		w.Int(x)
		return nil
	case float64:
		w.Float64(x)
		return nil
	case bool:
		w.Bool(x)
		return nil
	case []byte:
		if x == nil {
			w.Nil()
		} else {
			w.Bytes(x)
		}
		return nil
	case string:
		w.String(x)
		return nil
	case time.Time:
		writeModelTime(w, x)
		return nil
	}
	// Valuers may return other kinds (int, float32, named strings); store
	// what database/sql would send.
	if _, ok := v.(driver.Valuer); !ok {
		if dv, err := driver.DefaultParameterConverter.ConvertValue(v); err == nil {
			if _, again := dv.(driver.Valuer); !again {
				return writeDriverValue(w, dv)
			}
		}
	}
	return fmt.Errorf("database value of type %T", v)
}

// callValuer calls Value, turning a panic into an error (driver.Valuer
// says Value must not panic; some do on nil state).
func callValuer(v driver.Valuer) (dv driver.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return v.Value()
}

// callScanner calls Scan, turning a panic into an error: the value comes
// from a payload and may be hostile.
func callScanner(s sql.Scanner, v any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return s.Scan(v)
}

// readDriverValue reads what writeDriverValue wrote.
func (d *decoder) readDriverValue() (any, error) {
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
		b, err := d.r.ReadBytes()
		return b, d.charged(len(b), err)
	case wire.Str:
		s, err := d.r.ReadString()
		return s, d.charged(len(s), err)
	case wire.Array:
		return d.readModelTime()
	case wire.Invalid:
		return nil, d.r.Fail("truncated: unexpected end of input")
	}
	return nil, d.corrupt("unexpected %s for a database value", d.r.Peek())
}
