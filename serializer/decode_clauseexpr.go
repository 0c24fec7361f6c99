package serializer

import (
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// clauseValue reads the clause package's types.
func (d *Decoder) clauseValue(tag int64, n int) (any, error) {
	if d.inTableExpr > 0 {
		return d.tableExprName(tag, n)
	}
	switch tag {
	case tColumn:
		return d.column(n)
	case tTable:
		return d.tableRef("table")
	case tOrderByColumn:
		return d.orderByColumn()
	case tAssignment:
		if d.strict {
			return nil, refuse(ErrNotAllowed, "clause value", "clause.Assignment", "write clauses are not accepted under the strict policy")
		}
		return d.assignment()
	}
	x, err := d.clauseExpr(tag, n)
	if x == nil {
		return nil, err
	}
	return x, err
}

// isClauseExpr reports whether a tag is one of the clause package's
// expression types, which clauseExpr reads.
func isClauseExpr(tag int64) bool {
	return tag >= 0 && tag < tagCount && clauseExprTags[tag]
}

var clauseExprTags = func() (t [tagCount]bool) {
	for tag := tExpr; tag <= tClause; tag++ {
		t[tag] = tag != tColumn && tag != tTable && tag != tOrderByColumn && tag != tAssignment
	}
	return t
}()

// clauseExpr reads the clause package's expression types. They come back
// as clause.Expression, which the statement's slots hold, so that no type
// assertion has to find them again.
func (d *Decoder) clauseExpr(tag int64, n int) (clause.Expression, error) {
	if d.inTableExpr > 0 {
		return nil, d.refuseInTableExpr(tag)
	}
	if d.strict && writeTags[tag] {
		return nil, refuse(ErrNotAllowed, "clause value", tagNames[tag], "write clauses are not accepted under the strict policy")
	}
	switch tag {
	case tExpr:
		var err error
		sql, ok := d.r.FixStr()
		if !ok {
			if sql, err = d.str(); err != nil {
				return nil, err
			}
		}
		if d.strict {
			return nil, d.rawRefused("SQL expression", sql)
		}
		x := clause.Expr{SQL: sql}
		if n > 2 {
			if x.Vars, err = d.anys(); err != nil {
				return nil, err
			}
		}
		if n > 3 {
			x.WithoutParentheses, err = d.r.ReadBool()
		}
		return x, err
	case tNamedExpr:
		sql, err := d.str()
		if err != nil {
			return nil, err
		}
		if d.strict {
			return nil, d.rawRefused("SQL expression", sql)
		}
		vars, err := d.anys()
		return clause.NamedExpr{SQL: sql, Vars: vars}, err
	case tEq, tNeq, tGt, tGte, tLt, tLte, tLike:
		col, err := d.columnSlot()
		if err != nil {
			return nil, err
		}
		val, err := d.value()
		if err != nil {
			return nil, err
		}
		switch tag {
		case tEq:
			return clause.Eq{Column: col, Value: val}, nil
		case tNeq:
			return clause.Neq{Column: col, Value: val}, nil
		case tGt:
			return clause.Gt{Column: col, Value: val}, nil
		case tGte:
			return clause.Gte{Column: col, Value: val}, nil
		case tLt:
			return clause.Lt{Column: col, Value: val}, nil
		case tLte:
			return clause.Lte{Column: col, Value: val}, nil
		}
		return clause.Like{Column: col, Value: val}, nil
	case tIN:
		col, err := d.columnSlot()
		if err != nil {
			return nil, err
		}
		vals, err := d.anys()
		return clause.IN{Column: col, Values: vals}, err
	case tWhere, tAnd, tOr, tNot, tComma:
		xs, err := d.expressions()
		if err != nil {
			return nil, err
		}
		switch tag {
		case tWhere:
			return clause.Where{Exprs: xs}, nil
		case tAnd:
			return clause.AndConditions{Exprs: xs}, nil
		case tOr:
			return clause.OrConditions{Exprs: xs}, nil
		case tNot:
			return clause.NotConditions{Exprs: xs}, nil
		}
		return clause.CommaExpression{Exprs: xs}, nil
	case tSelect:
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
	case tFrom:
		return d.from()
	case tJoin:
		return d.join()
	case tGroupBy:
		cols, err := d.columns()
		if err != nil {
			return nil, err
		}
		having, err := d.expressions()
		return clause.GroupBy{Columns: cols, Having: having}, err
	case tOrderBy:
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
	case tLimit:
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
	case tLocking:
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
	case tReturning:
		cols, err := d.columns()
		return clause.Returning{Columns: cols}, err
	case tOnConflict:
		return d.onConflict()
	case tSet:
		return d.set()
	case tInsert:
		t, err := d.tableRef("INSERT table")
		if err != nil {
			return nil, err
		}
		mod, err := d.modifier()
		return clause.Insert{Table: t, Modifier: mod}, err
	case tValues:
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
	case tUpdate:
		mod, err := d.modifier()
		if err != nil {
			return nil, err
		}
		t, err := d.tableRef("UPDATE table")
		return clause.Update{Modifier: mod, Table: t}, err
	case tDelete:
		mod, err := d.modifier()
		return clause.Delete{Modifier: mod}, err
	case tClause:
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
	return nil, d.corrupt("unknown value tag %d", tag)
}

var (
	lockStrengths = map[string]bool{clause.LockingStrengthUpdate: true, clause.LockingStrengthShare: true, "NO KEY UPDATE": true, "KEY SHARE": true}
	lockOptions   = map[string]bool{"": true, clause.LockingOptionsSkipLocked: true, clause.LockingOptionsNoWait: true}
)
