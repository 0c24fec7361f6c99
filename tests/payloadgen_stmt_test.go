package tests

import "slices"

// fzKeyOdds is, per statement key, in how many of 16 statements the
// generator writes it: the model and clauses mostly, raw SQL and settings
// (which a strict policy refuses) rarely.
var fzKeyOdds = [12]int{1: 14, 2: 2, 3: 4, 4: 4, 5: 2, 6: 2, 7: 10, 8: 4, 9: 4, 10: 1, 11: 1}

// statement writes a statement map (docs/format.md, "The statement map"):
// the keys the input selects, in ascending order.
func (g *fzGen) statement() {
	g.enter()
	scope, odds := fzNoModel, fzKeyOdds
	if g.hint > 0 { // a Preload function's statement or tag 57's: the relation's model
		scope, odds[1], g.hint = g.hint-1, 2, 0
	}
	var keys []int
	for k := 1; k <= 11; k++ {
		if g.pick(16) >= 16-odds[k] {
			keys = append(keys, k)
		}
	}
	g.scopes = append(g.scopes, scope)
	g.w.MapLen(len(keys))
	for _, k := range keys {
		g.w.Int(int64(k))
		g.statementEntry(k)
	}
	g.scopes = g.scopes[:len(g.scopes)-1]
	g.leave()
}

func (g *fzGen) statementEntry(key int) {
	switch key {
	case 1:
		g.model()
	case 2:
		g.tableSpec()
	case 3:
		g.w.Int(int64(g.pick(8))) // Unscoped, Distinct, RaiseErrorOnNotFound
	case 4, 5:
		g.list(g.selectName)
	case 6:
		g.columnMapping()
	case 7:
		g.clauses()
	case 8:
		g.list(g.join)
	case 9:
		g.preloads()
	case 10:
		g.rawEntry()
	case 11:
		g.settings()
	}
}

// model writes a model ID (registered, legacy or unregistered), or
// [id, field, value, ...] for a model value.
func (g *fzGen) model() {
	m, id := g.modelID()
	g.scopes[len(g.scopes)-1] = m
	pairs := 0
	if g.flag(4) {
		pairs = 1 + g.pick(3)
		g.w.ArrayLen(1 + 2*pairs)
	}
	g.sym(id)
	for range pairs {
		if g.flag(4) {
			g.fieldValue(g.fieldRefPair())
			continue
		}
		name := g.field()
		g.sym(name)
		g.fieldValue(name)
	}
}

// modelID picks a model: its index (fzNoModel for an unregistered one) and
// the ID a payload names it by.
func (g *fzGen) modelID() (int, string) {
	switch c := g.pick(32); {
	case c < 24:
		m := c % 4 // the allowed models
		return m, fzModels[m].ids[0]
	case c < 28:
		m := c % 4
		return m, fzModels[m].ids[1] // the legacy ID
	case c == 28:
		return fzVaultModel, fzPick(g, fzModels[fzVaultModel].ids)
	default:
		return fzNoModel, g.name(fzUnregisteredIDs)
	}
}

// fieldValue writes a value for a model field: mostly of the field's type.
func (g *fzGen) fieldValue(name string) {
	switch {
	case g.flag(8):
		g.value()
	case name == "ID" || len(name) > 2 && name[len(name)-2:] == "ID":
		g.w.Int(int64(1 + g.pick(10)))
	default:
		g.w.String(fzPick(g, fzStrings))
	}
}

// tableSpec writes [0, name] or [1, sql, [vars]].
func (g *fzGen) tableSpec() {
	if g.pick(4) != 3 {
		g.w.ArrayLen(2)
		g.w.Int(0)
		g.w.String(g.table())
		return
	}
	g.w.ArrayLen(3)
	g.w.Int(1)
	g.w.String(fzPick(g, fzSQL))
	g.list(g.value)
}

// selectName writes a Select/Omit entry: a string, [field] or [field,
// column].
func (g *fzGen) selectName() {
	if c := g.pick(4); c == 2 && g.flag(2) {
		g.fieldRefPair()
		return
	} else if c != 3 {
		g.w.ArrayLen(1)
		g.sym(g.field())
		return
	}
	if g.flag(4) {
		g.w.String(fzPick(g, fzSQL))
		return
	}
	g.w.String(g.columnName())
}

// columnMapping writes [key, value, ...] sorted by key.
func (g *fzGen) columnMapping() {
	n := g.pick(3)
	keys := make([]string, 0, n)
	for range n {
		keys = append(keys, g.columnName())
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	g.w.ArrayLen(2 * len(keys))
	for _, k := range keys {
		g.w.String(k)
		g.w.String(g.columnName())
	}
}

// clauses writes clause entries sorted by key name: [key, expression] or
// [key, expression, name, before, afterName, after], keys as codes (v2)
// or names.
func (g *fzGen) clauses() {
	n := g.pick(4)
	if g.flag(16) {
		n = 4 + g.pick(len(fzClauseNames))
	}
	names := make([]string, 0, n)
	for range n {
		if g.pick(2) == 0 {
			names = append(names, "WHERE")
		} else {
			names = append(names, fzPick(g, fzClauseNames))
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	g.w.ArrayLen(len(names))
	for _, name := range names {
		g.clauseEntry(name)
	}
}

func (g *fzGen) clauseEntry(name string) {
	long := g.flag(6)
	if long {
		g.w.ArrayLen(6)
	} else {
		g.w.ArrayLen(2)
	}
	if code := fzClauseCode(name); code > 0 && g.pick(4) != 0 {
		g.w.Int(int64(code))
	} else {
		g.w.String(name)
	}
	g.clauseExprFor(name)
	if !long {
		return
	}
	if g.pick(3) == 0 {
		g.w.String(fzPick(g, fzClauseNames))
	} else {
		g.w.String(name)
	}
	for range 3 {
		g.exprOrNil()
	}
}

// fzClauseCode returns the version-2 code of one of GORM's clause names,
// or 0.
func fzClauseCode(name string) int {
	codes := []string{1: "SELECT", 2: "FROM", 3: "WHERE", 4: "GROUP BY", 5: "ORDER BY", 6: "LIMIT", 7: "FOR",
		8: "RETURNING", 9: "ON CONFLICT", 10: "SET", 11: "INSERT", 12: "VALUES", 13: "UPDATE", 14: "DELETE"}
	return max(slices.Index(codes, name), 0)
}

// rawEntry writes [sql, [vars]].
func (g *fzGen) rawEntry() {
	g.w.ArrayLen(2)
	g.w.String(fzPick(g, fzSQL))
	g.list(g.value)
}

// settings writes [key, value, ...] sorted by key.
func (g *fzGen) settings() {
	n := g.pick(3)
	keys := make([]string, 0, n)
	for range n {
		keys = append(keys, fzPick(g, fzSettingKeys))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	g.w.ArrayLen(2 * len(keys))
	for _, k := range keys {
		g.w.String(k)
		g.value()
	}
}
