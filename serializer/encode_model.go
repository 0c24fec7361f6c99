package serializer

import (
	"fmt"
	"reflect"

	"gorm.io/gorm"
)

// modelValue is what a payload writes of the statement's model: its
// registry ID and, for a model value with non-zero columns
// (Model(&User{ID: 8})), those columns by Go field name, or, for a model
// holding rows (Model(&users), a chain reused after Find), the rows.
type modelValue struct {
	id     string
	fields []modelField
	rows   *modelRows
	// relation, when set, makes this the join table GORM builds for that
	// many2many relation of model id (see joinTableOf).
	relation string
}

// modelOf returns what the payload writes of the statement's model.
func (e *encoder) modelOf(stmt *gorm.Statement) (modelValue, error) {
	if stmt.Model == nil {
		return modelValue{}, nil
	}
	rv := reflect.ValueOf(stmt.Model)
	t, rows := modelStruct(rv.Type())
	if t.Kind() != reflect.Struct {
		return modelValue{}, &UnsupportedTypeError{Type: fmt.Sprintf("%T", stmt.Model), Where: "Model", Reason: "models must be structs, or slices or arrays of them"}
	}
	id, ok := e.reg.ModelID(t)
	if !ok {
		return e.joinTableModelOf(stmt, t, rv)
	}
	if rows {
		r, err := e.rowsOf(stmt, rv)
		return modelValue{id: id, rows: r}, err
	}
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct || stmt.Schema == nil || rv.IsZero() {
		return modelValue{id: id}, nil
	}
	fields := e.columnFields(stmt, rv)
	if assocs := associations(stmt, rv); len(assocs) > 0 {
		// GORM's Update saves a model value's loaded associations; a
		// reader before version 3 knows only columns there.
		e.useVersion3()
		fields = append(fields, assocs...)
	}
	return modelValue{id: id, fields: fields}, nil
}

// columnFields returns the non-zero columns of the model value rv (a
// struct of the statement's model) by Go field name.
func (e *encoder) columnFields(stmt *gorm.Statement, rv reflect.Value) []modelField {
	var fields []modelField
	for _, f := range stmt.Schema.Fields {
		if f.DBName == "" || !f.Readable {
			continue
		}
		v, zero := f.ValueOf(stmt.Context, rv)
		if zero {
			continue
		}
		fields = append(fields, modelField{name: f.Name, value: v, column: e.recordedColumn(f)})
	}
	return fields
}

type modelField struct {
	name  string
	value any
	// column is the column recorded with the name (see recordedColumn),
	// usually "".
	column string
}

func (e *encoder) model(m modelValue) error {
	if m.relation != "" {
		return e.joinTableModel(m.id, m.relation, m.fields)
	}
	if m.rows != nil {
		e.w.ArrayLen(2)
		e.sym(m.id)
		return e.rows(m.rows)
	}
	if len(m.fields) == 0 {
		e.sym(m.id)
		return nil
	}
	e.w.ArrayLen(1 + 2*len(m.fields))
	e.sym(m.id)
	return e.fieldPairs(m.fields)
}

// fieldPairs writes fields as Go field name, value, ... (the caller wrote
// the array header); a name may record its column (see fieldName).
func (e *encoder) fieldPairs(fields []modelField) error {
	for _, f := range fields {
		e.fieldName(f.name, f.column)
		if err := e.value(f.value, "Model field "+f.name); err != nil {
			return err
		}
	}
	return nil
}
