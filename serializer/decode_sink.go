package serializer

import (
	"slices"
	"strings"

	"gorm.io/gorm/clause"
)

// A stmtSink receives the parts of a statement the decoder writes as it
// reads them: its model, explicit table, clauses, joins and preloads. The
// walker (statementEntries and the readers it calls) is the same whatever
// the sink; what the decoder collects for GORM's chain methods to set last
// (flags, selects, omits, column mapping, settings, raw SQL) stays in the
// decodedQuery either way and is applied at the end.
//
// Loads restores into the statement itself (*frame). Describe, captured
// Preload functions and subqueries read without a target build a query
// tree (*decodedQuery), applied later or only displayed.
type stmtSink interface {
	// nameModel records the statement's model ID before the model is
	// resolved, and modelID returns it: a tree keeps it for display; a
	// frame does not, its model's type names it (see scopeModelID).
	nameModel(id string)
	modelID() string
	setModel(model any)
	model() any
	setTable(spec tableArg)
	// explicitTable returns the name an explicit Table() gives the
	// statement, if there was one (see statementTable).
	explicitTable() (name string, ok bool)
	startClauses(n int)
	addClause(key string, c clause.Clause)
	startJoins(n int)
	addJoin(j *joinSpec)
	// addPlainJoin is Joins(name) with nothing else: replayed without
	// building a joinSpec when restoring.
	addPlainJoin(name string)
	startPreloads(n int)
	addPreload(name string, args []any)
}

// The restoring sink: each part goes into the frame's statement as GORM's
// chain methods put it there.

func (f *frame) nameModel(string) {}

func (f *frame) modelID() string { return "" }

func (f *frame) setModel(model any) { f.stmt.Model = model }

func (f *frame) model() any { return f.stmt.Model }

func (f *frame) setTable(spec tableArg) { setTableSpec(&f.db, spec, true) }

func (f *frame) explicitTable() (string, bool) {
	if f.stmt.TableExpr != nil {
		return f.stmt.Table, true // set as GORM's Table() sets it
	}
	return "", false
}

func (f *frame) startClauses(int) {}

func (f *frame) addClause(key string, c clause.Clause) { f.stmt.Clauses[key] = c }

func (f *frame) startJoins(int) {}

func (f *frame) addJoin(j *joinSpec) { addJoin(&f.db, j) }

func (f *frame) addPlainJoin(name string) { f.db.Joins(name) }

func (f *frame) startPreloads(n int) {
	if n <= 8 {
		// Room for eight: a literal skips make's sizing, as GORM's
		// Preload does.
		f.stmt.Preloads = map[string][]any{}
	} else {
		f.stmt.Preloads = make(map[string][]any, n)
	}
}

func (f *frame) addPreload(name string, args []any) { f.stmt.Preloads[name] = args }

// The tree sink: each part is kept in the query, by value, as read.

func (q *decodedQuery) nameModel(id string) { q.ModelID = id }

func (q *decodedQuery) modelID() string { return q.ModelID }

func (q *decodedQuery) setModel(model any) { q.Model = model }

func (q *decodedQuery) model() any { return q.Model }

func (q *decodedQuery) setTable(spec tableArg) { q.Table = &spec }

func (q *decodedQuery) explicitTable() (string, bool) {
	switch {
	case q.Table == nil:
		return "", false
	case q.Table.SQL != "":
		return tableExprInfo(q.Table.SQL).name, true
	}
	if parts := strings.Split(q.Table.Name, "."); len(parts) == 2 {
		return parts[1], true // schema.table, as GORM's Table() splits it
	}
	return q.Table.Name, true
}

func (q *decodedQuery) startClauses(n int) { q.Clauses = slices.Grow(q.Clauses[:0], n) }

func (q *decodedQuery) addClause(key string, c clause.Clause) {
	q.Clauses = append(q.Clauses, namedClause{Key: key, Clause: c})
}

func (q *decodedQuery) startJoins(n int) { q.Joins = make([]joinSpec, 0, n) }

func (q *decodedQuery) addJoin(j *joinSpec) { q.Joins = append(q.Joins, *j) }

func (q *decodedQuery) addPlainJoin(name string) {
	q.Joins = append(q.Joins, joinSpec{Name: name, JoinType: clause.LeftJoin})
}

func (q *decodedQuery) startPreloads(n int) { q.Preloads = make([]preloadSpec, 0, n) }

func (q *decodedQuery) addPreload(name string, args []any) {
	q.Preloads = append(q.Preloads, preloadSpec{Name: name, Args: args})
}
