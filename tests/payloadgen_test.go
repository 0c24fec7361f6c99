package tests

import (
	"slices"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// fzGen writes a query payload from the grammar of docs/format.md
// (versions 1 to 3), taking every choice from the fuzzer's bytes: which
// statement keys are present, which value each slot holds, which name
// from the dictionary, how long each list is. Choice 0 is always the
// cheapest leaf, so a run out of bytes (every later choice 0) ends the
// payload quickly, and past the depth or node budget every recursive
// choice is 0. The generator keeps the identifier table the decoder
// builds (docs/format.md, "Interned identifiers") so that the references
// it writes resolve, and the model of each statement being written so
// that field references mostly name that model's fields.
type fzGen struct {
	in     []byte
	w      wire.Writer
	syms   []string // what the decoder's identifier table holds, in order
	scopes []int    // the model (index into fzModels, or fzNoModel) of each open statement
	depth  int
	nodes  int
	// repeated is set once a list has been written in repeat mode (see
	// list): one per payload keeps payloads small.
	repeated bool
	// The version-3 forms (payloadgen_session_test.go): the model of the
	// relation the last relation path led to (fzNoModel if none), the
	// model the next statement starts in (plus one; 0 for none), and how
	// many Preload functions' statements are open.
	relModel, hint, inPreloadFn int
}

// Generator budgets: nesting of statements and values, values written,
// and the bytes a repeated list may take.
const (
	fzMaxDepth       = 7
	fzMaxNodes       = 600
	fzMaxRepeatBytes = 64 << 10
)

// fzGenerate turns fuzzer bytes into a payload.
func fzGenerate(in []byte) []byte {
	g := &fzGen{in: in}
	version := byte(2)
	switch g.pick(8) {
	case 7:
		version = 1
	case 6:
		version = 3
	}
	g.w.Buf = append(make([]byte, 0, 256), 'G', 'P', 'Q', version, 0)
	g.statement()
	return g.w.Buf
}

// next consumes one input byte; 0 once the input is exhausted.
func (g *fzGen) next() byte {
	if len(g.in) == 0 {
		return 0
	}
	b := g.in[0]
	g.in = g.in[1:]
	return b
}

// pick returns a choice in [0, n).
func (g *fzGen) pick(n int) int {
	if n <= 1 {
		return 0
	}
	return int(g.next()) % n
}

// branch is pick for choices that recurse: 0, the leaf, once a budget is
// spent.
func (g *fzGen) branch(n int) int {
	if g.depth >= fzMaxDepth || g.nodes >= fzMaxNodes {
		return 0
	}
	return g.pick(n)
}

// flag returns a choice that is true one time in n.
func (g *fzGen) flag(n int) bool { return g.pick(n) == n-1 }

// enter and leave bracket a nested value.
func (g *fzGen) enter() { g.depth++; g.nodes++ }
func (g *fzGen) leave() { g.depth-- }

// list writes an array whose elements elem writes. Its length is mostly
// 0 to 3, sometimes up to 19; in repeat mode (once per payload) one
// element is written and its bytes copied up to a few thousand times, the
// shape of the amplification payloads (one interned name referenced by
// many one-byte indexes, many joins of one path).
func (g *fzGen) list(elem func()) {
	b := g.next()
	if g.depth >= fzMaxDepth || g.nodes >= fzMaxNodes {
		b = 0
	}
	switch {
	case b < 0xe0:
		g.listOf(int(b%4), elem)
	case b < 0xf0 || g.repeated:
		g.listOf(4+int(b&0x0f), elem)
	default:
		g.repeated = true
		g.repeat(16<<(b&0x07), elem)
	}
}

func (g *fzGen) listOf(n int, elem func()) {
	g.w.ArrayLen(n)
	for range n {
		elem()
	}
}

// repeat writes up to n copies of one element, within fzMaxRepeatBytes.
// Copies intern again whatever the first interned.
func (g *fzGen) repeat(n int, elem func()) {
	start, symStart := len(g.w.Buf), len(g.syms)
	elem()
	one := slices.Clone(g.w.Buf[start:])
	added := slices.Clone(g.syms[symStart:])
	n = min(n, 1+fzMaxRepeatBytes/max(len(one), 1))
	g.w.Buf = g.w.Buf[:start]
	g.w.ArrayLen(n)
	g.w.Buf = append(g.w.Buf, one...)
	for range n - 1 {
		g.w.Buf = append(g.w.Buf, one...)
		g.syms = append(g.syms, added...)
	}
}

// freeString cuts a string of up to 31 bytes from the input.
func (g *fzGen) freeString() string {
	n := min(g.pick(32), len(g.in))
	s := string(g.in[:n])
	g.in = g.in[n:]
	return s
}

// name picks a name: mostly one of legal, else a hostile one or one cut
// from the input.
func (g *fzGen) name(legal []string) string {
	switch c := g.pick(20); {
	case c < 17 && len(legal) > 0:
		return legal[g.pick(len(legal))]
	case c < 19:
		return fzPick(g, fzHostileNames)
	default:
		return g.freeString()
	}
}

// sym writes s in an interned slot: a reference to it when it is in the
// table already (most of the time), else the string, which the decoder
// appends to the table.
func (g *fzGen) sym(s string) {
	if i := slices.Index(g.syms, s); i >= 0 && g.pick(4) != 0 {
		g.w.Int(int64(i))
		return
	}
	g.w.String(s)
	g.syms = append(g.syms, s)
}

// ident writes a name slot: an interned name, nil (the empty name), one of
// the placeholders -1 to -4, or a reference to any table entry, possibly
// one past its end.
func (g *fzGen) ident(legal []string) {
	switch c := g.pick(16); {
	case c < 12:
		g.sym(g.name(legal))
	case c == 12:
		g.w.Nil()
	case c == 13:
		g.w.Int(-1 - int64(g.pick(4)))
	case c == 14:
		g.w.Int(-2) // the statement's own table
	default:
		g.w.Int(int64(g.pick(len(g.syms) + 1)))
	}
}

// scope returns the model of the statement being written.
func (g *fzGen) scope() int {
	if len(g.scopes) == 0 {
		return fzNoModel
	}
	return g.scopes[len(g.scopes)-1]
}

// scopeModel returns the model of the statement being written, or a model
// chosen by the input in a statement without one (field references there
// keep their Go names).
func (g *fzGen) scopeModel() fzModelSpec {
	if m := g.scope(); m != fzNoModel {
		return fzModels[m]
	}
	return fzModels[g.pick(len(fzModels))]
}

// field picks a Go field name, mostly of the statement's model.
func (g *fzGen) field() string { return g.name(g.scopeModel().fields) }

// columnName picks a column name, mostly of the statement's model.
func (g *fzGen) columnName() string { return g.name(g.scopeModel().columns) }

// table picks a table name, mostly the statement's model's or another
// model's.
func (g *fzGen) table() string {
	if g.pick(2) == 0 {
		return g.name([]string{g.scopeModel().table})
	}
	return g.name([]string{fzPick(g, fzModels).table})
}
