package serializer

import (
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
func (e *Encoder) recordedColumn(f *schema.Field) string {
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
	if e.scope == nil || e.scope.namer == nil || f.Schema == nil ||
		f.DBName == e.scope.namer.ColumnName(f.Schema.Table, f.Name) {
		return ""
	}
	e.useVersion3()
	return f.DBName
}

// fieldName writes the name slot of a field reference: its Go name, or
// [name, column] when it records its column (see recordedColumn).
func (e *Encoder) fieldName(name, column string) {
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
