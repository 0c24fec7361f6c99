package serializer

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle/callbacks"
	"github.com/gormpickle/gormpickle/internal/wire"
)

// Encoder writes query payloads. It is not safe for concurrent use; create
// one per payload with [NewEncoder].
type Encoder struct {
	reg   *Registry
	w     wire.Writer
	syms  map[string]int
	scope *stmtScope // statement whose model resolves field references
	depth int
	// preload is the DB the Preload function being written was captured
	// against (see encode_preload.go), or nil.
	preload *preloadCapture
	// version is the payload's format version: baseFormatVersion until a
	// version-3 form is written (see useVersion3).
	version byte
}

// stmtScope is what field and table references are resolved against while
// one statement (or subquery) is encoded.
type stmtScope struct {
	schema *schema.Schema
	table  string       // the statement's table as GORM resolved it
	namer  schema.Namer // the source's, which derived the model's columns
	parent *stmtScope
}

// maxEncodeDepth bounds recursion through self-referencing values.
const maxEncodeDepth = 100

// NewEncoder returns an encoder resolving models and value types in reg.
func NewEncoder(reg *Registry) *Encoder {
	return &Encoder{reg: reg, syms: map[string]int{}}
}

// EncodeStatement returns the payload of a captured statement (see
// callbacks.Capture): header, then the statement. Tables and columns that
// belong to the model are written as references, re-resolved on load.
// explicitTable tells whether Table() was called on the chain before it was
// run (see [ExplicitTable]); otherwise the model's table is not stored.
func (e *Encoder) EncodeStatement(stmt *gorm.Statement, explicitTable bool) ([]byte, error) {
	e.w.Buf = append(make([]byte, 0, 256), queryMagic...)
	e.w.Buf = append(e.w.Buf, baseFormatVersion, 0)
	e.version = baseFormatVersion
	if err := e.statement(stmt, origin{explicitTable: explicitTable}); err != nil {
		return nil, err
	}
	e.w.Buf[len(queryMagic)] = e.version
	return e.w.Buf, nil
}

// useVersion3 records that the payload holds a version-3 form, so that a
// version-2 reader refuses it with ErrVersion rather than as corrupt.
func (e *Encoder) useVersion3() { e.version = formatVersion }

// origin records what the caller's chain held before GORM parsed the model,
// to tell an explicit Table() from the model's own table.
type origin struct {
	explicitTable bool
}

// ExplicitTable reports whether Table() was called on tx's chain. Call it
// before the chain runs: running it fills in the model's table.
func ExplicitTable(tx *gorm.DB) bool {
	return tx.Statement.TableExpr != nil || tx.Statement.Table != ""
}

// sym writes an interned identifier: the string at its first occurrence,
// its index afterwards.
func (e *Encoder) sym(s string) {
	if i, ok := e.syms[s]; ok {
		e.w.Int(int64(i))
		return
	}
	e.syms[s] = len(e.syms)
	e.w.String(s)
}

func (e *Encoder) statement(stmt *gorm.Statement, o origin) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxEncodeDepth {
		return &UnsupportedTypeError{Type: "*gorm.DB", Reason: "subqueries nested too deeply"}
	}
	scope := &stmtScope{schema: stmt.Schema, table: stmt.Table, namer: namerOf(stmt), parent: e.scope}
	e.scope = scope
	defer func() { e.scope = scope.parent }()

	model, err := e.modelOf(stmt)
	if err != nil {
		return err
	}
	tableSpec, hasTable := e.tableOf(stmt, o)
	var flags int64
	if stmt.Unscoped {
		flags |= stmtUnscoped
	}
	if stmt.Distinct {
		flags |= stmtDistinct
	}
	if stmt.RaiseErrorOnNotFound {
		flags |= stmtRaiseErrorOnNotFound
	}
	clauseKeys := clauseKeysOf(stmt)
	settings := settingsOf(stmt)
	hasRaw := stmt.SQL.Len() > 0

	n := 0
	for _, present := range []bool{model.id != "", hasTable, flags != 0, len(stmt.Selects) > 0, len(stmt.Omits) > 0,
		len(stmt.ColumnMapping) > 0, len(clauseKeys) > 0, len(stmt.Joins) > 0, len(stmt.Preloads) > 0, hasRaw, len(settings) > 0} {
		if present {
			n++
		}
	}
	e.w.MapLen(n)
	if model.id != "" {
		e.w.Int(keyModel)
		if err := e.model(model); err != nil {
			return err
		}
	}
	if hasTable {
		e.w.Int(keyTable)
		if err := e.table(tableSpec); err != nil {
			return err
		}
	}
	if flags != 0 {
		e.w.Int(keyFlags)
		e.w.Int(flags)
	}
	if len(stmt.Selects) > 0 {
		e.w.Int(keySelects)
		e.columnNames(stmt.Selects)
	}
	if len(stmt.Omits) > 0 {
		e.w.Int(keyOmits)
		e.columnNames(stmt.Omits)
	}
	if len(stmt.ColumnMapping) > 0 {
		e.w.Int(keyColumnMapping)
		keys := sortedKeys(stmt.ColumnMapping)
		e.w.ArrayLen(2 * len(keys))
		for _, k := range keys {
			e.w.String(k)
			e.w.String(stmt.ColumnMapping[k])
		}
	}
	if len(clauseKeys) > 0 {
		e.w.Int(keyClauses)
		if err := e.clauses(stmt, clauseKeys); err != nil {
			return err
		}
	}
	if len(stmt.Joins) > 0 {
		e.w.Int(keyJoins)
		if err := e.joins(stmt); err != nil {
			return err
		}
	}
	if len(stmt.Preloads) > 0 {
		e.w.Int(keyPreloads)
		if err := e.preloads(stmt); err != nil {
			return err
		}
	}
	if hasRaw {
		e.w.Int(keyRaw)
		if err := e.raw(stmt); err != nil {
			return err
		}
	}
	if len(settings) > 0 {
		e.w.Int(keySettings)
		e.w.ArrayLen(2 * len(settings))
		for _, s := range settings {
			e.w.String(s.key)
			if err := e.value(s.value, "setting "+s.key); err != nil {
				return err
			}
		}
	}
	return nil
}

