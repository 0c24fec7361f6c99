package tests

// value writes a value (docs/format.md, "Values"): a plain scalar, a
// tagged scalar or collection (tags 1 to 20), a clause expression, or a
// value of any tag 1 to 57; in a Preload function's statement, often the
// preload's own query (tag 57).
func (g *fzGen) value() {
	g.nodes++
	if g.inPreloadFn > 0 && g.branch(6) == 5 {
		g.preloadTx()
		return
	}
	switch g.branch(4) {
	case 0:
		g.scalar()
	case 1:
		g.tagged(1 + g.pick(20))
	case 2:
		g.expr()
	default:
		g.tagged(1 + g.pick(57))
	}
}

// scalar writes nil, a bool, an int, a float, a string or bytes.
func (g *fzGen) scalar() {
	switch g.pick(8) {
	case 0:
		g.w.Nil()
	case 1:
		g.w.Bool(g.pick(2) == 1)
	case 2, 3:
		g.w.Int(fzPick(g, fzInts))
	case 4:
		g.w.Float64(0.5)
	case 5:
		g.w.Bytes([]byte(g.freeString()))
	default:
		g.w.String(fzPick(g, fzStrings))
	}
}

// tagged writes [tag, ...] for one tag.
func (g *fzGen) tagged(tag int) {
	g.enter()
	defer g.leave()
	switch {
	case tag <= 10:
		g.w.ArrayLen(2)
		g.w.Int(int64(tag))
		g.w.Int(fzPick(g, fzInts[:7]))
	case tag == 11:
		g.w.ArrayLen(2)
		g.w.Int(11)
		g.w.Float32(1.25)
	case tag == 12:
		g.timeValue()
	case tag >= 13 && tag <= 17:
		g.collection(tag)
	case tag == 18:
		g.w.ArrayLen(3)
		g.w.Int(18)
		g.w.String(fzPick(g, fzNamedArgs))
		g.value()
	case tag == 19 || tag == 20:
		g.w.ArrayLen(2)
		g.w.Int(int64(tag))
		g.statement()
	case tag >= 56: // 56 needs a registered driver.Valuer: 57 in its place
		g.preloadTx()
	case tag == 55:
		g.w.ArrayLen(3)
		g.w.Int(55)
		g.sym(g.name([]string{"acct"}))
		g.w.String(fzPick(g, []string{"1", "2", "3", "0", "x", ""}))
	default:
		g.clauseValue(tag)
	}
}

// timeValue writes [12, seconds, nanoseconds, location, abbreviation,
// offset].
func (g *fzGen) timeValue() {
	g.w.ArrayLen(6)
	g.w.Int(12)
	g.w.Int(1710073800 + int64(g.pick(4))*86400)
	g.w.Int(fzPick(g, []int64{0, 123456000, 999999999, -1, 1e9}))
	g.w.String(fzPick(g, fzZones))
	g.w.String(fzPick(g, []string{"UTC", "CET", "", "EST"}))
	g.w.Int(fzPick(g, []int64{0, 3600, -18000, 86400, 90000}))
}

// fzType is a collection element type as the generator chose it: a
// predeclared type code, or kind (1 slice of, 2 array of, 3 map of, 4
// pointer to, 5 registered type) with its parts.
type fzType struct {
	code      int
	kind      int
	n         int
	elem, key *fzType
	id        string
}

// typeDesc chooses and writes an element type descriptor.
func (g *fzGen) typeDesc(depth int) *fzType {
	if depth >= 2 || g.pick(4) != 0 {
		t := &fzType{code: g.pick(19)}
		g.w.Int(int64(t.code))
		return t
	}
	t := &fzType{kind: 1 + g.pick(5)}
	g.writeComposite(t, depth)
	return t
}

// writeComposite writes [kind, ...], choosing the parts unless t has them.
func (g *fzGen) writeComposite(t *fzType, depth int) {
	switch t.kind {
	case 2, 3:
		g.w.ArrayLen(3)
	default:
		g.w.ArrayLen(2)
	}
	g.w.Int(int64(t.kind))
	switch t.kind {
	case 1, 4:
		t.elem = g.typeOrAgain(t.elem, depth)
	case 2:
		if t.elem == nil {
			t.n = g.pick(4)
		}
		g.w.Int(int64(t.n))
		t.elem = g.typeOrAgain(t.elem, depth)
	case 3:
		t.key = g.typeOrAgain(t.key, depth)
		t.elem = g.typeOrAgain(t.elem, depth)
	default:
		if t.id == "" {
			t.id = g.name(fzTypeIDs)
		}
		g.sym(t.id)
	}
}

