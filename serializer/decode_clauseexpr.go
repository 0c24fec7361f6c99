package serializer

import "gorm.io/gorm/clause"

// clauseValue reads the clause package's types.
func (d *decoder) clauseValue(tag int64, n int) (any, error) {
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
func (d *decoder) clauseExpr(tag int64, n int) (clause.Expression, error) {
	if d.inTableExpr > 0 {
		return nil, d.refuseInTableExpr(tag)
	}
	if d.strict && writeTags[tag] {
		return nil, refuse(ErrNotAllowed, "clause value", tagNames[tag], "write clauses are not accepted under the strict policy")
	}
	switch tag {
	case tExpr:
		return d.sqlExpr(n)
	case tNamedExpr:
		return d.namedExpr()
	case tEq, tNeq, tGt, tGte, tLt, tLte, tLike:
		return d.comparison(tag)
	case tIN:
		return d.in()
	case tWhere, tAnd, tOr, tNot, tComma:
		return d.conditions(tag)
	case tSelect:
		return d.selectClause()
	case tFrom:
		return d.from()
	case tJoin:
		return d.join()
	case tGroupBy:
		return d.groupBy()
	case tOrderBy:
		return d.orderBy(n)
	case tLimit:
		return d.limit(n)
	case tLocking:
		return d.locking()
	case tReturning:
		cols, err := d.columns()
		return clause.Returning{Columns: cols}, err
	case tOnConflict:
		return d.onConflict()
	case tSet:
		return d.set()
	case tInsert:
		return d.insert()
	case tValues:
		return d.valuesClause()
	case tUpdate:
		return d.update()
	case tDelete:
		mod, err := d.modifier()
		return clause.Delete{Modifier: mod}, err
	case tClause:
		return d.customClause()
	}
	return nil, d.corrupt("unknown value tag %d", tag)
}

// sqlExpr reads a clause.Expr, n its array length: Vars and
// WithoutParentheses are written only when set.
func (d *decoder) sqlExpr(n int) (clause.Expression, error) {
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
}

func (d *decoder) namedExpr() (clause.Expression, error) {
	sql, err := d.str()
	if err != nil {
		return nil, err
	}
	if d.strict {
		return nil, d.rawRefused("SQL expression", sql)
	}
	vars, err := d.anys()
	return clause.NamedExpr{SQL: sql, Vars: vars}, err
}

// comparison reads the binary conditions (Eq, Neq, Gt, Gte, Lt, Lte,
// Like): a column and a value.
func (d *decoder) comparison(tag int64) (clause.Expression, error) {
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
}

func (d *decoder) in() (clause.Expression, error) {
	col, err := d.columnSlot()
	if err != nil {
		return nil, err
	}
	vals, err := d.anys()
	return clause.IN{Column: col, Values: vals}, err
}

// conditions reads the expression lists (Where, And, Or, Not, Comma).
func (d *decoder) conditions(tag int64) (clause.Expression, error) {
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
}
