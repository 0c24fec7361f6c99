package tests

// join writes [name, alias, type, [conds], on, [selects], [omits],
// expression] with the trailing elements the input leaves out.
func (g *fzGen) join() {
	g.enter()
	m := 1 + g.pick(8)
	g.w.ArrayLen(m)
	switch c := g.pick(8); {
	case c < 5:
		g.w.String(g.relationPath())
	case c < 7:
		g.w.String(fzPick(g, fzSQL))
	default:
		g.w.String(g.name(nil))
	}
	for i := 1; i < m; i++ {
		g.joinField(i)
	}
	g.leave()
}

func (g *fzGen) joinField(i int) {
	switch i {
	case 1:
		g.w.String(fzPick(g, fzAliases))
	case 2:
		g.joinType()
	case 3:
		g.list(g.value)
	case 4:
		if g.pick(2) == 0 {
			g.w.Nil()
		} else {
			g.where(31)
		}
	case 5, 6:
		g.list(func() { g.w.String(g.columnName()) })
	case 7:
		g.exprOrNil()
	}
}

// joinType writes a join type: a code, or a name.
func (g *fzGen) joinType() {
	if g.pick(4) != 0 {
		g.w.Int(int64(g.pick(4)))
		return
	}
	g.w.String(fzPick(g, fzJoinTypes))
}

// preloads writes preload entries: a bare name, [name, [args]], or the
// Associations placeholder; arguments are mostly captured preload
// functions and conditions.
func (g *fzGen) preloads() {
	g.list(func() {
		switch c := g.pick(8); {
		case c < 3:
			g.w.String(g.relationPath())
		case c < 7:
			g.w.ArrayLen(2)
			g.preloadName()
			g.list(g.preloadArg)
		default:
			g.w.Int(-4)
		}
	})
}

func (g *fzGen) preloadName() {
	switch c := g.pick(8); {
	case c < 6:
		g.w.String(g.relationPath())
	case c == 6:
		g.w.Int(-4)
	default:
		g.w.String(g.name(nil))
	}
}

func (g *fzGen) preloadArg() {
	switch g.branch(5) {
	case 0:
		g.preloadFunc()
	case 1:
		g.w.String(fzPick(g, fzSQL))
	case 2:
		g.expr()
	default:
		g.value()
	}
}

// preloadFunc writes [20, statement]: a captured Preload function, its
// statement in the model the preload's relation path led to, holding
// tag 57 (the DB GORM passes it) where the input says, or the semi-join
// shape of payloadgen_session_test.go.
func (g *fzGen) preloadFunc() {
	g.w.ArrayLen(2)
	g.w.Int(20)
	if g.depth >= fzMaxDepth {
		g.w.MapLen(0)
		return
	}
	rel := g.relModel
	g.inPreloadFn++
	if g.pick(4) == 3 {
		g.semiJoin(rel)
	} else {
		g.hint = rel + 1
		g.statement()
	}
	g.inPreloadFn--
}

// relationPath picks a relation path that mostly follows the model's
// relations, of up to 40 segments (the shape of nested self-joins).
func (g *fzGen) relationPath() string {
	m := g.scope()
	g.relModel = fzNoModel
	n := 1 + g.pick(4)
	if g.flag(8) {
		n = 1 + g.pick(40)
	}
	path := make([]byte, 0, 8*n)
	for i := range n {
		if i > 0 {
			path = append(path, '.')
		}
		var rels []fzRelation
		if m != fzNoModel {
			rels = fzModels[m].relations
		}
		if len(rels) == 0 || g.flag(8) {
			m = g.pick(len(fzModels))
			rels = fzModels[m].relations
			if len(rels) == 0 {
				return string(append(path, g.name(nil)...))
			}
		}
		r := rels[g.pick(len(rels))]
		path, m = append(path, r.name...), r.model
	}
	g.relModel = m
	return string(path)
}
