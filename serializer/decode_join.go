package serializer

import (
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

func (d *decoder) joins(q *decodedQuery) error {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return err
		}
	}
	q.sink.startJoins(n)
	for range n {
		// [name] alone, a plain Joins("..."): replayed without building
		// a joinSpec.
		if start := d.r.Offset(); d.r.Peek() == wire.Array {
			if m, _ := d.r.FixArray(); m == 1 {
				name, err := d.str()
				if err == nil {
					name, err = d.renamedPath(name)
				}
				if err != nil {
					return err
				}
				if _, err := d.joinPath(name); err != nil {
					return err
				}
				q.sink.addPlainJoin(name)
				continue
			}
			d.r.Unread(d.r.Offset() - start)
		}
		j, err := d.joinEntry()
		if err != nil {
			return err
		}
		q.sink.addJoin(&j)
	}
	return nil
}

// joinEntry reads [name, alias, type, [conds], on, [selects], [omits],
// expression]; fields left out at the end hold their defaults (no alias, a
// LEFT join, nothing else).
func (d *decoder) joinEntry() (joinSpec, error) {
	var err error
	m, ok := d.r.FixArray()
	if !ok {
		if m, err = d.r.ReadArrayLen(); err != nil {
			return joinSpec{}, err
		}
	}
	if m < 1 || m > 8 {
		return joinSpec{}, d.corrupt("join entry of %d elements", m)
	}
	name, err := d.str()
	if err == nil {
		name, err = d.renamedPath(name)
	}
	if err != nil {
		return joinSpec{}, err
	}
	rels, err := d.joinPath(name)
	if err != nil {
		return joinSpec{}, err
	}
	if rels != nil {
		// A relation's conditions name its model's columns.
		d.pushHintScope(rels[len(rels)-1].FieldSchema)
		defer d.popScope()
	}
	j := joinSpec{Name: name, JoinType: clause.LeftJoin}
	// The fields after the name, in order; the entry holds the first m-1.
	for i := 1; i < m; i++ {
		switch i {
		case 1:
			if j.Alias, err = d.str(); err == nil && j.Alias != "" {
				err = d.checkJoinAlias(j.Alias, rels)
			}
		case 2:
			j.JoinType, err = d.joinType()
		case 3:
			j.Conds, err = d.anys()
		case 4:
			j.On, err = d.joinOn()
		case 5:
			j.Selects, err = d.strs()
		case 6:
			j.Omits, err = d.strs()
		case 7:
			j.Expression, err = d.expression()
		}
		if err != nil {
			return joinSpec{}, err
		}
	}
	return j, nil
}

// joinOn reads a join's ON condition: a WHERE, or nil.
func (d *decoder) joinOn() (*clause.Where, error) {
	on, err := d.value()
	if err != nil || on == nil {
		return nil, err
	}
	w, ok := on.(clause.Where)
	if !ok {
		return nil, d.corrupt("join condition is %T, not a WHERE", on)
	}
	return &w, nil
}

// joinType reads a join type: a code, or a name (version 1, and types GORM
// does not define, which only pass without DenyRawSQL).
func (d *decoder) joinType() (clause.JoinType, error) {
	if d.r.Peek() == wire.Int {
		code, err := d.r.ReadInt()
		if err != nil {
			return "", err
		}
		if code < 0 || code >= int64(len(joinTypeNames)) {
			return "", d.corrupt("unknown join type code %d", code)
		}
		return joinTypeNames[code], nil
	}
	s, err := d.str()
	if err != nil {
		return "", err
	}
	t := clause.JoinType(s)
	for _, known := range joinTypeNames {
		if t == known {
			return t, nil
		}
	}
	if d.strict {
		return "", d.rawRefused("join type", s)
	}
	return t, nil
}
