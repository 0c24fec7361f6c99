package serializer

import (
	"fmt"
	"reflect"

	"gorm.io/gorm"
)

// A model holding rows: Model(&users), or a chain reused after Find(&users)
// (GORM makes the destination the model of a chain that had none). GORM's
// write finishers read the rows: Delete and Update add the rows' primary
// keys to the WHERE, Update calls each row's hooks, writes the new values
// into the rows and saves their loaded associations. So the payload holds
// the rows, and the Model's Go type (a pointer to a slice or an array, of
// structs or of pointers to them), which GORM reads too.

// modelRows is a model holding rows as the payload writes it.
type modelRows struct {
	typ  reflect.Type // the Model's Go type
	rows [][]modelField
}

// modelStruct returns the struct type under t (a model's type: a struct,
// or a slice or array of them, behind pointers) and whether t holds rows.
func modelStruct(t reflect.Type) (reflect.Type, bool) {
	rows := false
	for {
		switch t.Kind() {
		case reflect.Pointer:
			t = t.Elem()
		case reflect.Slice, reflect.Array:
			rows = true
			t = t.Elem()
		default:
			return t, rows
		}
	}
}

// rowsShape returns the slice or array type of rows of model type t, and
// whether t is one GORM runs and a payload restores: the collection, or a
// pointer to it, of the struct or of pointers to it.
func rowsShape(t, model reflect.Type) (reflect.Type, bool) {
	c := t
	if c.Kind() == reflect.Pointer {
		c = c.Elem()
	}
	if c.Kind() != reflect.Slice && c.Kind() != reflect.Array {
		return nil, false
	}
	el := c.Elem()
	if el.Kind() == reflect.Pointer {
		el = el.Elem()
	}
	return c, el == model
}

// rowsOf returns the rows of rv, a model holding rows, each as its
// non-zero columns and loaded associations by Go field name.
func (e *encoder) rowsOf(stmt *gorm.Statement, rv reflect.Value) (*modelRows, error) {
	t := rv.Type()
	refuse := func(reason string) error {
		return &UnsupportedTypeError{Type: t.String(), Where: "Model", Reason: reason}
	}
	st, _ := modelStruct(t)
	c, ok := rowsShape(t, st)
	switch {
	case !ok:
		return nil, refuse("rows must be a slice or array of the model or of pointers to it, or a pointer to one")
	case c.Name() != "" && !e.typeRegistered(c):
		return nil, refuse("a named collection type must be registered with gormpickle.WithTypes")
	case stmt.Schema == nil:
		return nil, refuse("the model's schema was not parsed")
	}
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, refuse("a nil pointer to rows, which GORM's finishers cannot run")
		}
		rv = rv.Elem()
	}
	out := &modelRows{typ: t, rows: make([][]modelField, rv.Len())}
	for i := range out.rows {
		row := rv.Index(i)
		if row.Kind() == reflect.Pointer {
			if row.IsNil() {
				return nil, refuse(fmt.Sprintf("row %d is a nil pointer, on which GORM's Delete and Update panic", i))
			}
			row = row.Elem()
		}
		out.rows[i] = append(e.columnFields(stmt, row), associations(stmt, row)...)
	}
	return out, nil
}

// associations returns the loaded associations of row (a struct of the
// statement's model) by Go field name: the relation fields that are set.
func associations(stmt *gorm.Statement, row reflect.Value) []modelField {
	var out []modelField
	for _, f := range stmt.Schema.Fields {
		if f.DBName != "" || stmt.Schema.Relationships.Relations[f.Name] == nil {
			continue
		}
		if v, zero := f.ValueOf(stmt.Context, row); !zero {
			out = append(out, modelField{name: f.Name, value: v})
		}
	}
	return out
}

// rows writes [type, row, ...]: the Model's type descriptor, then each row
// as [field, value, ...].
func (e *encoder) rows(m *modelRows) error {
	e.useVersion3()
	e.w.ArrayLen(1 + len(m.rows))
	if err := e.typeDesc(m.typ, "Model"); err != nil {
		return err
	}
	for _, row := range m.rows {
		e.w.ArrayLen(2 * len(row))
		if err := e.fieldPairs(row); err != nil {
			return err
		}
	}
	return nil
}