// modelValue is what a payload writes of the statement's model: its
// registry ID and, for a model value with non-zero columns
// (Model(&User{ID: 8})), those columns by Go field name, or, for a model
// holding rows (Model(&users), a chain reused after Find), the rows.
type modelValue struct {
	id     string
	fields []modelField
	rows   *modelRows
	// relation, when set, makes this the join table GORM builds for that
	// many2many relation of model id (see joinTableOf).
	relation string
}

// modelOf returns what the payload writes of the statement's model.
func (e *Encoder) modelOf(stmt *gorm.Statement) (modelValue, error) {
	if stmt.Model == nil {
		return modelValue{}, nil
	}
	rv := reflect.ValueOf(stmt.Model)
	t, rows := modelStruct(rv.Type())
	if t.Kind() != reflect.Struct {
		return modelValue{}, &UnsupportedTypeError{Type: fmt.Sprintf("%T", stmt.Model), Where: "Model", Reason: "models must be structs, or slices or arrays of them"}
	}
	id, ok := e.reg.ModelID(t)
	if !ok {
		return e.joinTableModelOf(stmt, t, rv)
	}
	if rows {
		r, err := e.rowsOf(stmt, rv)
		return modelValue{id: id, rows: r}, err
	}
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct || stmt.Schema == nil || rv.IsZero() {
		return modelValue{id: id}, nil
	}
	fields := e.columnFields(stmt, rv)
	if assocs := associations(stmt, rv); len(assocs) > 0 {
		// GORM's Update saves a model value's loaded associations; a
		// reader before version 3 knows only columns there.
		e.useVersion3()
		fields = append(fields, assocs...)
	}
	return modelValue{id: id, fields: fields}, nil
}

// columnFields returns the non-zero columns of the model value rv (a
// struct of the statement's model) by Go field name.
func (e *Encoder) columnFields(stmt *gorm.Statement, rv reflect.Value) []modelField {
	var fields []modelField
	for _, f := range stmt.Schema.Fields {
		if f.DBName == "" || !f.Readable {
			continue
		}
		v, zero := f.ValueOf(stmt.Context, rv)
		if zero {
			continue
		}
		fields = append(fields, modelField{name: f.Name, value: v, column: e.recordedColumn(f)})
	}
	return fields
}

type modelField struct {
	name  string
	value any
	// column is the column recorded with the name (see recordedColumn),
	// usually "".
	column string
}

func (e *Encoder) model(m modelValue) error {
	if m.relation != "" {
		return e.joinTableModel(m.id, m.relation, m.fields)
	}
	if m.rows != nil {
		e.w.ArrayLen(2)
		e.sym(m.id)
		return e.rows(m.rows)
	}
	if len(m.fields) == 0 {
		e.sym(m.id)
		return nil
	}
	e.w.ArrayLen(1 + 2*len(m.fields))
	e.sym(m.id)
	return e.fieldPairs(m.fields)
}

// fieldPairs writes fields as Go field name, value, ... (the caller wrote
// the array header); a name may record its column (see fieldName).
func (e *Encoder) fieldPairs(fields []modelField) error {
	for _, f := range fields {
		e.fieldName(f.name, f.column)
		if err := e.value(f.value, "Model field "+f.name); err != nil {
			return err
		}
	}
	return nil
}

