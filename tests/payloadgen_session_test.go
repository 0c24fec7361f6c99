package tests

// The version-3 forms of the grammar: the preload's own query (tag 57)
// inside Preload functions, and field references that record a column
// (column flag 8, [field, column] in selects, omits and model values),
// which names the target lacks resolve through, by FuzzPolicy's rename
// mapping (fzRenames) or by the column.

// fzRenames is the rename mapping FuzzPolicy's plugin has: old names onto
// an allowed field, a field the allow-list keeps out, and a relation.
var fzRenames = map[string]map[string]string{
	"account":         {"Secret": "Password", "Name": "Login", "Boss": "Owner"},
	"tests.fzSession": {"Dev": "Device"},
}

// fzMissingFields are Go field names no model has: the mapping's old
// names, and names that resolve (or not) by the column their naming
// derives or a reference records.
var fzMissingFields = []string{"Secret", "Name", "Boss", "Dev", "Pass", "Lgn", "PASSWORD", "LOGIN", "PassWord", "Acct", "OwnerId"}

// renamedField picks the name of a field reference that records a
// column: mostly one the model lacks.
func (g *fzGen) renamedField() string {
	if g.pick(3) == 0 {
		return g.field()
	}
	return fzPick(g, fzMissingFields)
}

// recordedColumn picks the column a field reference records: mostly one
// of the model's (password among them), else a hostile name.
func (g *fzGen) recordedColumn() string { return g.name(g.scopeModel().columns) }

// fieldRefPair writes [field, column] and returns the field name.
func (g *fzGen) fieldRefPair() string {
	name := g.renamedField()
	g.w.ArrayLen(2)
	g.sym(name)
	g.sym(g.recordedColumn())
	return name
}

// preloadTx writes [57, statement]: the DB GORM passes a Preload
// function, with what the statement adds to it, in the model of the
// relation the last preload path led to. Outside a Preload function's
// statement (or inside another 57) it is corrupt.
func (g *fzGen) preloadTx() {
	g.enter()
	defer g.leave()
	g.w.ArrayLen(2)
	g.w.Int(57)
	if g.depth >= fzMaxDepth {
		g.w.MapLen(0)
		return
	}
	g.hint = g.relModel + 1
	g.statement()
}

// semiJoin writes the statement of a Preload function that nests its DB
// the way the strict policy accepts and GORM renders: WHERE column IN
// (tx, ...), a clause.Eq over a []any of tag-57 values (one mostly; many
// in the list's repeat mode, the amplification shape).
func (g *fzGen) semiJoin(rel int) {
	g.scopes = append(g.scopes, rel)
	g.enter()
	g.w.MapLen(1)
	g.w.Int(7) // clauses
	g.w.ArrayLen(1)
	g.w.ArrayLen(2)
	g.w.Int(3) // WHERE
	g.w.ArrayLen(2)
	g.w.Int(31)
	g.w.ArrayLen(1)
	g.w.ArrayLen(3)
	g.w.Int(23)
	g.column()
	start := len(g.w.Buf)
	g.list(g.preloadTx)
	// The list's array header becomes a []any collection's: [13, 0, ...].
	items := append([]byte(nil), g.w.Buf[start:]...)
	g.w.Buf = g.w.Buf[:start]
	n, head := fzArrayLen(items)
	g.w.ArrayLen(n + 2)
	g.w.Int(13)
	g.w.Int(0)
	g.w.Buf = append(g.w.Buf, items[head:]...)
	g.leave()
	g.scopes = g.scopes[:len(g.scopes)-1]
}

// fzArrayLen decodes the MessagePack array header at the start of b: the
// length and the header's size.
func fzArrayLen(b []byte) (n, size int) {
	switch c := b[0]; {
	case c&0xf0 == 0x90:
		return int(c & 0x0f), 1
	case c == 0xdc:
		return int(b[1])<<8 | int(b[2]), 3
	default: // 0xdd
		return int(b[1])<<24 | int(b[2])<<16 | int(b[3])<<8 | int(b[4]), 5
	}
}
