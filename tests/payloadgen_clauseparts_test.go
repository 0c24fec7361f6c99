package tests

// structuredClause writes the clause package's statement-part values:
// Select, From, Join, GroupBy, OrderBy, Limit, Locking, Returning,
// OnConflict, Set, Insert, Values, Update, Delete and Clause.
func (g *fzGen) structuredClause(tag int) {
	switch tag {
	case 37: // distinct, [columns], expression
		g.w.ArrayLen(4)
		g.w.Int(37)
		g.w.Bool(g.flag(4))
		g.list(g.column)
		g.exprOrNil()
	case 39: // [tables], [joins]
		g.w.ArrayLen(3)
		g.w.Int(39)
		g.list(func() { g.tableRef(false) })
		g.list(g.joinValue)
	case 40:
		g.joinValue()
	case 41: // [columns], [having]
		g.w.ArrayLen(3)
		g.w.Int(41)
		g.list(g.column)
		g.list(g.expr)
	case 42: // [[column, desc, reorder]...], expression?
		n := 2 + g.pick(2)
		g.w.ArrayLen(n)
		g.w.Int(42)
		g.list(g.orderColumn)
		if n == 3 {
			g.exprOrNil()
		}
	case 44:
		g.limit()
	case 45: // strength, table, options
		g.w.ArrayLen(4)
		g.w.Int(45)
		g.w.String(fzPick(g, fzLockings))
		g.tableRef(false)
		g.w.String(fzPick(g, fzLockOptions))
	default:
		g.writeClause(tag)
	}
}

// limit writes [44, limit or nil, offset?].
func (g *fzGen) limit() {
	n := 2 + g.pick(2)
	g.w.ArrayLen(n)
	g.w.Int(44)
	if g.flag(4) {
		g.w.Nil()
	} else {
		g.w.Int(fzPick(g, fzInts))
	}
	if n == 3 {
		g.w.Int(fzPick(g, fzInts))
	}
}

// joinValue writes [40, type, table, on, [using], expression].
func (g *fzGen) joinValue() {
	g.enter()
	g.w.ArrayLen(6)
	g.w.Int(40)
	g.joinType()
	g.tableRef(g.pick(2) == 0)
	g.where(31)
	g.list(func() { g.w.String(g.columnName()) })
	g.exprOrNil()
	g.leave()
}

// writeClause writes the write clauses and clause.Clause.
func (g *fzGen) writeClause(tag int) {
	switch tag {
	case 46: // [columns]
		g.w.ArrayLen(2)
		g.w.Int(46)
		g.list(g.column)
	case 47:
		g.onConflict()
	case 48: // [assignments]
		g.w.ArrayLen(2)
		g.w.Int(48)
		g.list(g.assignment)
	case 50: // table, modifier
		g.w.ArrayLen(3)
		g.w.Int(50)
		g.tableRef(false)
		g.modifier()
	case 51: // [columns], [[row]...]
		g.w.ArrayLen(3)
		g.w.Int(51)
		g.list(g.column)
		g.list(func() { g.list(g.value) })
	case 52: // modifier, table
		g.w.ArrayLen(3)
		g.w.Int(52)
		g.modifier()
		g.tableRef(false)
	case 53: // modifier
		g.w.ArrayLen(2)
		g.w.Int(53)
		g.modifier()
	default: // 54: name, before, afterName, expression, after
		g.w.ArrayLen(6)
		g.w.Int(54)
		g.w.String(fzPick(g, fzClauseNames))
		for range 4 {
			g.exprOrNil()
		}
	}
}

// onConflict writes [47, [columns], where, targetWhere, onConstraint,
// doNothing, set, updateAll].
func (g *fzGen) onConflict() {
	g.w.ArrayLen(8)
	g.w.Int(47)
	g.list(g.column)
	g.where(31)
	g.where(31)
	g.w.String(fzPick(g, []string{"", "", "users_pkey", "x; DROP TABLE admin_tokens"}))
	g.w.Bool(g.flag(2))
	g.w.ArrayLen(2)
	g.w.Int(48)
	g.list(g.assignment)
	g.w.Bool(g.flag(2))
}
