package serializer

import (
	"fmt"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// columnSlot reads the Column of a comparison: a clause.Column or a plain
// string (Where("name", v)), which GORM quotes as an identifier.
func (d *decoder) columnSlot() (any, error) {
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	switch c := v.(type) {
	case string:
		// GORM quotes it as a name, splitting it at its last dot.
		col := clause.Column{Name: c}
		if i := strings.LastIndexByte(c, '.'); i >= 0 {
			col = clause.Column{Table: c[:i], Name: c[i+1:]}
		}
		return v, d.checkColumn(col)
	case clause.Column, nil, []clause.Column, clause.Expr, clause.Table:
		return v, nil // checked as they were read
	}
	return nil, d.corrupt("unexpected %T in a column position", v)
}

// column reads [tColumn, flags, table, name, column?, alias?]; a column
// follows the name of a field reference with the colColumn flag.
func (d *decoder) column(n int) (clause.Column, error) {
	flags, err := d.r.ReadInt()
	if err != nil {
		return clause.Column{}, err
	}
	want := 4
	if flags&colAlias != 0 {
		want++
	}
	if flags&colColumn != 0 {
		want++
	}
	if flags&^(colRaw|colFieldRef|colAlias|colColumn) != 0 || n != want ||
		flags&colColumn != 0 && flags&colFieldRef == 0 || // only a field reference records a column
		flags&(colRaw|colFieldRef) == colRaw|colFieldRef { // written raw, a field's name would not be renamed

		return clause.Column{}, d.corrupt("column flags %#x with %d elements", flags, n)
	}
	var c clause.Column
	c.Raw = flags&colRaw != 0
	if c.Table, err = d.ident(); err != nil {
		return c, err
	}
	if flags&colFieldRef != 0 {
		name, err := d.sym()
		if err != nil {
			return c, err
		}
		c.Name = name
		column := ""
		if flags&colColumn != 0 {
			if column, err = d.sym(); err != nil {
				return c, err
			}
		}
		if sch, err := d.scopeSchema(); err != nil {
			return c, err
		} else if sch != nil {
			f, err := d.fieldCol(name, column)
			if err != nil {
				return c, err
			}
			c.Name = f.DBName
		}
	} else {
		if c.Name, err = d.ident(); err != nil {
			return c, err
		}
	}
	if flags&colAlias != 0 {
		if c.Alias, err = d.str(); err != nil {
			return c, err
		}
	}
	if c.Raw {
		return c, d.checkRawColumn(c)
	}
	return c, d.checkColumn(c)
}

func (d *decoder) columns() ([]clause.Column, error) { return list[clause.Column](d, "a column") }

// list reads an array whose elements must all be values of type T.
func list[T any](d *decoder, what string) ([]T, error) {
	m, err := d.r.ReadArrayLen()
	if err != nil || m == 0 {
		return nil, err
	}
	out := make([]T, m)
	for i := range out {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		x, ok := v.(T)
		if !ok {
			return nil, d.corrupt("expected %s, found %T", what, v)
		}
		out[i] = x
	}
	return out, nil
}

func (d *decoder) orderByColumn() (clause.OrderByColumn, error) {
	var oc clause.OrderByColumn
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return oc, err
	}
	if m < 1 || m > 3 {
		return oc, d.corrupt("order column of %d elements", m)
	}
	v, err := d.value()
	if err != nil {
		return oc, err
	}
	c, ok := v.(clause.Column)
	if !ok {
		return oc, d.corrupt("expected a column, found %T", v)
	}
	oc.Column = c
	if m > 1 {
		if oc.Desc, err = d.r.ReadBool(); err != nil {
			return oc, err
		}
	}
	if m > 2 {
		oc.Reorder, err = d.r.ReadBool()
	}
	return oc, err
}

// tableRef reads [tTable, name, alias, raw] (the tag is read when the
// table stands alone as a value).
func (d *decoder) tableRef(slot string) (clause.Table, error) {
	var t clause.Table
	if d.r.Peek() == wire.Array {
		m, err := d.r.ReadArrayLen()
		if err != nil {
			return t, err
		}
		tag, err := d.r.ReadInt()
		if err != nil {
			return t, err
		}
		if m != 4 || tag != tTable {
			return t, d.corrupt("expected a table, found tag %d with %d elements", tag, m)
		}
	}
	var err error
	if t.Name, err = d.ident(); err != nil {
		return t, err
	}
	if t.Alias, err = d.str(); err != nil {
		return t, err
	}
	if t.Raw, err = d.r.ReadBool(); err != nil {
		return t, err
	}
	return t, d.checkTable(slot, t)
}

func (d *decoder) from() (clause.From, error) {
	var f clause.From
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return f, err
	}
	if m > 1 && d.strict {
		return f, refuse(ErrNotAllowed, "FROM table", fmt.Sprint(m, " tables"), "a FROM of several tables multiplies their rows")
	}
	for i := 0; i < m; i++ {
		t, err := d.tableRef("FROM table")
		if err != nil {
			return f, err
		}
		f.Tables = append(f.Tables, t)
	}
	f.Joins, err = list[clause.Join](d, "a join")
	return f, err
}

func (d *decoder) join() (clause.Join, error) {
	var j clause.Join
	var err error
	if j.Type, err = d.joinType(); err != nil {
		return j, err
	}
	if j.Table, err = d.tableRef("join table"); err != nil {
		return j, err
	}
	on, err := d.value()
	if err != nil {
		return j, err
	}
	w, ok := on.(clause.Where)
	if !ok {
		return j, d.corrupt("join condition is %T, not a WHERE", on)
	}
	j.ON = w
	if j.Using, err = d.strs(); err != nil {
		return j, err
	}
	if d.strict && len(j.Using) > 0 {
		return j, d.rawRefused("join USING", strings.Join(j.Using, ","))
	}
	j.Expression, err = d.expression()
	return j, err
}
