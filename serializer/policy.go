package serializer

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"unicode"

	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// The load policy. Every slot of a payload that can reach SQL text passes
// through one of the checks in this file (docs/security.md lists the slots).
// Under the strict policy (Options.strict: WithoutRawSQL or an allow-list)
// identifiers must be field references or plain names, and every table and
// column must belong to an allowed model. The bounds on relation paths and
// on identifier expansion hold in every mode.

// PolicyError reports a payload slot the load policy refuses. It unwraps to
// [ErrRawSQL] (text GORM would write into SQL as it is), [ErrNotAllowed]
// (a model, table or field outside the allow-lists) or [ErrLimit].
type PolicyError struct {
	Slot   string // the slot, as docs/security.md names it: "column alias", "Joins", ...
	Value  string // the refused text, shortened to 60 bytes
	Reason string
	Err    error
}

// Error names the sentinel, the slot, the value and the reason.
func (e *PolicyError) Error() string {
	msg := fmt.Sprintf("%v: %s %q", e.Err, e.Slot, e.Value)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns the sentinel.
func (e *PolicyError) Unwrap() error { return e.Err }

func refuse(sentinel error, slot, value, reason string) error {
	if len(value) > 60 {
		value = value[:60] + "..."
	}
	return &PolicyError{Slot: slot, Value: value, Reason: reason, Err: sentinel}
}

// rawRefused refuses text GORM would write into SQL as it is.
func (d *Decoder) rawRefused(slot, sql string) error { return refuse(ErrRawSQL, slot, sql, "") }

// maxIdentifier is the longest identifier the strict policy accepts: the
// longest any of the three databases allows (MySQL, 64).
const maxIdentifier = 64

// plainIdentifier reports whether s is one or more dot-separated plain
// names (a qualified name, "table.column"): what every dialect's quoting
// writes intact. GORM's quoting splits on '.' and leaves quotes unbalanced
// for empty segments and for names that hold a quote, so nothing else may
// reach it from a payload.
func plainIdentifier(s string) bool { return identSegments(s) > 0 }

// identSegments returns how many plain names s is made of, or 0 if it is
// no plain identifier.
func identSegments(s string) int {
	// One pass that stops at the first byte no name holds: raw SQL
	// (a join's "JOIN x ON ...") is told apart within a few bytes.
	start, segs := 0, 1
	for i := 0; i < len(s); i++ {
		switch identBytes[s[i]] {
		case nameChar:
		case dotChar:
			if i == start || i-start > maxIdentifier {
				return 0
			}
			start = i + 1
			segs++
		case otherLetter:
			return plainUnicodeIdentifier(s, segs)
		default:
			return 0
		}
	}
	if len(s) == start || len(s)-start > maxIdentifier {
		return 0
	}
	return segs
}

// identBytes classes the bytes of an identifier, for plainIdentifier.
var identBytes = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case nameByte(byte(c)):
			t[c] = nameChar
		case c == '.':
			t[c] = dotChar
		case c >= 0x80:
			t[c] = otherLetter // perhaps: UTF-8 is decoded to tell
		}
	}
	return t
}()

const (
	nameChar = 1 + iota
	dotChar
	otherLetter
)

// plainUnicodeIdentifier is identSegments for names holding other
// letters, whose first segs-1 segments were checked.
func plainUnicodeIdentifier(s string, segs int) int {
	n := 0
	for seg := range strings.SplitSeq(s, ".") {
		if n++; n >= segs && !plainName(seg) {
			return 0
		}
	}
	return n
}

// plainName reports whether s is one name of letters, digits, '_' and '$',
// at most maxIdentifier bytes.
func plainName(s string) bool {
	if s == "" || len(s) > maxIdentifier {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 {
			return plainUnicodeName(s[i:]) // the ASCII fast path ends here
		} else if !nameByte(c) {
			return false
		}
	}
	return true
}

func nameByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// plainUnicodeName is plainName for a name holding other letters.
func plainUnicodeName(s string) bool {
	for _, r := range s {
		if !(r < 0x80 && nameByte(byte(r)) || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// checkIdent refuses, under the strict policy, a name that is not a plain
// identifier.
func (d *Decoder) checkIdent(slot, name string) error {
	if d.strict && !plainIdentifier(name) {
		return refuse(ErrRawSQL, slot, name, "not a plain identifier")
	}
	return nil
}

// checkAlias refuses, under the strict policy, an alias that is not one
// plain name: an alias is never qualified, and GORM would write a dotted
// one as two quoted names.
func (d *Decoder) checkAlias(slot, name string) error {
	if d.strict && !plainName(name) {
		return refuse(ErrRawSQL, slot, name, "not a plain name")
	}
	return nil
}

// expansionFactor and expansionBase bound what identifier references and
// relation joins add to the SQL beyond the payload's own bytes: at most
// expansionFactor times the payload's size plus expansionBase. With GORM's
// own syntax around each value this keeps the SQL of an accepted payload
// under 16 times its size plus 16 KiB (docs/security.md).
const (
	expansionFactor = 6
	expansionBase   = 8 << 10
)

// expand counts n bytes of SQL that a short reference stands for.
func (d *Decoder) expand(n int) error {
	d.expanded += n
	if d.expanded > expansionFactor*d.r.Len()+expansionBase {
		return d.tooExpanded()
	}
	return nil
}

func (d *Decoder) tooExpanded() error {
	return fmt.Errorf("%w: references expand the payload's %d bytes by more than %d bytes of SQL", ErrLimit, d.r.Len(), expansionFactor*d.r.Len()+expansionBase)
}

// modelAllowed reports whether the policy lets a payload read model type t
// (a struct type): every registered model when AllowedModels is nil.
func (d *Decoder) modelAllowed(t reflect.Type) (string, bool) {
	id, registered := d.reg.ModelID(t)
	if !registered {
		return t.String(), false
	}
	if d.opts.AllowedModels == nil {
		return id, true
	}
	return id, d.opts.AllowedModels[id] || d.opts.AllowedModels[legacyTypeID(t)]
}

// checkModel refuses, under the strict policy, a relation's model that is
// not allowed.
func (d *Decoder) checkModel(slot, name string, sch *schema.Schema) error {
	if !d.strict {
		return nil
	}
	if id, ok := d.modelAllowed(sch.ModelType); !ok {
		return refuse(ErrNotAllowed, slot, name, fmt.Sprintf("it reads model %s, which is not registered or not allowed", id))
	}
	return nil
}

// allowedTable resolves a table name a payload names explicitly: the
// schema of the allowed model whose table it is, or nil for a table of
// Options.AllowedTables. ok is false for any other table.
func (d *Decoder) allowedTable(name string) (sch *schema.Schema, ok bool, err error) {
	if d.tables == nil {
		d.tables = map[string]*schema.Schema{}
		for _, id := range d.reg.Models() {
			t, _ := d.reg.ModelType(id)
			if _, allowed := d.modelAllowed(t); !allowed {
				continue
			}
			s, err := parseSchema(d.target, reflect.New(t).Interface())
			if err != nil {
				return nil, false, err
			}
			d.tables[s.Table] = s
		}
	}
	if s, ok := d.tables[name]; ok {
		return s, true, nil
	}
	return nil, d.opts.AllowedTables[name], nil
}

// checkTableName refuses, under the strict policy, an explicitly named
// table (Table("name"), a FROM or locking table) that is not a plain name
// of an allowed table. The current and the statement's table pass.
func (d *Decoder) checkTableName(slot, name string) error {
	if !d.strict || name == clause.CurrentTable {
		return nil
	}
	if err := d.checkIdent(slot, name); err != nil {
		return err
	}
	if own, err := d.scopeTable(); err != nil || own == name {
		return err
	}
	if d.target == nil {
		return nil // describing: nothing is read
	}
	sch, ok, err := d.allowedTable(name)
	switch {
	case err != nil:
		return err
	case ok && sch != nil && replacesTable(slot):
		// The statement's columns are checked as its model's: reading
		// another model's table in their place would read its columns
		// under the wrong allow-list.
		return refuse(ErrNotAllowed, slot, name, "a statement reads its own model's table; join other models' tables")
	case ok:
		return nil
	}
	return refuse(ErrNotAllowed, slot, name, "not the table of an allowed model (gormpickle.WithAllowedTables)")
}

// replacesTable reports whether a table slot names the table the statement
// reads from (Table(), FROM), rather than one it joins or locks.
func replacesTable(slot string) bool { return slot == "Table" || slot == "FROM table" }

// checkTable applies the policy to a clause.Table: a plain, allowed name,
// and an alias only where GORM gives one, a joined relation's name.
func (d *Decoder) checkTable(slot string, t clause.Table) error {
	if t.Raw && d.strict {
		return d.rawRefused("raw table", t.Name)
	}
	if slot == "table" && d.strict {
		// A table where a value or column stands: PostgreSQL reads a
		// table's name there as its whole row, every column at once.
		return refuse(ErrNotAllowed, slot, t.Name, "a table in a value's place")
	}
	if err := d.checkTableName(slot, t.Name); err != nil || !d.strict || t.Alias == "" {
		return err
	}
	rel, err := d.relationByAlias(t.Alias)
	if err != nil {
		return err
	}
	if rel == nil || rel.FieldSchema.Table != t.Name {
		return refuse(ErrNotAllowed, slot+" alias", t.Alias, "not the name of a relation joined on that table")
	}
	return nil
}

// errNoQualifier is returned by qualifierSchema for a table it cannot name.
var errNoQualifier = errors.New("not the statement's table, a joined relation or an allowed table")

// qualifierSchema resolves a column's table qualifier to the model whose
// column it names: the statement's own, a joined relation's (by its
// alias), or an allowed model's (by its table).
func (d *Decoder) qualifierSchema(table string) (*schema.Schema, error) {
	own, err := d.scopeTable()
	if err != nil {
		return nil, err
	}
	if table == "" || table == clause.CurrentTable || table == own {
		return d.scopeSchema()
	}
	if rel, err := d.relationByAlias(table); err != nil || rel != nil {
		if rel == nil {
			return nil, err
		}
		return rel.FieldSchema, err
	}
	if sch, ok, err := d.allowedTable(table); err != nil || ok {
		return sch, err
	}
	return nil, errNoQualifier
}

// checkColumn applies the strict policy to a column GORM will quote: its
// table, name and alias plain identifiers, its name a column of the model
// its table names, and that column an allowed field.
func (d *Decoder) checkColumn(c clause.Column) error {
	if !d.strict || d.target == nil {
		return nil
	}
	if c.Raw {
		return d.rawRefused("raw column", c.Name)
	}
	if c.Table != "" && c.Table != clause.CurrentTable {
		if err := d.checkIdent("column table", c.Table); err != nil {
			return err
		}
	}
	if c.Alias != "" {
		if err := d.checkAlias("column alias", c.Alias); err != nil {
			return err
		}
	}
	if c.Name == clause.PrimaryKey {
		return nil
	}
	if err := d.checkIdent("column name", c.Name); err != nil {
		return err
	}
	sch, err := d.qualifierSchema(c.Table)
	if errors.Is(err, errNoQualifier) {
		return refuse(ErrNotAllowed, "column table", c.Table, err.Error())
	}
	if err != nil {
		return err
	}
	if sch == nil {
		if c.Table != "" && c.Table != clause.CurrentTable {
			return nil // a table of Options.AllowedTables: the user vouches for all its columns
		}
		return refuse(ErrNotAllowed, "column name", c.Name, "a column outside a statement with a model")
	}
	f := sch.FieldsByDBName[c.Name]
	if f == nil {
		return refuse(ErrNotAllowed, "column name", c.Name, "not a column of model "+sch.Name)
	}
	return d.allowFieldOf(sch, f.Name)
}

// allowFieldOf checks field name of the model sch against the field
// allow-list of that model.
func (d *Decoder) allowFieldOf(sch *schema.Schema, name string) error {
	if d.opts.AllowedFields == nil {
		return nil
	}
	id, _ := d.reg.ModelID(sch.ModelType)
	allowed, ok := d.opts.AllowedFields[id]
	if !ok {
		allowed, ok = d.opts.AllowedFields[legacyTypeID(sch.ModelType)]
	}
	if ok && !allowed[name] {
		return fmt.Errorf("%w: field %q of model %q is not in the allow-list", ErrNotAllowed, name, id)
	}
	return nil
}

// checkStatementModel refuses, under the strict policy, a statement that
// names no model (and is no relation's): nothing would bound what it reads.
func (d *Decoder) checkStatementModel() error {
	if !d.strict || d.target == nil {
		return nil
	}
	if s := d.scope(); s.modelValue() == nil && s.hint == nil {
		return refuse(ErrNotAllowed, "model", "", "a statement must name its model (Model(&T{})) under the strict policy")
	}
	return nil
}

// plainColumnRef matches raw column text that can only name a column, as
// Order("name desc") or Order("users.id") write it: accepted under the
// strict policy when the column it names passes checkColumn.
var plainColumnRef = regexp.MustCompile(`^(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)(?: (?i:asc|desc))?$`)

// checkRawColumn applies the strict policy to a raw column, whose table,
// name and alias GORM writes as they are.
func (d *Decoder) checkRawColumn(c clause.Column) error {
	if !d.strict {
		return nil
	}
	m := plainColumnRef.FindStringSubmatch(c.Name)
	if m == nil || c.Table != "" || c.Alias != "" {
		return d.rawRefused("raw column", c.Table+"|"+c.Name+"|"+c.Alias)
	}
	return d.checkColumn(clause.Column{Table: m[1], Name: m[2]})
}

// writeTags are the clause values a payload under the strict policy may
// not carry: those of statements that write, locking, and clause.Join (a
// join of any two tables, unbounded in the rows it multiplies; relations
// are joined with Joins, which GORM bounds to belongs-to and has-one).
var writeTags = func() (w [tagCount]bool) {
	for _, t := range []int64{tReturning, tOnConflict, tSet, tAssignment, tInsert, tValues, tUpdate, tDelete, tLocking, tJoin} {
		w[t] = true
	}
	return w
}()

// tagNames name the clause values writeTags refuses, for errors.
var tagNames = [tagCount]string{tReturning: "clause.Returning", tOnConflict: "clause.OnConflict", tSet: "clause.Set",
	tAssignment: "clause.Assignment", tInsert: "clause.Insert", tValues: "clause.Values", tUpdate: "clause.Update",
	tDelete: "clause.Delete", tLocking: "clause.Locking", tJoin: "clause.Join"}

// checkRegistered refuses, under the strict policy, a value of a
// registered type that builds its own SQL (a clause.Expression): its Build
// writes whatever its fields hold, and the payload chose those.
func (d *Decoder) checkRegistered(v any) error {
	if _, ok := v.(clause.Expression); ok && d.strict {
		return refuse(ErrRawSQL, "registered expression", fmt.Sprintf("%T", v), "a registered type that builds its own SQL")
	}
	return nil
}

// inPreloadArgs reports whether the reader is among a preload's arguments,
// the only place a captured Preload function may stand.
func (d *Decoder) inPreloadArgs() bool {
	s := d.scope()
	return s != nil && s.preloadArgs
}

// knownClauses are the clause names GORM's processors build; under the
// strict policy no other name (whose text GORM writes verbatim) is
// accepted, and of these only the ones a query renders (readClauses).
var (
	knownClauses = func() map[string]bool {
		m := map[string]bool{}
		for _, name := range clauseNames[1:] {
			m[name] = true
		}
		return m
	}()
	// Not FOR: a locking read holds rows until the caller's transaction
	// ends, which a payload should not decide.
	readClauses = map[string]bool{
		"SELECT": true, "FROM": true, "WHERE": true, "GROUP BY": true, "ORDER BY": true, "LIMIT": true,
	}
)

// checkClauseName applies the strict policy to a clause's key or name.
func (d *Decoder) checkClauseName(slot, name string) error {
	switch {
	case !d.strict || readClauses[name]:
		return nil
	case knownClauses[name]:
		return refuse(ErrNotAllowed, slot, name, "write clauses are not accepted under the strict policy")
	}
	return d.rawRefused(slot, name)
}

// checkClause applies the strict policy to a whole clause: a read clause
// under its own name, without the extra expressions GORM writes around it.
// GORM's soft-delete marker is refused like Unscoped: alone, without the
// condition a finisher added next to it, it reads soft-deleted rows, which
// a payload from a user should not decide.
func (d *Decoder) checkClause(key string, c clause.Clause) error {
	if softDeleteMarker(key, c) {
		return d.refuseUnscoped(softDeleteMarkerKey)
	}
	if err := d.checkClauseName("clause", key); err != nil {
		return err
	}
	if err := d.checkSelectClause(c.Expression); err != nil {
		return err
	}
	if d.strict && ((c.Name != key && c.Name != "") || c.BeforeExpression != nil || c.AfterNameExpression != nil || c.AfterExpression != nil) {
		return d.rawRefused("clause", c.Name)
	}
	return nil
}

// softDeleteMarkerKey is the clause GORM's soft delete leaves on a
// statement once it added its deleted_at condition (a finisher ran on the
// chain), so that it is not added again.
const softDeleteMarkerKey = "soft_delete_enabled"

// softDeleteMarker reports whether c is that marker as GORM leaves it: no
// expression, so nothing of it reaches SQL. All it does is keep GORM from
// adding the soft-delete condition, as the statement's Unscoped flag does.
func softDeleteMarker(key string, c clause.Clause) bool {
	return key == softDeleteMarkerKey && (c.Name == "" || c.Name == key) && c.Expression == nil &&
		c.BeforeExpression == nil && c.AfterNameExpression == nil && c.AfterExpression == nil
}

// expandTable counts what a reference to the current table renders: the
// statement's table name.
func (d *Decoder) expandTable() error {
	t, err := d.scopeTable()
	if err != nil {
		return err
	}
	return d.expand(len(t))
}

// expandPrimaryKey counts what a reference to the primary key renders.
func (d *Decoder) expandPrimaryKey() error {
	sch, err := d.scopeSchema()
	if sch == nil || sch.PrioritizedPrimaryField == nil {
		return err
	}
	return d.expand(len(sch.PrioritizedPrimaryField.DBName))
}

// expandStatement counts what a nested statement renders around its
// clauses: its SELECT, its FROM and the soft-delete condition GORM adds,
// each naming its table.
func (d *Decoder) expandStatement() error {
	t, err := d.scopeTable()
	if err != nil {
		return err
	}
	return d.expand(3*len(t) + 64)
}

// checkSelectClause refuses, under the strict policy, a SELECT clause of
// several columns or an expression: GORM keeps it over the column a Pluck
// or Count asks for, and its scanning panics on the extra columns. Select
// (Statement.Selects) carries the same choice safely.
func (d *Decoder) checkSelectClause(x clause.Expression) error {
	sel, ok := x.(clause.Select)
	if !d.strict || !ok || len(sel.Columns) <= 1 && sel.Expression == nil {
		return nil
	}
	return refuse(ErrNotAllowed, "clause", "SELECT", "a SELECT clause of several columns (use Select)")
}

// refuseUnscoped refuses, under the strict policy, what makes GORM read
// soft-deleted rows: the Unscoped flag, or the soft-delete marker a
// finisher leaves. A chain dumped before it runs carries neither.
func (d *Decoder) refuseUnscoped(what string) error {
	return refuse(ErrNotAllowed, "statement", what, "reads soft-deleted rows; not accepted under the strict policy (dump the chain before running a finisher on it)")
}

// refuseInTableExpr refuses a clause value among a table expression's
// vars, in every mode. GORM renders the current table by building the
// table expression, and clause values render the current table (a
// clause.Table naming it, a FROM or INSERT or UPDATE without a table): the
// expression would build itself forever, a stack overflow no recover
// catches. Plain values, subqueries (which render their own statement)
// and tables and columns by name (tableExprName) remain.
func (d *Decoder) refuseInTableExpr(tag int64) error {
	return refuse(ErrNotAllowed, "Table vars", fmt.Sprintf("value tag %d", tag), "a table expression's vars hold plain values, subqueries and named tables and columns only (a clause value could render the table expression inside itself)")
}

// tableExprName reads a clause value among a table expression's vars: a
// clause.Table or clause.Column that names its table (Table("? AS u",
// clause.Table{Name: "users"})), which renders as a quoted name. Any other
// clause value, and a name standing for the current table, is refused
// (see refuseInTableExpr).
func (d *Decoder) tableExprName(tag int64, n int) (any, error) {
	if tag != tTable && tag != tColumn {
		return nil, d.refuseInTableExpr(tag)
	}
	d.inTableExpr--
	v, err := d.clauseValue(tag, n)
	d.inTableExpr++
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case clause.Table:
		if x.Name != "" && x.Name != clause.CurrentTable {
			return x, nil
		}
	case clause.Column:
		if x.Table != clause.CurrentTable && x.Name != "" && x.Name != clause.PrimaryKey && x.Name != clause.Associations {
			return x, nil
		}
	}
	return nil, d.refuseInTableExpr(tag)
}
