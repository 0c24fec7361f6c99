package serializer

import (
	"reflect"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// joins writes Statement.Joins, whose element type GORM does not export;
// its fields are read through reflection. Trailing fields that hold their
// default are left out.
func (e *encoder) joins(stmt *gorm.Statement) error {
	js := reflect.ValueOf(stmt.Joins)
	e.w.ArrayLen(js.Len())
	for i := 0; i < js.Len(); i++ {
		j := js.Index(i)
		name := j.FieldByName("Name").String()
		where := "Joins(" + name + ")"
		alias := j.FieldByName("Alias").String()
		joinType := j.FieldByName("JoinType").Interface().(clause.JoinType)
		conds := j.FieldByName("Conds").Interface().([]any)
		on := j.FieldByName("On").Interface().(*clause.Where)
		selects := j.FieldByName("Selects").Interface().([]string)
		omits := j.FieldByName("Omits").Interface().([]string)
		var x any
		if expr := j.FieldByName("Expression"); !expr.IsNil() {
			x = expr.Interface()
		}
		// The fields after the name, in order, and whether each holds its
		// default: trailing defaults are left out.
		fields := [...]struct {
			isDefault bool
			write     func() error
		}{
			{alias == "", func() error { e.w.String(alias); return nil }},
			{joinType == clause.LeftJoin, func() error { e.joinType(joinType); return nil }},
			{len(conds) == 0, func() error { return e.values(conds, where) }},
			{on == nil, func() error {
				if on == nil {
					e.w.Nil()
					return nil
				}
				return e.value(*on, where)
			}},
			{len(selects) == 0, func() error { e.strings(selects); return nil }},
			{len(omits) == 0, func() error { e.strings(omits); return nil }},
			{x == nil, func() error { return e.value(x, where) }},
		}
		n := len(fields)
		for n > 0 && fields[n-1].isDefault {
			n--
		}
		e.w.ArrayLen(1 + n)
		e.w.String(name)
		for _, f := range fields[:n] {
			if err := f.write(); err != nil {
				return err
			}
		}
	}
	return nil
}

// joinType writes a join type: GORM's as its code, any other as a string.
func (e *encoder) joinType(t clause.JoinType) {
	for code, known := range joinTypeNames {
		if t == known {
			e.w.Int(int64(code))
			return
		}
	}
	e.w.String(string(t))
}
