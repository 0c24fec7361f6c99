package serializer

import (
	"reflect"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// decodedQuery is a decoded statement. As a query tree (its own sink) it
// holds the whole statement, for display or to apply later; restoring, it
// holds only what GORM's chain methods set last (see restoredRest), the
// rest having gone into the frame. Its clause values are ready to use;
// subqueries inside them are already rebuilt on the target (or, without a
// target, held as *decodedQuery).
type decodedQuery struct {
	ModelID string
	Model   any // a new value of the model's type (a pointer to a struct, or the rows of a model holding rows), or nil
	// ModelFields holds the model value's columns when the model could not
	// be resolved (describe mode); otherwise they are set on Model.
	ModelFields []settingEntry `json:",omitempty"`
	Table       *tableArg
	Unscoped    bool
	Distinct    bool
	Selects     []string
	Omits       []string
	ColumnMap   map[string]string
	Clauses     []namedClause
	Joins       []joinSpec
	Preloads    []preloadSpec
	Raw         rawSQL
	Settings    []settingEntry

	// ModelRows holds the rows of a model holding rows (Model(&users)),
	// each as its fields, when describing; otherwise they are in Model.
	ModelRows [][]settingEntry `json:",omitempty"`
	// RaiseErrorOnNotFound is left on a chain by First, Take or Last: its
	// next finisher then fails with gorm.ErrRecordNotFound on no rows.
	RaiseErrorOnNotFound bool `json:",omitempty"`

	// sink receives the model, table, clauses, joins and preloads as they
	// are read: the query itself, or the frame being restored into (see
	// decoder.restoreStatement).
	sink   stmtSink
	hasRaw bool // Raw was read
}

// tableArg is an explicit Table() call: a plain name, or SQL with vars.
type tableArg struct {
	Name string `json:",omitempty"`
	SQL  string `json:",omitempty"`
	Vars []any  `json:",omitempty"`
}

// namedClause is one entry of Statement.Clauses.
type namedClause struct {
	Key    string
	Clause clause.Clause
}

// joinSpec mirrors GORM's (unexported) join type.
type joinSpec struct {
	Name       string
	Alias      string            `json:",omitempty"`
	JoinType   clause.JoinType   `json:",omitempty"`
	Conds      []any             `json:",omitempty"`
	On         *clause.Where     `json:",omitempty"`
	Selects    []string          `json:",omitempty"`
	Omits      []string          `json:",omitempty"`
	Expression clause.Expression `json:",omitempty"`
}

// preloadSpec is one preloadSpec() call; captured functions come back as
// func(*gorm.DB) *gorm.DB values in Args.
type preloadSpec struct {
	Name string
	Args []any `json:",omitempty"`
}

// rawSQL is a Raw() statement with '?' placeholders.
type rawSQL struct {
	SQL  string
	Vars []any `json:",omitempty"`
}

// settingEntry is one portable Statement.Settings entry.
type settingEntry struct {
	Key   string
	Value any
}

// preloadFuncValue is a captured Preload function in describe mode.
type preloadFuncValue struct{ Query *decodedQuery }

// subqueryValue is a subquery in describe mode (no target DB).
type subqueryValue struct{ Query *decodedQuery }

// newSession returns the fresh statement that a query is restored into: a
// new, empty statement rooted in db, inheriting its config (dialect,
// naming, plugins), connection (transaction), context and error, as GORM
// starts one for a chain on a new session. Chain methods called on the
// result modify that statement in place, like calls on a chain in
// progress; branch it with Session before reusing it.
func newSession(db *gorm.DB) *gorm.DB {
	return &newFrame(db).db
}

// frame holds a restored chain: its DB and its statement, in one
// allocation (GORM's DB and Statement together, and room for short lists),
// as they live and die together. While the chain is restored the DB is a
// plain chain whose methods modify the statement in place; handOff then
// makes it branch-safe.
type frame struct {
	db   gorm.DB
	stmt gorm.Statement
	// lists backs the first short lists of a restored payload (see
	// decoder.newSlabs): one allocation fewer, sized to keep the frame in
	// its size class (TestFrameSizeClass).
	lists struct {
		anys  [maxSlabList]any
		exprs [1]clause.Expression
	}
}

// newFrame starts a frame on db: the new statement GORM starts for a chain
// on a new session.
func newFrame(db *gorm.DB) *frame {
	// Field by field into the new frame, not a whole Statement literal
	// (see "Runtime facts" in docs/performance.md).
	f := new(frame)
	f.db.Config = db.Config
	f.db.Error = db.Error
	f.db.Statement = &f.stmt
	f.stmt.DB = &f.db
	f.stmt.ConnPool = db.Statement.ConnPool
	f.stmt.Context = db.Statement.Context
	f.stmt.Clauses = map[string]clause.Clause{} // room for eight, as GORM starts one
	f.stmt.SkipHooks = db.Statement.SkipHooks
	if db.Config.PropagateUnscoped {
		f.stmt.Unscoped = db.Statement.Unscoped
	}
	return f
}

// branchSafe is a DB as Session returns it: its next chain call starts
// from a copy of its statement, so calls on it never leak into each other.
// GORM keeps that in an unexported field, which a struct copy carries.
var branchSafe = *(&gorm.DB{Config: &gorm.Config{}}).Session(&gorm.Session{})

// handOff turns the frame's DB, which the restore's chain calls returned as
// tx, into one that is safe to branch: what tx.Session(&gorm.Session{})
// returns, without copying the config.
func (f *frame) handOff(tx *gorm.DB) *gorm.DB {
	if tx != &f.db {
		return tx.Session(&gorm.Session{})
	}
	// Built on the stack, then copied in once (see "Runtime facts" in docs/performance.md).
	db := branchSafe
	db.Config, db.Error, db.Statement = tx.Config, tx.Error, tx.Statement
	f.db = db
	return &f.db
}

// apply writes q into tx's statement. tx must be a fresh statement (see
// newSession). The statement takes q's slices and maps: apply a query
// once.
func (q *decodedQuery) apply(tx *gorm.DB) *gorm.DB {
	tx = q.applyModelAndTable(tx)
	stmt := tx.Statement
	// Set, not copied: a statement GORM starts on an Unscoped DB with
	// PropagateUnscoped is Unscoped already (see newFrame).
	if q.Unscoped {
		stmt.Unscoped = true
	}
	if q.Distinct {
		stmt.Distinct = true
	}
	if q.RaiseErrorOnNotFound {
		stmt.RaiseErrorOnNotFound = true
	}
	// Selects, Omits, ColumnMap and the clause values are the statement's
	// from here on: a decoded query is applied once.
	if len(q.Selects) > 0 {
		stmt.Selects = q.Selects
	}
	if len(q.Omits) > 0 {
		stmt.Omits = q.Omits
	}
	if len(q.ColumnMap) > 0 {
		stmt.ColumnMapping = q.ColumnMap
	}
	if len(q.Clauses) > 0 {
		if stmt.Clauses == nil {
			stmt.Clauses = make(map[string]clause.Clause, len(q.Clauses))
		}
		for _, c := range q.Clauses {
			stmt.Clauses[c.Key] = c.Clause
		}
	}
	if len(q.Joins) > 0 {
		tx = addJoins(tx, q.Joins)
		stmt = tx.Statement
	}
	if len(q.Preloads) > 0 {
		stmt.Preloads = make(map[string][]any, len(q.Preloads))
		for _, p := range q.Preloads {
			stmt.Preloads[p.Name] = p.Args
		}
	}
	for _, s := range q.Settings {
		stmt.Settings.Store(s.Key, s.Value)
	}
	if q.hasRaw {
		tx = restoreRaw(tx, q.Raw)
	}
	return tx
}

// restoredRest reports whether a statement restored as it was read (see
// decoder.restoreStatement) has entries left for apply: those GORM's chain
// methods set last.
func (q *decodedQuery) restoredRest() bool {
	return q.Unscoped || q.Distinct || q.RaiseErrorOnNotFound || q.Selects != nil || q.Omits != nil || q.ColumnMap != nil ||
		q.Settings != nil || q.hasRaw
}

// applyModelAndTable sets the model and replays an explicit Table().
func (q *decodedQuery) applyModelAndTable(tx *gorm.DB) *gorm.DB {
	if q.Model != nil {
		tx.Statement.Model = q.Model
	}
	if q.Table == nil {
		return tx
	}
	return setTableSpec(tx, *q.Table, false)
}

// setTableSpec does what the Table() call that spec records did: a name,
// or an expression (SQL with vars, spaces or backticks; other SQL is taken
// as a name, as Table takes it). cached names go through the quoted-table
// cache (see setTableName), for statements being restored.
func setTableSpec(tx *gorm.DB, spec tableArg, cached bool) *gorm.DB {
	name := spec.Name
	if spec.SQL != "" {
		if len(spec.Vars) > 0 || strings.ContainsAny(spec.SQL, " `") {
			setTableExpr(tx.Statement, spec.SQL, spec.Vars)
			return tx
		}
		name = spec.SQL
	}
	if !cached {
		return tx.Table(name)
	}
	setTableName(tx.Statement, name)
	return tx
}

// applyTo merges q's conditions into an existing chain: what a captured
// Preload function did to the DB it was given.
func (q *decodedQuery) applyTo(db *gorm.DB) *gorm.DB {
	tx := q.applyModelAndTable(db.Clauses()) // Clauses(): only takes the chain's own statement instance
	stmt := tx.Statement
	if q.Unscoped {
		tx = tx.Unscoped()
	}
	if q.Distinct {
		stmt.Distinct = true
	}
	if q.RaiseErrorOnNotFound {
		stmt.RaiseErrorOnNotFound = true
	}
	stmt.Selects = append(stmt.Selects, q.Selects...)
	stmt.Omits = append(stmt.Omits, q.Omits...)
	for _, c := range q.Clauses {
		if c.Clause.Expression == nil {
			continue
		}
		if ci, ok := c.Clause.Expression.(clause.Interface); ok {
			stmt.AddClause(ci)
		} else {
			stmt.Clauses[c.Key] = c.Clause
		}
	}
	if len(q.Joins) > 0 {
		setJoins(stmt, append(joinsOf(stmt), q.Joins...))
	}
	for _, p := range q.Preloads {
		tx = tx.Preload(p.Name, p.Args...)
	}
	return tx
}

// addJoins restores joins through GORM's Joins and InnerJoins, which
// rebuild exactly what they stored; joins those cannot express (aliases and
// expressions set by the generics API, right and cross joins) are set
// through reflection.
func addJoins(tx *gorm.DB, joins []joinSpec) *gorm.DB {
	for i := range joins {
		if !plainJoin(&joins[i]) {
			setJoins(tx.Statement, append(joinsOf(tx.Statement), joins[i:]...))
			return tx
		}
		tx = addJoin(tx, &joins[i])
	}
	return tx
}

// addJoin adds one join to tx's statement, as addJoins does.
func addJoin(tx *gorm.DB, j *joinSpec) *gorm.DB {
	switch {
	case !plainJoin(j):
		setJoins(tx.Statement, append(joinsOf(tx.Statement), *j))
		return tx
	case j.JoinType == clause.InnerJoin:
		return tx.InnerJoins(j.Name, j.Conds...)
	default:
		return tx.Joins(j.Name, j.Conds...)
	}
}

// plainJoin reports whether GORM's Joins or InnerJoins store j as it is.
func plainJoin(j *joinSpec) bool {
	return j.Alias == "" && j.Expression == nil && (j.JoinType == clause.LeftJoin || j.JoinType == clause.InnerJoin)
}

// setJoins builds Statement.Joins, whose element type GORM does not export,
// through reflection.
func setJoins(stmt *gorm.Statement, joins []joinSpec) {
	field := reflect.ValueOf(stmt).Elem().FieldByName("Joins")
	out := reflect.MakeSlice(field.Type(), len(joins), len(joins))
	for i, j := range joins {
		el := out.Index(i)
		el.FieldByName("Name").SetString(j.Name)
		el.FieldByName("Alias").SetString(j.Alias)
		el.FieldByName("JoinType").Set(reflect.ValueOf(j.JoinType))
		if j.Conds != nil {
			el.FieldByName("Conds").Set(reflect.ValueOf(j.Conds))
		}
		if j.On != nil {
			el.FieldByName("On").Set(reflect.ValueOf(j.On))
		}
		if j.Selects != nil {
			el.FieldByName("Selects").Set(reflect.ValueOf(j.Selects))
		}
		if j.Omits != nil {
			el.FieldByName("Omits").Set(reflect.ValueOf(j.Omits))
		}
		if j.Expression != nil {
			el.FieldByName("Expression").Set(reflect.ValueOf(&j.Expression).Elem())
		}
	}
	field.Set(out)
}

// joinsOf reads Statement.Joins back into Join values.
func joinsOf(stmt *gorm.Statement) []joinSpec {
	js := reflect.ValueOf(stmt.Joins)
	out := make([]joinSpec, js.Len())
	for i := range out {
		j := js.Index(i)
		out[i] = joinSpec{
			Name:     j.FieldByName("Name").String(),
			Alias:    j.FieldByName("Alias").String(),
			JoinType: j.FieldByName("JoinType").Interface().(clause.JoinType),
			Conds:    j.FieldByName("Conds").Interface().([]any),
			On:       j.FieldByName("On").Interface().(*clause.Where),
			Selects:  j.FieldByName("Selects").Interface().([]string),
			Omits:    j.FieldByName("Omits").Interface().([]string),
		}
		if x := j.FieldByName("Expression"); !x.IsNil() {
			out[i].Expression = x.Interface().(clause.Expression)
		}
	}
	return out
}

// restoreRaw sets raw SQL on tx as clause.Expr builds it, whatever the
// text holds. The payload's SQL was built once already, on the source:
// Raw would read an '@' left in it (an e-mail address in a string, a
// PostgreSQL operator) as a named variable and look its name up among the
// fields of struct vars (clause.Column's Name, Table...).
func restoreRaw(tx *gorm.DB, raw rawSQL) *gorm.DB {
	tx = tx.Raw("") // a new instance with an empty SQL, as Raw starts
	clause.Expr{SQL: raw.SQL, Vars: raw.Vars}.Build(tx.Statement)
	return tx
}
