package serializer

import (
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// sym reads an interned string.
func (d *decoder) sym() (string, error) {
	switch d.r.Peek() {
	case wire.Str:
		b, err := d.r.ReadStringBytes()
		if err != nil {
			return "", err
		}
		s := d.r.StringOf(b)
		d.addSym(s)
		return s, nil
	case wire.Int:
		i, err := d.r.ReadInt()
		if err != nil {
			return "", err
		}
		return d.symAt(i)
	}
	return "", d.corrupt("expected identifier, found %s", d.r.Peek())
}

// symAt returns the i-th interned identifier.
func (d *decoder) symAt(i int64) (string, error) {
	if i < 0 || i >= int64(d.nsyms) {
		return "", d.corrupt("string reference %d out of range (%d interned)", i, d.nsyms)
	}
	var s string
	if i < int64(len(d.symBuf)) {
		s = d.symBuf[i]
	} else {
		s = d.symMore[i-int64(len(d.symBuf))]
	}
	// A reference of a byte or two stands for the whole name.
	return s, d.expand(len(s))
}

// addSym appends s to the identifier table.
func (d *decoder) addSym(s string) {
	if d.nsyms < len(d.symBuf) {
		d.symBuf[d.nsyms] = s
	} else {
		d.symMore = append(d.symMore, s)
	}
	d.nsyms++
}

// ident reads a name slot: nil, a placeholder reference or an interned name.
func (d *decoder) ident() (string, error) {
	switch d.r.Peek() {
	case wire.Nil:
		return "", d.r.ReadNil()
	case wire.Str:
		return d.sym()
	}
	i, err := d.r.ReadInt()
	if err != nil {
		return "", err
	}
	switch {
	case i >= 0:
		return d.symAt(i)
	case i == refCurrentTable:
		return clause.CurrentTable, d.expandTable()
	case i == refStatementTable:
		t, err := d.scopeTable()
		if t == "" && err == nil {
			t = clause.CurrentTable
		}
		if err == nil {
			err = d.expand(len(t))
		}
		return t, err
	case i == refPrimaryKey:
		return clause.PrimaryKey, d.expandPrimaryKey()
	case i == refAssociations:
		return clause.Associations, nil
	}
	return "", d.corrupt("unknown identifier reference %d", i)
}

func (d *decoder) str() (string, error) { return d.r.ReadString() }

func (d *decoder) strs() ([]string, error) {
	n, err := d.r.ReadArrayLen()
	if err != nil || n == 0 {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		if out[i], err = d.r.ReadString(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *decoder) intValue() (int64, error) { return d.r.ReadInt() }

// columnNames reads Select/Omit names, resolving field references to the
// target's column names.
func (d *decoder) columnNames() ([]string, error) {
	n, err := d.r.ReadArrayLen()
	if err != nil || n == 0 {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		if d.r.Peek() != wire.Array {
			if out[i], err = d.r.ReadString(); err != nil {
				return nil, err
			}
			continue
		}
		m, err := d.r.ReadArrayLen()
		if err != nil || m != 1 && m != 2 {
			if err == nil {
				err = d.corrupt("column name reference of %d elements", m)
			}
			return nil, err
		}
		name, err := d.sym()
		if err != nil {
			return nil, err
		}
		column := ""
		if m == 2 { // [field, column]: see fieldRef
			if column, err = d.sym(); err != nil {
				return nil, err
			}
		}
		out[i] = name
		if sch, err := d.scopeSchema(); err != nil {
			return nil, err
		} else if sch != nil {
			f, err := d.fieldCol(name, column)
			if err != nil {
				return nil, err
			}
			out[i] = f.DBName
		}
	}
	return out, nil
}
