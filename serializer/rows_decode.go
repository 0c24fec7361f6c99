package serializer

import (
	"reflect"

	"gorm.io/gorm/schema"
)

// modelRows reads the rest of the entry of a model holding rows,
// [type, row, ...] (format.md, key 1), whose ID id (type t) was read, and
// makes the statement's model a new value of that type holding the rows.
// Describing (no target), the rows are kept in q.ModelRows.
func (d *decoder) modelRows(q *decodedQuery, id string, t reflect.Type) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n < 1 {
		return d.corrupt("model rows of %d elements", n)
	}
	mt, err := d.typeDesc()
	if err != nil {
		return err
	}
	st, _ := modelStruct(mt)
	c, ok := rowsShape(mt, st)
	if !ok || t != nil && st != t {
		return d.corrupt("model %q holds rows of type %s", id, mt)
	}
	rows := n - 1
	if c.Kind() == reflect.Array && c.Len() != rows {
		return d.corrupt("%d rows in model rows of type %s", rows, mt)
	}
	if d.target == nil {
		return d.describeRows(q, rows)
	}
	sch, err := d.scopeSchema() // of the *T that model() set
	if err != nil {
		return err
	}
	size := st.Size()
	if c.Elem().Kind() == reflect.Pointer {
		size += c.Elem().Size()
	}
	if err := d.checkCollection(rows, 1, size, c); err != nil {
		return err
	}
	root := reflect.New(mt).Elem()
	coll := root
	if mt.Kind() == reflect.Pointer {
		root.Set(reflect.New(c))
		coll = root.Elem()
	}
	if c.Kind() == reflect.Slice {
		coll.Set(reflect.MakeSlice(c, rows, rows))
	}
	for i := 0; i < rows; i++ {
		row := coll.Index(i)
		if row.Kind() == reflect.Pointer {
			row.Set(reflect.New(st))
			row = row.Elem()
		}
		if err := d.modelRow(sch, id, row); err != nil {
			return err
		}
	}
	s := d.scope()
	s.modelID = id // scopeModelID cannot find it from a collection type
	q.sink.setModel(root.Interface())
	return nil
}

// modelRow reads one row, [field, value, ...], into row, a struct of the
// model sch: columns as a model value's, and loaded associations.
func (d *decoder) modelRow(sch *schema.Schema, id string, row reflect.Value) error {
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if m%2 != 0 {
		return d.corrupt("model row of %d elements", m)
	}
	if err := d.countNode(); err != nil {
		return err
	}
	for i := 0; i < m/2; i++ {
		name, column, err := d.fieldRef()
		if err != nil {
			return err
		}
		if rel := d.relationOf(sch, name); rel != nil && rel.Field.DBName == "" {
			if err := d.association(rel, id, row); err != nil {
				return err
			}
			continue
		}
		f, err := d.fieldCol(name, column)
		if err != nil {
			return err
		}
		v, err := d.value()
		if err != nil {
			return err
		}
		if err := d.setModelField(f, row, v); err != nil {
			return &ValueError{Model: id, Field: name, Err: err}
		}
	}
	return nil
}

// association reads the value of relation rel that a row had loaded and
// sets it on row. GORM's Update saves it; the strict policy, which leaves
// writing finishers to the application, takes none. A nil element in it,
// on which GORM's association saving would panic, is corrupt.
func (d *decoder) association(rel *schema.Relationship, id string, row reflect.Value) error {
	if d.strict {
		return refuse(ErrNotAllowed, "model row", rel.Name, "loaded associations are saved by Update; not accepted under the strict policy")
	}
	v, err := d.value()
	if err != nil {
		return err
	}
	if hasNilElement(reflect.ValueOf(v)) {
		return d.corrupt("association %s of a row of model %s holds a nil element", rel.Name, id)
	}
	if err := rel.Field.Set(d.target.Statement.Context, row, v); err != nil {
		return &ValueError{Model: id, Field: rel.Name, Err: err}
	}
	return nil
}

// hasNilElement reports whether a nil pointer or interface stands as an
// element of a slice or array anywhere in v.
func hasNilElement(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && hasNilElement(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if hasNilElement(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			el := v.Index(i)
			if (el.Kind() == reflect.Pointer || el.Kind() == reflect.Interface) && el.IsNil() || hasNilElement(el) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if hasNilElement(it.Value()) {
				return true
			}
		}
	}
	return false
}

// describeRows reads rows for display: each as its fields and values.
func (d *decoder) describeRows(q *decodedQuery, rows int) error {
	for i := 0; i < rows; i++ {
		m, err := d.r.ReadArrayLen()
		if err != nil {
			return err
		}
		if m%2 != 0 {
			return d.corrupt("model row of %d elements", m)
		}
		row := []settingEntry{}
		for j := 0; j < m/2; j++ {
			name, err := d.sym()
			if err != nil {
				return err
			}
			v, err := d.value()
			if err != nil {
				return err
			}
			row = append(row, settingEntry{Key: name, Value: v})
		}
		q.ModelRows = append(q.ModelRows, row)
	}
	return nil
}