// typeOrAgain writes t again, or a new element type when t is nil.
func (g *fzGen) typeOrAgain(t *fzType, depth int) *fzType {
	if t == nil {
		return g.typeDesc(depth + 1)
	}
	g.writeType(t)
	return t
}

// writeType writes a type chosen before.
func (g *fzGen) writeType(t *fzType) {
	if t.kind == 0 {
		g.w.Int(int64(t.code))
		return
	}
	g.writeComposite(t, 0)
}

// collection writes a slice, array, map, registered struct or registered
// named value ([13, type, items...], [14, length, type, items...], [15,
// key type, value type, key, value, ...], [16, id, field, value, ...],
// [17, id, value]), items mostly of the declared type.
func (g *fzGen) collection(tag int) {
	switch tag {
	case 13, 14:
		n := g.pick(4)
		g.w.ArrayLen(2 + (tag - 13) + n)
		g.w.Int(int64(tag))
		if tag == 14 {
			g.w.Int(int64(n))
		}
		t := g.typeDesc(0)
		for range n {
			g.item(t)
		}
	case 15:
		n := g.pick(3)
		g.w.ArrayLen(3 + 2*n)
		g.w.Int(15)
		k, v := g.typeDesc(1), g.typeDesc(0)
		for range n {
			g.item(k)
			g.item(v)
		}
	case 16:
		g.structValue(g.name(fzTypeIDs))
	default:
		g.w.ArrayLen(3)
		g.w.Int(17)
		id := g.name(fzTypeIDs)
		g.sym(id)
		g.item(&fzType{kind: 5, id: id})
	}
}

// item writes one value of type t (or, one time in eight, any value).
func (g *fzGen) item(t *fzType) {
	g.nodes++
	if g.flag(8) {
		g.value()
		return
	}
	switch t.kind {
	case 0:
		g.builtinItem(t.code)
	case 1:
		g.w.ArrayLen(2 + 1)
		g.w.Int(13)
		g.writeType(t.elem)
		g.item(t.elem)
	case 2:
		g.w.ArrayLen(3 + t.n)
		g.w.Int(14)
		g.w.Int(int64(t.n))
		g.writeType(t.elem)
		for range t.n {
			g.item(t.elem)
		}
	case 3:
		g.w.ArrayLen(3)
		g.w.Int(15)
		g.writeType(t.key)
		g.writeType(t.elem)
	case 4:
		g.item(t.elem)
	default:
		g.namedItem(t.id)
	}
}

// builtinItem writes a value of a predeclared type code.
func (g *fzGen) builtinItem(code int) {
	switch {
	case code == 0:
		g.value()
	case code == 1:
		g.w.Bool(g.pick(2) == 1)
	case code <= 12:
		g.w.Int(int64(g.pick(100)))
	case code <= 14:
		g.w.Float64(2.5)
	case code == 15:
		g.w.String(fzPick(g, fzStrings))
	case code == 16:
		g.w.Bytes([]byte(g.freeString()))
	case code == 17:
		g.timeValue()
	default:
		g.exprOrNil()
	}
}

// namedItem writes a value of a registered type.
func (g *fzGen) namedItem(id string) {
	switch id {
	case "tests.fzStatus":
		g.w.String(fzPick(g, []string{"fresh", "old", ""}))
	case "tests.fzFilter", "sql.NullString", "sql.NullInt64", "gorm.DeletedAt", "gorm.Model":
		g.structValue(id)
	default:
		g.value()
	}
}

// fzStructFields are the exported fields of the registered structs, with
// what their values are.
var fzStructFields = map[string][]struct {
	name string
	t    fzType
}{
	"tests.fzFilter": {{"Name", fzType{code: 15}}, {"IDs", fzType{kind: 1, elem: &fzType{code: 2}}}, {"Since", fzType{code: 17}}, {"Status", fzType{code: 15}}},
	"sql.NullString": {{"String", fzType{code: 15}}, {"Valid", fzType{code: 1}}},
	"sql.NullInt64":  {{"Int64", fzType{code: 6}}, {"Valid", fzType{code: 1}}},
	"gorm.DeletedAt": {{"Time", fzType{code: 17}}, {"Valid", fzType{code: 1}}},
	"gorm.Model":     {{"ID", fzType{code: 7}}, {"CreatedAt", fzType{code: 17}}},
}

// structValue writes [16, id, field, value, ...].
func (g *fzGen) structValue(id string) {
	fields := fzStructFields[id]
	n := g.pick(len(fields) + 2)
	g.w.ArrayLen(2 + 2*n)
	g.w.Int(16)
	g.sym(id)
	for i := range n {
		if i >= len(fields) || g.flag(8) {
			g.sym(g.name([]string{"Name", "Valid", "x", "unexported"}))
			g.value()
			continue
		}
		g.sym(fields[i].name)
		g.item(&fields[i].t)
	}
}