// tableSpec is what Table() was given, recovered from the statement.
type tableSpec struct {
	name string       // identifier (kind tableName)
	expr *clause.Expr // raw expression (kind tableExpr)
}

// tableOf tells an explicit Table() apart from the model's own table (which
// the target re-derives from its naming strategy) and recovers the argument
// Table() was called with.
func (e *Encoder) tableOf(stmt *gorm.Statement, o origin) (tableSpec, bool) {
	if stmt.TableExpr == nil && stmt.Table == "" {
		return tableSpec{}, false
	}
	if !o.explicitTable && stmt.Schema != nil {
		derived := stmt.Schema.Table
		if stmt.TableExpr == nil && stmt.Table == derived {
			return tableSpec{}, false
		}
		if stmt.TableExpr != nil && len(stmt.TableExpr.Vars) == 0 && stmt.TableExpr.SQL == stmt.Quote(derived) {
			return tableSpec{}, false
		}
	}
	if stmt.TableExpr == nil {
		return tableSpec{name: stmt.Table}, true
	}
	if len(stmt.TableExpr.Vars) == 0 {
		if name, ok := unquoteIdent(stmt, stmt.TableExpr.SQL); ok && tableNamed(stmt, name) {
			return tableSpec{name: name}, true
		}
	}
	return tableSpec{expr: stmt.TableExpr}, true
}

// tableNamed reports whether the statement's table is the one Table(name)
// sets. Table("`people`") quotes the same FROM as Table("people") but, being
// SQL to GORM, leaves the statement's table to the model, which qualifies
// columns: it must be kept as the SQL it was.
func tableNamed(stmt *gorm.Statement, name string) bool {
	if parts := strings.Split(name, "."); len(parts) == 2 {
		name = parts[1]
	}
	// Compared quoted: PostgreSQL's Table(`"people"`) keeps its quotes in
	// the statement's table, which quotes to the same identifier.
	return stmt.Quote(stmt.Table) == stmt.Quote(name)
}

// unquoteIdent recovers the identifier that the statement's dialect quoted
// into s ("\"public\".\"users\"" -> "public.users"), if s is exactly that.
func unquoteIdent(stmt *gorm.Statement, s string) (string, bool) {
	if len(s) < 2 {
		return "", false
	}
	q := s[0]
	if q != '"' && q != '`' && q != '[' {
		return "", false
	}
	closing := q
	if q == '[' {
		closing = ']'
	}
	var parts []string
	rest := s
	for {
		if len(rest) < 2 || rest[0] != q {
			return "", false
		}
		end := strings.IndexByte(rest[1:], closing)
		if end < 0 {
			return "", false
		}
		parts = append(parts, rest[1:1+end])
		rest = rest[end+2:]
		if rest == "" {
			break
		}
		if rest[0] != '.' {
			return "", false
		}
		rest = rest[1:]
	}
	name := strings.Join(parts, ".")
	if stmt.Quote(name) != s {
		return "", false
	}
	return name, true
}

func (e *Encoder) table(t tableSpec) error {
	if t.expr == nil {
		e.w.ArrayLen(2)
		e.w.Int(tableName)
		e.w.String(t.name)
		return nil
	}
	e.w.ArrayLen(3)
	e.w.Int(tableExpr)
	e.w.String(t.expr.SQL)
	return e.values(t.expr.Vars, "Table")
}

// columnNames writes Select/Omit names: a name that is a column of the
// model is written as a field reference ([field]) so the target's naming
// strategy renames it; anything else (expressions, "*") as a string.
func (e *Encoder) columnNames(names []string) {
	e.w.ArrayLen(len(names))
	for _, name := range names {
		if e.scope.schema != nil {
			if f := e.scope.schema.FieldsByDBName[name]; f != nil {
				if column := e.recordedColumn(f); column != "" {
					e.w.ArrayLen(2) // [field, column]
					e.sym(f.Name)
					e.sym(column)
					continue
				}
				e.w.ArrayLen(1)
				e.sym(f.Name)
				continue
			}
		}
		e.w.String(name)
	}
}

