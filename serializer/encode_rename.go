package serializer

import (
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// recordedColumn returns the column a reference to field f records next
// to its Go name: f's column when the source's naming strategy does not
// derive it from the name (an explicit column tag, an embedded prefix),
// so that a target that has renamed the field finds it by that column
// (see decode_rename.go). For every other field it returns "" and the
// reference is written as it always was: a target re-derives such a
// field's column from its name.
func (e *encoder) recordedColumn(f *schema.Field) string {
	// Only a tag or an embedding sets a column the name does not derive;
	// one map lookup keeps every other field off the slow path.
	if _, ok := f.TagSettings["COLUMN"]; !ok {
		if len(f.BindNames) < 2 {
			return ""
		}
		if _, ok := f.TagSettings["EMBEDDEDPREFIX"]; !ok {
			return ""
		}
	}
	if e.scope == nil || e.scope.namer == nil || f.Schema == nil {
		return ""
	}
	column, ok := recordedColumns.get(f)
	if !ok {
		if f.DBName != e.scope.namer.ColumnName(f.Schema.Table, f.Name) {
			column = f.DBName
		}
		recordedColumns.put(f, column)
	}
	if column != "" {
		e.useVersion3()
	}
	return column
}

// recordedColumns caches recordedColumn's answer for fields with a column
// tag or an embedded prefix: deriving a column costs about a microsecond,
// far more than the rest of writing a reference. It is keyed by GORM's
// field, which lives as long as its DB's schema cache (and whose schema
// that DB's naming strategy derived); it is emptied when it reaches
// maxRecordedColumns entries, so fields of DBs gone since cannot pile up.
var recordedColumns columnCache

// maxRecordedColumns bounds recordedColumns.
const maxRecordedColumns = 4096

// columnCache maps fields to the column their references record ("" for
// none).
type columnCache struct {
	m sync.Map // *schema.Field -> string
	n atomic.Int64
}

func (c *columnCache) get(f *schema.Field) (string, bool) {
	v, ok := c.m.Load(f)
	if !ok {
		return "", false
	}
	return v.(string), true
}

func (c *columnCache) put(f *schema.Field, column string) {
	if c.n.Add(1) > maxRecordedColumns {
		c.m.Clear()
		c.n.Store(1)
	}
	c.m.Store(f, column)
}

// fieldName writes the name slot of a field reference: its Go name, or
// [name, column] when it records its column (see recordedColumn).
func (e *encoder) fieldName(name, column string) {
	if column == "" {
		e.sym(name)
		return
	}
	e.w.ArrayLen(2)
	e.sym(name)
	e.sym(column)
}

// namerOf returns the naming strategy stmt's columns were derived with.
func namerOf(stmt *gorm.Statement) schema.Namer {
	if stmt.DB == nil || stmt.DB.Config == nil {
		return nil
	}
	return stmt.DB.NamingStrategy
}
