package serializer

import (
	"database/sql"
	"fmt"
	"reflect"

	"gorm.io/gorm/schema"
)

// modelFields reads the pairs of Go field names and values of a model
// value (format.md, key 1), columns and loaded associations, and sets them
// on the model value ptr points to;
// without a schema on the target (describing) they are kept in q.
func (d *decoder) modelFields(q *decodedQuery, id string, ptr reflect.Value, pairs int) error {
	var sch *schema.Schema
	if pairs > 0 {
		var err error
		if sch, err = d.scopeSchema(); err != nil {
			return err
		}
	}
	for i := 0; i < pairs; i++ {
		name, column, err := d.fieldRef()
		if err != nil {
			return err
		}
		if sch != nil {
			if rel := d.relationOf(sch, name); rel != nil && rel.Field.DBName == "" {
				// A loaded association, which GORM's Update saves.
				if err := d.association(rel, id, ptr.Elem()); err != nil {
					return err
				}
				continue
			}
		}
		v, err := d.value()
		if err != nil {
			return err
		}
		if sch == nil {
			q.ModelFields = append(q.ModelFields, settingEntry{Key: name, Value: v})
			continue
		}
		f, err := d.fieldCol(name, column)
		if err != nil {
			return err
		}
		if err := d.setModelField(f, ptr.Elem(), v); err != nil {
			return &ValueError{Model: id, Field: name, Err: err}
		}
	}
	return nil
}

// setModelField sets field f of the model value dst to v. A field with a
// serializer (gorm:"serializer:json") was written as what its serializer
// stores in the database, and is read back through the serializer, as
// GORM scans it from a row.
func (d *decoder) setModelField(f *schema.Field, dst reflect.Value, v any) error {
	ctx := d.target.Statement.Context
	if f.Serializer == nil {
		return f.Set(ctx, dst, v)
	}
	sv := f.NewValuePool.Get()
	defer f.NewValuePool.Put(sv)
	scanner, ok := sv.(sql.Scanner)
	if !ok {
		return fmt.Errorf("field %s: GORM's serializer value %T is no sql.Scanner", f.Name, sv)
	}
	if err := scanner.Scan(v); err != nil {
		return err
	}
	return f.Set(ctx, dst, sv)
}
