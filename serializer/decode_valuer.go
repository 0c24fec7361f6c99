package serializer

import (
	"database/sql"
	"reflect"
	"time"
)

// valuer reads [tValuer, id, v]: a value of registered type id written as
// the driver value v its Value method returned, restored with its Scan.
func (d *decoder) valuer() (any, error) {
	id, t, err := d.valueType()
	if err != nil {
		return nil, err
	}
	if !scannable(t) {
		return nil, d.corrupt("type %q is not a driver.Valuer and sql.Scanner", id)
	}
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case int:
		v = int64(x) // the driver value it was
	case nil, int64, float64, bool, []byte, string, time.Time:
	default:
		return nil, d.corrupt("a %T is no driver value of %q", v, id)
	}
	p := reflect.New(t)
	if err := p.Interface().(sql.Scanner).Scan(v); err != nil {
		return nil, &ValueError{Type: t.String(), Err: err}
	}
	return p.Elem().Interface(), nil
}