func (e *Encoder) strings(ss []string) {
	e.w.ArrayLen(len(ss))
	for _, s := range ss {
		e.w.String(s)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// clauseKeysOf lists the statement's clauses in encoding order. GORM's
// soft-delete marker (soft_delete_enabled, left by a finisher that already
// ran on the chain, next to the deleted_at condition it added) is kept like
// any clause: without it the target would add the condition a second time,
// and regroup the WHERE around a later Or().
func clauseKeysOf(stmt *gorm.Statement) []string {
	keys := make([]string, 0, len(stmt.Clauses))
	for k := range stmt.Clauses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (e *Encoder) clauses(stmt *gorm.Statement, keys []string) error {
	e.w.ArrayLen(len(keys))
	for _, k := range keys {
		c := stmt.Clauses[k]
		if c.Builder != nil {
			return &UnsupportedTypeError{Type: "clause.ClauseBuilder", Where: "clause " + k, Reason: "clause builders are functions"}
		}
		where := "clause " + k
		if c.Name == k && c.BeforeExpression == nil && c.AfterNameExpression == nil && c.AfterExpression == nil {
			e.w.ArrayLen(2)
			e.clauseKey(k)
			if err := e.value(c.Expression, where); err != nil {
				return err
			}
			continue
		}
		e.w.ArrayLen(6)
		e.clauseKey(k)
		if err := e.value(c.Expression, where); err != nil {
			return err
		}
		e.w.String(c.Name)
		for _, x := range []clause.Expression{c.BeforeExpression, c.AfterNameExpression, c.AfterExpression} {
			if err := e.value(x, where); err != nil {
				return err
			}
		}
	}
	return nil
}

// clauseKey writes a clause key: a known clause name as its code.
func (e *Encoder) clauseKey(k string) {
	if code := clauseCode(k); code != 0 {
		e.w.Int(int64(code))
		return
	}
	e.w.String(k)
}

// joins writes Statement.Joins, whose element type GORM does not export;
// its fields are read through reflection. Trailing fields that hold their
// default are left out.
func (e *Encoder) joins(stmt *gorm.Statement) error {
	js := reflect.ValueOf(stmt.Joins)
	e.w.ArrayLen(js.Len())
	for i := 0; i < js.Len(); i++ {
		j := js.Index(i)
		name := j.FieldByName("Name").String()
		where := "Joins(" + name + ")"
		alias := j.FieldByName("Alias").String()
		joinType := j.FieldByName("JoinType").Interface().(clause.JoinType)
		conds := j.FieldByName("Conds").Interface().([]any)
		on := j.FieldByName("On").Interface().(*clause.Where)
		selects := j.FieldByName("Selects").Interface().([]string)
		omits := j.FieldByName("Omits").Interface().([]string)
		var x any
		if expr := j.FieldByName("Expression"); !expr.IsNil() {
			x = expr.Interface()
		}
		// The fields after the name, in order, and whether each holds its
		// default: trailing defaults are left out.
		fields := [...]struct {
			isDefault bool
			write     func() error
		}{
			{alias == "", func() error { e.w.String(alias); return nil }},
			{joinType == clause.LeftJoin, func() error { e.joinType(joinType); return nil }},
			{len(conds) == 0, func() error { return e.values(conds, where) }},
			{on == nil, func() error {
				if on == nil {
					e.w.Nil()
					return nil
				}
				return e.value(*on, where)
			}},
			{len(selects) == 0, func() error { e.strings(selects); return nil }},
			{len(omits) == 0, func() error { e.strings(omits); return nil }},
			{x == nil, func() error { return e.value(x, where) }},
		}
		n := len(fields)
		for n > 0 && fields[n-1].isDefault {
			n--
		}
		e.w.ArrayLen(1 + n)
		e.w.String(name)
		for _, f := range fields[:n] {
			if err := f.write(); err != nil {
				return err
			}
		}
	}
	return nil
}

// joinType writes a join type: GORM's as its code, any other as a string.
func (e *Encoder) joinType(t clause.JoinType) {
	for code, known := range joinTypeNames {
		if t == known {
			e.w.Int(int64(code))
			return
		}
	}
	e.w.String(string(t))
}

// subquery captures a *gorm.DB (a subquery, a join condition, a preload
// function's result) and writes its statement.
func (e *Encoder) subquery(db *gorm.DB, where string) error {
	explicit := ExplicitTable(db)
	var inner error
	err := callbacks.Capture(db, func(s *gorm.Statement) error {
		inner = e.statement(s, origin{explicitTable: explicit})
		return inner
	})
	if err == nil || err == inner {
		return err
	}
	return fmt.Errorf("gormpickle: capture subquery in %s: %w", where, err)
}

type setting struct {
	key   string
	value any
}

// settingsOf returns the portable Settings: not the capture marker, not
// GORM's internal keys, not InstanceSet keys (prefixed with the statement
// address).
func settingsOf(stmt *gorm.Statement) []setting {
	var out []setting
	stmt.Settings.Range(func(k, v any) bool {
		key, ok := k.(string)
		if !ok || key == callbacks.MarkerKey || strings.HasPrefix(key, "0x") || strings.HasPrefix(key, "gorm:") {
			return true
		}
		out = append(out, setting{key, v})
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}
