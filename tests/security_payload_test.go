package tests

import "github.com/gormpickle/gormpickle/internal/wire"

// Hand-built query payloads for the security tests: written value by value
// from docs/format.md, as an attacker holding only the format description
// would, so that they reach shapes Dumps never writes.

// pv writes one MessagePack value of a payload.
type pv func(w *wire.Writer)

// Statement map keys (docs/format.md, "The statement map").
const (
	keyModel    = 1
	keyTable    = 2
	keySelects  = 4
	keyClauses  = 7
	keyJoins    = 8
	keyPreloads = 9
)

// Value tags (docs/format.md, "Values").
const (
	tagSlice       = 13
	tagNamedArg    = 18
	tagSubquery    = 19
	tagPreloadFunc = 20
	tagEq          = 23
	tagNeq         = 24
	tagIN          = 30
	tagLike        = 29
	tagWhere       = 31
	tagNot         = 34
	tagColumn      = 35
	tagTable       = 36
	tagSelect      = 37
	tagFrom        = 39
	tagJoin        = 40
	tagGroupBy     = 41
	tagOrderBy     = 42
	tagLocking     = 45
)

// Clause codes and column flags.
const (
	clauseSelect  = 1
	clauseFrom    = 2
	clauseWhere   = 3
	clauseGroupBy = 4
	clauseOrderBy = 5
	clauseFor     = 7

	colRaw      = 1
	colFieldRef = 2
	colAlias    = 4

	typExpression = 18 // element type code of clause.Expression
	refCurrent    = -1 // identifier placeholder clause.CurrentTable
)

// secPayload is an unsigned version-2 payload whose body is body.
func secPayload(body pv) []byte {
	w := wire.Writer{Buf: []byte("GPQ\x02\x00")}
	body(&w)
	return w.Buf
}

func pStr(s string) pv    { return func(w *wire.Writer) { w.String(s) } }
func pInt(i int64) pv     { return func(w *wire.Writer) { w.Int(i) } }
func pBool(b bool) pv     { return func(w *wire.Writer) { w.Bool(b) } }
func pNil(w *wire.Writer) { w.Nil() }

// pArr writes an array of items.
func pArr(items ...pv) pv {
	return func(w *wire.Writer) {
		w.ArrayLen(len(items))
		for _, it := range items {
			it(w)
		}
	}
}

// pTag writes the tagged value [tag, items...].
func pTag(tag int64, items ...pv) pv { return pArr(append([]pv{pInt(tag)}, items...)...) }

// pEntry is one statement map entry.
type pEntry struct {
	key int64
	val pv
}

// pStmt writes a statement map; entries must come in ascending key order.
func pStmt(entries ...pEntry) pv {
	return func(w *wire.Writer) {
		w.MapLen(len(entries))
		for _, e := range entries {
			w.Int(e.key)
			e.val(w)
		}
	}
}

func eModel(id string) pEntry     { return pEntry{keyModel, pStr(id)} }
func eTable(name string) pEntry   { return pEntry{keyTable, pArr(pInt(0), pStr(name))} }
func eSelects(s ...pv) pEntry     { return pEntry{keySelects, pArr(s...)} }
func eClauses(cs ...pv) pEntry    { return pEntry{keyClauses, pArr(cs...)} }
func eJoins(js ...pv) pEntry      { return pEntry{keyJoins, pArr(js...)} }
func ePreloads(ps ...pv) pEntry   { return pEntry{keyPreloads, pArr(ps...)} }
func pClause(code int64, x pv) pv { return pArr(pInt(code), x) }

// pPreload is a preload entry [name, [args...]].
func pPreload(name string, args ...pv) pv { return pArr(pStr(name), pArr(args...)) }

// pFunc is a captured Preload function that adds what stmt holds.
func pFunc(entries ...pEntry) pv { return pTag(tagPreloadFunc, pStmt(entries...)) }

// pSub is a subquery value.
func pSub(entries ...pEntry) pv { return pTag(tagSubquery, pStmt(entries...)) }

func pWhere(xs ...pv) pv        { return pTag(tagWhere, pArr(xs...)) }
func pEq(col, val pv) pv        { return pTag(tagEq, col, val) }
func pNeq(col, val pv) pv       { return pTag(tagNeq, col, val) }
func pIN(col pv, vals ...pv) pv { return pTag(tagIN, col, pArr(vals...)) }
func pNot(xs ...pv) pv          { return pTag(tagNot, pArr(xs...)) }

// pCol is a clause.Column [flags, table, name, alias?]; table and name are
// identifier slots (a string, a reference or nil).
func pCol(flags int64, table, name pv, alias ...string) pv {
	items := []pv{pInt(flags), table, name}
	if flags&colAlias != 0 {
		items = append(items, pStr(alias[0]))
	}
	return pTag(tagColumn, items...)
}

// pField is a column naming the Go field of the statement's model.
func pField(name string) pv { return pCol(colFieldRef, pNil, pStr(name)) }

// pRawField is the class-1 column: raw, its name a field reference, its
// table (written verbatim by GORM) whatever the attacker wants.
func pRawField(table, field string) pv { return pCol(colRaw|colFieldRef, pStr(table), pStr(field)) }

// pTableRef is a clause.Table [name, alias, raw].
func pTableRef(name pv, alias string) pv { return pTag(tagTable, name, pStr(alias), pBool(false)) }

// pSelect is a SELECT clause expression over cols.
func pSelect(cols ...pv) pv { return pTag(tagSelect, pBool(false), pArr(cols...), pNil) }

// pFrom is a FROM clause expression.
func pFrom(tables []pv, joins ...pv) pv { return pTag(tagFrom, pArr(tables...), pArr(joins...)) }

// pOrderBy orders by cols, ascending.
func pOrderBy(cols ...pv) pv {
	entries := make([]pv, len(cols))
	for i, c := range cols {
		entries[i] = pArr(c)
	}
	return pTag(tagOrderBy, pArr(entries...))
}

// pGroupBy groups by cols.
func pGroupBy(cols ...pv) pv { return pTag(tagGroupBy, pArr(cols...), pArr()) }

// pNamedArg is a standalone sql.NamedArg value.
func pNamedArg(name string, v pv) pv { return pTag(tagNamedArg, pStr(name), v) }

// pSliceOf is a slice of the element type code el.
func pSliceOf(el int64, items ...pv) pv {
	return pTag(tagSlice, append([]pv{pInt(el)}, items...)...)
}
