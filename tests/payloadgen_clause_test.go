package tests

// fzExprTags are the tags whose values are clause expressions; the first,
// clause.Eq, is the leaf.
var fzExprTags = []int{23, 31, 30, 21, 22, 24, 25, 26, 27, 28, 29, 32, 33, 34, 37, 38, 39, 40, 41, 42, 44, 45, 46, 47, 48, 50, 51, 52, 53, 54}

// expr writes a clause expression (never nil).
func (g *fzGen) expr() {
	g.nodes++
	tag := fzExprTags[g.branch(len(fzExprTags))]
	if g.branch(16) == 15 {
		g.structValue("tests.fzFilter") // not an expression: refused
		return
	}
	g.enter()
	g.clauseValue(tag)
	g.leave()
}

// exprOrNil writes an expression slot: nil or an expression.
func (g *fzGen) exprOrNil() {
	if g.branch(3) == 0 {
		g.w.Nil()
		return
	}
	g.expr()
}

// clauseExprFor writes the expression of a clause entry: mostly the one
// GORM builds for that clause name.
func (g *fzGen) clauseExprFor(name string) {
	tags := map[string]int{"WHERE": 31, "SELECT": 37, "FROM": 39, "GROUP BY": 41, "ORDER BY": 42, "LIMIT": 44,
		"FOR": 45, "RETURNING": 46, "ON CONFLICT": 47, "SET": 48, "INSERT": 50, "VALUES": 51, "UPDATE": 52, "DELETE": 53}
	tag, ok := tags[name]
	if !ok || g.flag(6) {
		g.exprOrNil()
		return
	}
	g.enter()
	g.clauseValue(tag)
	g.leave()
}

// clauseValue writes a value of one of the clause package's tags (21 to
// 54).
func (g *fzGen) clauseValue(tag int) {
	switch {
	case tag == 21:
		g.sqlExpr()
	case tag == 22:
		g.w.ArrayLen(3)
		g.w.Int(22)
		g.w.String(fzPick(g, fzSQL))
		g.list(g.value)
	case tag >= 23 && tag <= 29:
		g.w.ArrayLen(3)
		g.w.Int(int64(tag))
		g.columnSlot()
		g.value()
	case tag == 30:
		g.w.ArrayLen(3)
		g.w.Int(30)
		g.columnSlot()
		g.list(g.value)
	case tag >= 31 && tag <= 34 || tag == 38:
		g.where(tag)
	case tag == 35:
		g.column()
	case tag == 36:
		g.tableRef(true)
	case tag == 43:
		g.w.ArrayLen(2)
		g.w.Int(43)
		g.orderColumn()
	case tag == 49:
		g.assignment()
	default:
		g.structuredClause(tag)
	}
}

// sqlExpr writes [21, sql, [vars], withoutParentheses], trailing elements
// left out as the input says.
func (g *fzGen) sqlExpr() {
	n := 2 + g.pick(3)
	g.w.ArrayLen(n)
	g.w.Int(21)
	g.w.String(fzPick(g, fzSQL))
	if n > 2 {
		g.list(g.value)
	}
	if n > 3 {
		g.w.Bool(g.pick(2) == 1)
	}
}

// where writes [tag, [expressions]] for Where, And, Or, Not and
// CommaExpression.
func (g *fzGen) where(tag int) {
	g.w.ArrayLen(2)
	g.w.Int(int64(tag))
	g.list(g.expr)
}

// column writes [35, flags, table, name, column?, alias?]: flags 1 raw,
// 2 field reference, 4 alias, 8 the reference records a column, in every
// combination (field references first).
func (g *fzGen) column() {
	flags := []int{2, 0, 1, 3, 6, 4, 5, 7}[g.pick(8)]
	if flags&2 != 0 && g.flag(3) || g.flag(32) {
		flags |= 8
	}
	g.w.ArrayLen(4 + flags>>2&1 + flags>>3&1)
	g.w.Int(35)
	g.w.Int(int64(flags))
	switch g.pick(4) {
	case 0:
		g.w.Int(-1) // clause.CurrentTable
	case 1:
		g.w.Nil()
	default:
		g.ident([]string{g.table()})
	}
	switch {
	case flags&8 != 0:
		g.sym(g.renamedField())
		g.sym(g.recordedColumn())
	case flags&2 != 0:
		g.sym(g.field())
	default:
		g.ident([]string{g.columnName()})
	}
	if flags&4 != 0 {
		g.w.String(fzPick(g, fzAliases))
	}
}

// columnSlot writes a comparison's column: a clause.Column, a plain name,
// nil, an expression or a table.
func (g *fzGen) columnSlot() {
	switch c := g.pick(10); {
	case c < 6:
		g.column()
	case c == 6:
		g.w.String(g.columnName())
	case c == 7:
		g.w.Nil()
	case c == 8:
		g.sqlExpr()
	default:
		g.tableRef(true)
	}
}

// tableRef writes a clause.Table: [36, name, alias, raw], or its three
// fields inline where the decoder reads a table in place.
func (g *fzGen) tableRef(tagged bool) {
	if tagged || g.pick(4) != 0 {
		g.w.ArrayLen(4)
		g.w.Int(36)
	}
	switch g.pick(6) {
	case 0:
		g.w.Int(-1) // clause.CurrentTable
	case 1:
		g.w.Int(-2) // the statement's table
	default:
		g.ident([]string{g.table()})
	}
	g.w.String(fzPick(g, fzAliases))
	g.w.Bool(g.flag(4))
}

// orderColumn writes [column, desc, reorder] without trailing elements
// the input leaves out.
func (g *fzGen) orderColumn() {
	n := 1 + g.pick(3)
	g.w.ArrayLen(n)
	g.column()
	for i := 1; i < n; i++ {
		g.w.Bool(g.pick(2) == 1)
	}
}

// assignment writes [49, column, value].
func (g *fzGen) assignment() {
	g.w.ArrayLen(3)
	g.w.Int(49)
	g.column()
	g.value()
}

// modifier writes an INSERT/UPDATE/DELETE modifier.
func (g *fzGen) modifier() { g.w.String(fzPick(g, fzModifiers)) }
