package serializer

import (
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// The statement clauses clauseExpr reads (FROM, JOIN, ON CONFLICT and SET
// have files of their own). Each returns clause.Expression, nil on error,
// as clauseExpr did when it read them itself.

func (d *decoder) selectClause() (clause.Expression, error) {
	distinct, err := d.r.ReadBool()
	if err != nil {
		return nil, err
	}
	cols, err := d.columns()
	if err != nil {
		return nil, err
	}
	x, err := d.expression()
	return clause.Select{Distinct: distinct, Columns: cols, Expression: x}, err
}

func (d *decoder) groupBy() (clause.Expression, error) {
	cols, err := d.columns()
	if err != nil {
		return nil, err
	}
	having, err := d.expressions()
	return clause.GroupBy{Columns: cols, Having: having}, err
}

// orderBy reads a clause.OrderBy, n its array length: the Expression is
// written only when set.
func (d *decoder) orderBy(n int) (clause.Expression, error) {
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return nil, err
	}
	var cols []clause.OrderByColumn
	if m > 0 {
		cols = make([]clause.OrderByColumn, m)
	}
	for i := range cols {
		if cols[i], err = d.orderByColumn(); err != nil {
			return nil, err
		}
	}
	if n < 3 {
		return clause.OrderBy{Columns: cols}, nil
	}
	x, err := d.expression()
	return clause.OrderBy{Columns: cols, Expression: x}, err
}

// limit reads a clause.Limit, n its array length: the Offset is written
// only when not 0, the Limit as nil when unset.
func (d *decoder) limit(n int) (clause.Expression, error) {
	var limit *int
	if d.r.Peek() == wire.Nil {
		_ = d.r.ReadNil()
	} else {
		l, err := d.r.ReadInt()
		if err != nil {
			return nil, err
		}
		if int64(int(l)) != l {
			return nil, d.corrupt("limit %d out of range", l)
		}
		li := int(l)
		limit = &li
	}
	if n < 3 {
		return clause.Limit{Limit: limit}, nil
	}
	off, err := d.r.ReadInt()
	if err != nil {
		return nil, err
	}
	if int64(int(off)) != off {
		return nil, d.corrupt("offset %d out of range", off)
	}
	return clause.Limit{Limit: limit, Offset: int(off)}, nil
}

// locking reads a FOR clause; the strict policy admits only the strengths
// and options the dialects GORM supports know.
func (d *decoder) locking() (clause.Expression, error) {
	strength, err := d.str()
	if err != nil {
		return nil, err
	}
	t, err := d.tableRef("locking table")
	if err != nil {
		return nil, err
	}
	opts, err := d.str()
	if err != nil {
		return nil, err
	}
	if d.strict && (!lockStrengths[strength] || !lockOptions[opts]) {
		return nil, d.rawRefused("locking clause", strength+" "+opts)
	}
	return clause.Locking{Strength: strength, Table: t, Options: opts}, nil
}

var (
	lockStrengths = map[string]bool{clause.LockingStrengthUpdate: true, clause.LockingStrengthShare: true, "NO KEY UPDATE": true, "KEY SHARE": true}
	lockOptions   = map[string]bool{"": true, clause.LockingOptionsSkipLocked: true, clause.LockingOptionsNoWait: true}
)

func (d *decoder) insert() (clause.Expression, error) {
	t, err := d.tableRef("INSERT table")
	if err != nil {
		return nil, err
	}
	mod, err := d.modifier()
	return clause.Insert{Table: t, Modifier: mod}, err
}

func (d *decoder) valuesClause() (clause.Expression, error) {
	cols, err := d.columns()
	if err != nil {
		return nil, err
	}
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return nil, err
	}
	rows := make([][]any, m)
	for i := range rows {
		if rows[i], err = d.anys(); err != nil {
			return nil, err
		}
	}
	return clause.Values{Columns: cols, Values: rows}, nil
}

func (d *decoder) update() (clause.Expression, error) {
	mod, err := d.modifier()
	if err != nil {
		return nil, err
	}
	t, err := d.tableRef("UPDATE table")
	return clause.Update{Modifier: mod, Table: t}, err
}

// customClause reads a clause.Clause (a name and its four expressions),
// which checkClause then holds to the policy.
func (d *decoder) customClause() (clause.Expression, error) {
	name, err := d.str()
	if err != nil {
		return nil, err
	}
	c := clause.Clause{Name: name}
	for _, slot := range []*clause.Expression{&c.BeforeExpression, &c.AfterNameExpression, &c.Expression, &c.AfterExpression} {
		if *slot, err = d.expression(); err != nil {
			return nil, err
		}
	}
	return c, d.checkClause(name, c)
}
