package serializer

import "gorm.io/gorm/clause"

func (e *encoder) columns(cs []clause.Column) {
	e.w.ArrayLen(len(cs))
	for _, c := range cs {
		e.column(c)
	}
}

func (e *encoder) orderByColumn(c clause.OrderByColumn) {
	switch {
	case c.Reorder:
		e.w.ArrayLen(3)
	case c.Desc:
		e.w.ArrayLen(2)
	default:
		e.w.ArrayLen(1)
	}
	e.column(c.Column)
	if c.Desc || c.Reorder {
		e.w.Bool(c.Desc)
	}
	if c.Reorder {
		e.w.Bool(true)
	}
}

// column writes a clause.Column, turning the model's columns into field
// references and the statement's table into a placeholder, so a target
// with another naming strategy resolves them its own way.
func (e *encoder) column(c clause.Column) {
	flags := int64(0)
	if c.Raw {
		flags |= colRaw
	}
	if c.Alias != "" {
		flags |= colAlias
	}
	fieldName, column := "", ""
	ownTable := c.Table == "" || c.Table == clause.CurrentTable || (e.scope != nil && c.Table == e.scope.table)
	if !c.Raw && ownTable && c.Name != clause.PrimaryKey && e.scope != nil && e.scope.schema != nil {
		if f := e.scope.schema.FieldsByDBName[c.Name]; f != nil {
			fieldName = f.Name
			flags |= colFieldRef
			if column = e.recordedColumn(f); column != "" {
				flags |= colColumn
			}
		}
	}
	n := 4
	if c.Alias != "" {
		n++
	}
	if column != "" {
		n++
	}
	e.w.ArrayLen(n)
	e.w.Int(tColumn)
	e.w.Int(flags)
	e.tableName(c.Table)
	switch {
	case fieldName != "":
		e.sym(fieldName)
		if column != "" {
			e.sym(column)
		}
	case c.Name == clause.PrimaryKey:
		e.w.Int(refPrimaryKey)
	case c.Name == clause.Associations:
		e.w.Int(refAssociations)
	default:
		e.sym(c.Name)
	}
	if c.Alias != "" {
		e.w.String(c.Alias)
	}
}

// tableName writes a table name slot: nil for none, a placeholder for the
// current or statement table, else the interned name.
func (e *encoder) tableName(name string) {
	switch {
	case name == "":
		e.w.Nil()
	case name == clause.CurrentTable:
		e.w.Int(refCurrentTable)
	case e.scope != nil && e.scope.table != "" && name == e.scope.table:
		e.w.Int(refStatementTable)
	default:
		e.sym(name)
	}
}

func (e *encoder) tableRef(t clause.Table) {
	e.w.ArrayLen(4)
	e.w.Int(tTable)
	e.tableName(t.Name)
	e.w.String(t.Alias)
	e.w.Bool(t.Raw)
}
