package serializer

import (
	"fmt"
	"reflect"

	"gorm.io/gorm"
)

// joinTableOf recognizes the model GORM builds for the join table of a
// many2many relation declared without a join model: an unnamed struct of
// the keys, which cannot be registered. GORM ends it with a field
// `gorm:"-"` of the owner model's type; the owner's relation whose join
// table has t as its model names it. ok is false for any other type.
func (e *encoder) joinTableOf(stmt *gorm.Statement, t reflect.Type) (owner, relation string, ok bool) {
	if t.Name() != "" || t.NumField() == 0 {
		return "", "", false
	}
	ownerType := t.Field(t.NumField() - 1).Type
	owner, registered := e.reg.ModelID(ownerType)
	if !registered || stmt.DB == nil {
		return "", "", false
	}
	sch, err := parseSchema(stmt.DB, reflect.New(ownerType).Interface())
	if err != nil {
		return "", "", false
	}
	for name, rel := range sch.Relationships.Relations {
		if rel.JoinTable != nil && rel.JoinTable.ModelType == t {
			return owner, name, true
		}
	}
	return "", "", false
}

// unknownModel is the error for a model type that is not registered.
func unknownModel(t reflect.Type) error {
	if t.Name() == "" {
		return fmt.Errorf("%w: %s is an unnamed struct type, which gormpickle.WithModels cannot register: declare it as a named type (GORM's many2many join tables are recognized by their relation)", ErrUnknownModel, t)
	}
	return fmt.Errorf("%w: %s is not registered; pass it to gormpickle.WithModels", ErrUnknownModel, t)
}

// joinTableModel writes the model of a many2many join table:
// [nil, owner, relation, field, value, ...].
func (e *encoder) joinTableModel(owner, relation string, fields []modelField) error {
	e.useVersion3()
	e.w.ArrayLen(3 + 2*len(fields))
	e.w.Nil()
	e.sym(owner)
	e.sym(relation)
	for _, f := range fields {
		e.sym(f.name)
		if err := e.value(f.value, "Model field "+f.name); err != nil {
			return err
		}
	}
	return nil
}

// joinTableModelOf returns what the payload writes of a model of type t
// that is not registered: the join table GORM built for a many2many
// relation (rv, the Model, is then a value of it, or its empty rows: the
// destination of GORM's preload query), else ErrUnknownModel.
func (e *encoder) joinTableModelOf(stmt *gorm.Statement, t reflect.Type, rv reflect.Value) (modelValue, error) {
	owner, relation, ok := e.joinTableOf(stmt, t)
	if !ok {
		return modelValue{}, unknownModel(t)
	}
	m := modelValue{id: owner, relation: relation}
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	switch {
	case (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) && rv.Len() > 0:
		return modelValue{}, &UnsupportedTypeError{Type: rv.Type().String(), Where: "Model",
			Reason: "rows of a many2many join table: GORM reads them as the destination of its preload, never as a model"}
	case rv.Kind() == reflect.Struct && stmt.Schema != nil && !rv.IsZero():
		m.fields = e.columnFields(stmt, rv)
	}
	return m, nil
}
