package serializer

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// Decoder reads query payloads. Bytes are treated as hostile: every length
// is checked against what remains and against [Limits], every reference
// against the registry, and nothing panics. A Decoder is not safe for
// concurrent use; create one per payload with [NewDecoder], or restore in
// one call with [Restore].
//
// A Decoder holds no pointer into itself, so that [Restore] can keep one
// on its stack: a zeroed decoder per call costs less than a pooled one,
// whose stale pointers the collector's write barrier shades as they are
// overwritten, and needs no pool.
type Decoder struct {
	reg    *Registry
	opts   *Options
	limits Limits // opts.Limits with defaults
	target *gorm.DB
	r      wire.Reader
	// The identifier table: the first entries in symBuf, the rest in
	// symMore.
	symBuf  [8]string
	symMore []string
	nsyms   int
	// The scopes of the statements being read, innermost last: the first
	// in scopeBuf, deeper ones in scopeMore.
	scopeBuf  [2]decScope
	scopeMore []*decScope
	scopes    int
	// anySlab and exprSlab back short lists of one payload (see makeAnys).
	anySlab  []any
	exprSlab []clause.Expression
	depth    int
	nodes    int
	// preloadFn is the state of the Preload function being read (see
	// decode_preload.go).
	preloadFn preloadState
	// The load policy's state (policy.go): whether the strict policy
	// applies, the SQL that references expanded to so far, the tables of
	// allowed models (built on first use), how deep in a table
	// expression's vars the reader is, and the relation segments joined
	// and preloaded so far.
	strict      bool
	expanded    int
	tables      map[string]*schema.Schema
	inTableExpr int
	joinSegs    int
	preloadSegs int
	// hint is the model the statement read next applies to when it names
	// none: a Preload function's or a join condition's relation (see
	// relationHint).
	hint *schema.Schema
	// renames is what resolving renamed fields found (decode_rename.go),
	// made when a payload first names a field the target lacks.
	renames *renameCache
}

// decScope is the statement whose model resolves field references.
type decScope struct {
	// modelID names the model of a statement decoded into q; one restored
	// into frame is named by its type (see scopeModelID).
	modelID string
	model   any // the decoded model value, if any, when not in frame
	// The statement being read: restored into frame as it is read, or
	// decoded into q.
	frame *frame
	q     *Query
	// schema is the model's schema on the target, parsed on first use
	// (see scopeSchema): most payloads never need it.
	schema    *schema.Schema
	schemaErr error
	parsed    bool
	// table is the statement's table name, found on first use (see
	// scopeTable).
	table    string
	tableSet bool
	used     bool // opened before in this payload (see pushScope)
	// hint is the relation's model for a statement that names none (a
	// Preload function's, a join condition's); hintOnly marks the scope
	// of a relation's arguments, which is no statement.
	hint        *schema.Schema
	hintOnly    bool
	preloadArgs bool
}

// scopeModelID returns the ID of the current statement's model, or "".
func (d *Decoder) scopeModelID() string {
	s := d.scope()
	switch {
	case s == nil:
		return ""
	case s.modelID != "":
		return s.modelID
	}
	if m := s.modelValue(); m != nil {
		id, _ := d.reg.ModelID(reflect.TypeOf(m))
		return id
	}
	return ""
}

// modelValue returns the statement's model value, or nil.
func (s *decScope) modelValue() any {
	if s.frame != nil {
		return s.frame.stmt.Model
	}
	return s.model
}

// scope returns the innermost statement's scope, or nil outside one. The
// pointer is valid until that statement's scope is closed.
func (d *Decoder) scope() *decScope {
	return d.scopeAt(d.scopes - 1)
}

func (d *Decoder) scopeAt(i int) *decScope {
	switch {
	case i < 0:
		return nil
	case i < len(d.scopeBuf):
		return &d.scopeBuf[i]
	}
	return d.scopeMore[i-len(d.scopeBuf)]
}

// scopeSchema returns the schema of the current statement's model on the
// target, or nil without a model or a target.
func (d *Decoder) scopeSchema() (*schema.Schema, error) {
	s := d.scope()
	if s == nil {
		return nil, nil
	}
	if !s.parsed {
		s.parsed = true
		s.schema = s.hint
		if m := s.modelValue(); m != nil && d.target != nil {
			s.schema, s.schemaErr = parseSchema(d.target, m)
			if s.schemaErr != nil {
				s.schemaErr = fmt.Errorf("gormpickle: parse model %q on the target: %w", d.scopeModelID(), s.schemaErr)
			}
		}
	}
	return s.schema, s.schemaErr
}

// scopeTable returns the table the current statement will use, or "".
func (d *Decoder) scopeTable() (string, error) {
	s := d.scope()
	if s == nil {
		return "", nil
	}
	if !s.tableSet {
		t, err := d.statementTable(s)
		if err != nil {
			return "", err
		}
		s.table, s.tableSet = t, true
	}
	return s.table, nil
}

// decoders are reused: a Decoder carries buffers worth keeping between
// payloads.
var decoders = sync.Pool{New: func() any { return new(Decoder) }}

// Release returns d for reuse by [NewDecoder]. d must not be used after.
func (d *Decoder) Release() {
	// Reset what the next payload relies on. The identifier table and the
	// scopes are not cleared: what they still reference (the last
	// payload's identifiers, at most 64 KiB of text, and values the
	// restored chain holds anyway) is overwritten by the next payload or
	// dropped with the pool at the second garbage collection.
	d.reg, d.target = nil, nil
	d.opts = nil
	d.r = wire.Reader{}
	d.anySlab, d.exprSlab = nil, nil
	d.scopes, d.depth, d.nodes, d.nsyms = 0, 0, 0, 0
	d.expanded, d.inTableExpr, d.joinSegs, d.preloadSegs, d.tables, d.hint = 0, 0, 0, 0, nil, nil
	d.renames = nil
	decoders.Put(d)
}

// NewDecoder returns a decoder that resolves models in reg and rebuilds
// subqueries on target. With a nil target it decodes for display only
// (see [Describe]): models need not be registered and field references keep
// their Go names.
func NewDecoder(reg *Registry, opts Options, target *gorm.DB) *Decoder {
	d := decoders.Get().(*Decoder)
	d.reg, d.opts, d.limits, d.target = reg, &opts, opts.Limits.withDefaults(), target
	d.strict = opts.strict()
	return d
}

// Restore decodes a payload and restores it as a new statement rooted in
// target, as [Decoder.Restore] does, with a decoder that lives only for the
// call. opts is read during the call, not kept.
func Restore(reg *Registry, opts *Options, target *gorm.DB, data []byte) (*gorm.DB, error) {
	var d Decoder
	d.reg, d.opts, d.limits, d.target = reg, opts, opts.Limits, target
	d.limits.fill()
	d.strict = opts.strict()
	return d.Restore(data)
}

// Decode parses a payload. A signed payload's tag is skipped, not checked:
// verify it first (see [Verify]).
func (d *Decoder) Decode(data []byte) (*Query, error) {
	if err := d.begin(data); err != nil {
		return nil, err
	}
	q, err := d.statement()
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return nil, d.wrap(err)
	}
	return q, nil
}

// Restore decodes a payload into a new statement rooted in the decoder's
// target (see [NewSession]), writing each entry into it as it is read. The
// result is safe to branch, as after Session(&gorm.Session{}): later chain
// calls on it start from a copy of the restored statement.
func (d *Decoder) Restore(data []byte) (*gorm.DB, error) {
	if d.target == nil {
		return nil, errors.New("gormpickle: Restore needs a decoder with a target DB")
	}
	if err := d.begin(data); err != nil {
		return nil, err
	}
	f, tx, err := d.restoreStatement()
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return nil, d.wrap(err)
	}
	return f.handOff(tx), nil
}

// begin checks a payload's header and points the decoder at its body.
func (d *Decoder) begin(data []byte) error {
	body, err := payloadBody(data, d.limits)
	if err != nil {
		return err
	}
	d.r.Reset(body, wire.Limits{MaxCollection: d.limits.MaxCollection, MaxString: d.limits.MaxString})
	if len(body) <= maxSharedBody {
		d.r.ShareStrings()
	}
	// Drop what the last payload handed out, if this decoder had one; a
	// decoder on the stack starts empty, and writing nil over nil would
	// still cost write barriers.
	d.nsyms = 0
	if d.symMore != nil || d.anySlab != nil || d.exprSlab != nil {
		d.symMore, d.anySlab, d.exprSlab = nil, nil, nil
	}
	return nil
}

// end checks that the statement read was the whole body.
func (d *Decoder) end() error {
	if d.r.Remaining() != 0 {
		return d.trailing()
	}
	return nil
}

// trailing is end's error, out of line so that end inlines.
func (d *Decoder) trailing() error {
	return d.corrupt("%d trailing bytes after the statement", d.r.Remaining())
}

// maxSharedBody is the largest payload whose strings are cut from one
// copy of it (see wire.Reader.ShareStrings); bigger payloads copy each
// string, so a kept string does not pin a large payload.
const maxSharedBody = 64 << 10

// PayloadInfo describes a payload's header.
type PayloadInfo struct {
	Version int
	Signed  bool
}

// Inspect reads a query payload's header without decoding its body.
func Inspect(data []byte) (PayloadInfo, error) {
	if len(data) < headerLen || string(data[:len(queryMagic)]) != queryMagic {
		return PayloadInfo{}, &CorruptError{Offset: 0, Reason: "not a gormpickle query payload (bad magic)"}
	}
	if data[3] < oldestFormatVersion || data[3] > formatVersion {
		return PayloadInfo{}, fmt.Errorf("%w: payload has version %d, this build reads versions %d to %d", ErrVersion, data[3], oldestFormatVersion, formatVersion)
	}
	flags := data[4]
	if flags&^FlagSigned != 0 {
		return PayloadInfo{}, &CorruptError{Offset: 4, Reason: fmt.Sprintf("unknown header flags %#x", flags)}
	}
	return PayloadInfo{Version: int(data[3]), Signed: flags&FlagSigned != 0}, nil
}

// payloadBody checks the header and size and returns the statement bytes.
func payloadBody(data []byte, limits Limits) ([]byte, error) {
	if len(data) > limits.MaxBytes {
		return nil, fmt.Errorf("%w: payload of %d bytes exceeds the limit of %d", ErrLimit, len(data), limits.MaxBytes)
	}
	if len(data) >= headerLen && data[0] == queryMagic[0] && data[1] == queryMagic[1] && data[2] == queryMagic[2] &&
		(data[3] == baseFormatVersion || data[3] == formatVersion) && data[4] == 0 {
		return data[headerLen:], nil // the common headers: unsigned, version 2 or 3
	}
	info, err := Inspect(data)
	if err != nil {
		return nil, err
	}
	body := data[headerLen:]
	if info.Signed {
		if len(body) < SignatureLen {
			return nil, &CorruptError{Offset: len(data), Reason: "signed payload shorter than its tag"}
		}
		body = body[:len(body)-SignatureLen]
	}
	return body, nil
}

// wrap turns reader errors into the package's typed errors.
func (d *Decoder) wrap(err error) error {
	var we *wire.Error
	if errors.As(err, &we) {
		if we.Limit {
			return fmt.Errorf("%w: %s (at byte %d)", ErrLimit, we.Msg, we.Offset+headerLen)
		}
		return &CorruptError{Offset: we.Offset + headerLen, Reason: we.Msg}
	}
	return err
}

func (d *Decoder) corrupt(format string, args ...any) error {
	return &CorruptError{Offset: d.r.Offset() + headerLen, Reason: fmt.Sprintf(format, args...)}
}

// enter counts one level of nesting against the depth limit.
func (d *Decoder) enter() error {
	d.depth++
	if d.depth > d.limits.MaxDepth {
		return d.tooDeep()
	}
	return nil
}

// tooDeep is enter's error, out of line so that enter inlines.
func (d *Decoder) tooDeep() error {
	return fmt.Errorf("%w: nesting deeper than %d", ErrLimit, d.limits.MaxDepth)
}

func (d *Decoder) leave() { d.depth-- }

// sym reads an interned string.
func (d *Decoder) sym() (string, error) {
	switch d.r.Peek() {
	case wire.Str:
		b, err := d.r.ReadStringBytes()
		if err != nil {
			return "", err
		}
		s := d.r.StringOf(b)
		d.addSym(s)
		return s, nil
	case wire.Int:
		i, err := d.r.ReadInt()
		if err != nil {
			return "", err
		}
		return d.symAt(i)
	}
	return "", d.corrupt("expected identifier, found %s", d.r.Peek())
}

// symAt returns the i-th interned identifier.
func (d *Decoder) symAt(i int64) (string, error) {
	if i < 0 || i >= int64(d.nsyms) {
		return "", d.corrupt("string reference %d out of range (%d interned)", i, d.nsyms)
	}
	var s string
	if i < int64(len(d.symBuf)) {
		s = d.symBuf[i]
	} else {
		s = d.symMore[i-int64(len(d.symBuf))]
	}
	// A reference of a byte or two stands for the whole name.
	return s, d.expand(len(s))
}

// addSym appends s to the identifier table.
func (d *Decoder) addSym(s string) {
	if d.nsyms < len(d.symBuf) {
		d.symBuf[d.nsyms] = s
	} else {
		d.symMore = append(d.symMore, s)
	}
	d.nsyms++
}

// ident reads a name slot: nil, a placeholder reference or an interned name.
func (d *Decoder) ident() (string, error) {
	switch d.r.Peek() {
	case wire.Nil:
		return "", d.r.ReadNil()
	case wire.Str:
		return d.sym()
	}
	i, err := d.r.ReadInt()
	if err != nil {
		return "", err
	}
	switch {
	case i >= 0:
		return d.symAt(i)
	case i == refCurrentTable:
		return clause.CurrentTable, d.expandTable()
	case i == refStatementTable:
		t, err := d.scopeTable()
		if t == "" && err == nil {
			t = clause.CurrentTable
		}
		if err == nil {
			err = d.expand(len(t))
		}
		return t, err
	case i == refPrimaryKey:
		return clause.PrimaryKey, d.expandPrimaryKey()
	case i == refAssociations:
		return clause.Associations, nil
	}
	return "", d.corrupt("unknown identifier reference %d", i)
}

func (d *Decoder) str() (string, error) { return d.r.ReadString() }

func (d *Decoder) strs() ([]string, error) {
	n, err := d.r.ReadArrayLen()
	if err != nil || n == 0 {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		if out[i], err = d.r.ReadString(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *Decoder) intValue() (int64, error) { return d.r.ReadInt() }

// columnNames reads Select/Omit names, resolving field references to the
// target's column names.
func (d *Decoder) columnNames() ([]string, error) {
	n, err := d.r.ReadArrayLen()
	if err != nil || n == 0 {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		if d.r.Peek() != wire.Array {
			if out[i], err = d.r.ReadString(); err != nil {
				return nil, err
			}
			continue
		}
		m, err := d.r.ReadArrayLen()
		if err != nil || m != 1 && m != 2 {
			if err == nil {
				err = d.corrupt("column name reference of %d elements", m)
			}
			return nil, err
		}
		name, err := d.sym()
		if err != nil {
			return nil, err
		}
		column := ""
		if m == 2 { // [field, column]: see fieldRef
			if column, err = d.sym(); err != nil {
				return nil, err
			}
		}
		out[i] = name
		if sch, err := d.scopeSchema(); err != nil {
			return nil, err
		} else if sch != nil {
			f, err := d.fieldCol(name, column)
			if err != nil {
				return nil, err
			}
			out[i] = f.DBName
		}
	}
	return out, nil
}

// statement reads a statement into a new Query: for [Decoder.Decode],
// display, and captured Preload functions, which apply it later.
func (d *Decoder) statement() (*Query, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	q := new(Query)
	s := d.pushScope()
	s.q = q
	if d.hint != nil { // see relationHint
		s.hint, d.hint = d.hint, nil
	}
	// No defers here or in the other recursive readers: with their many
	// returns Go cannot open-code them, and they run for every value.
	inTableExpr := d.inTableExpr
	d.inTableExpr = 0 // a statement of its own renders its own table
	err := d.statementEntries(q)
	if err == nil {
		err = d.expandStatement()
	}
	d.inTableExpr = inTableExpr
	d.popScope()
	d.leave()
	if err != nil {
		return nil, err
	}
	return q, nil
}

// restoreStatement reads a statement straight into a new statement on the
// target and returns its frame and the chain that holds it. Clauses,
// joins, preloads and the table are written into the statement as they
// are read; the entries GORM's chain methods must set are collected in a
// Query on the stack and applied at the end.
func (d *Decoder) restoreStatement() (*frame, *gorm.DB, error) {
	if err := d.enter(); err != nil {
		return nil, nil, err
	}
	var q Query
	f := newFrame(d.target)
	q.frame = f
	s := d.pushScope()
	s.frame = f
	if d.hint != nil { // see relationHint
		s.hint, d.hint = d.hint, nil
	}
	inTableExpr := d.inTableExpr
	d.inTableExpr = 0
	err := d.statementEntries(&q)
	if err == nil && d.scopes > 1 {
		err = d.expandStatement() // a subquery; the top statement's is in expansionBase
	}
	d.inTableExpr = inTableExpr
	d.popScope()
	d.leave()
	if err != nil {
		return nil, nil, err
	}
	if !q.restoredRest() {
		return f, &f.db, nil
	}
	return f, q.apply(&f.db, d), nil
}

func (d *Decoder) statementEntries(q *Query) error {
	var err error
	n, ok := d.r.FixMap()
	if !ok {
		if n, err = d.r.ReadMapLen(); err != nil {
			return err
		}
	}
	last := int64(0)
	for i := 0; i < n; i++ {
		key, ok := d.r.FixInt()
		if !ok {
			if key, err = d.intValue(); err != nil {
				return err
			}
		}
		if key <= last {
			return d.corrupt("statement key %d out of order", key)
		}
		last = key
		switch key {
		case keyModel:
			err = d.model(q)
		case keyTable:
			err = d.table(q)
			d.scope().tableSet = false // a name found before the Table key is stale
		case keyFlags:
			var f int64
			if f, err = d.intValue(); err == nil {
				if f&^(stmtUnscoped|stmtDistinct|stmtRaiseErrorOnNotFound) != 0 {
					return d.corrupt("unknown statement flags %#x", f)
				}
				q.Unscoped, q.Distinct = f&stmtUnscoped != 0, f&stmtDistinct != 0
				if q.Unscoped && d.strict {
					return d.refuseUnscoped("Unscoped")
				}
				q.RaiseErrorOnNotFound = f&stmtRaiseErrorOnNotFound != 0
			}
		case keySelects:
			if q.Selects, err = d.columnNames(); err == nil {
				err = d.checkSelects(q.Selects)
			}
		case keyOmits:
			q.Omits, err = d.columnNames()
		case keyColumnMapping:
			err = d.columnMapping(q)
		case keyClauses:
			err = d.clauses(q)
		case keyJoins:
			err = d.joins(q)
		case keyPreloads:
			err = d.preloads(q)
		case keyRaw:
			err = d.raw(q)
		case keySettings:
			err = d.settings(q)
		default:
			return d.corrupt("unknown statement key %d", key)
		}
		if err != nil {
			return err
		}
	}
	if d.strict {
		return d.checkStatementModel()
	}
	return nil
}

// pushScope opens the scope of a statement nested in the current one.
func (d *Decoder) pushScope() *decScope {
	i := d.scopes
	if i >= len(d.scopeBuf) && i-len(d.scopeBuf) >= len(d.scopeMore) {
		d.scopeMore = append(d.scopeMore, new(decScope))
	}
	d.scopes++
	s := d.scopeAt(i)
	if s.used {
		// Cleared only when reused: clearing its pointers costs a write
		// barrier over each while the collector runs.
		*s = decScope{}
	}
	s.used = true
	return s
}

func (d *Decoder) popScope() { d.scopes-- }

// pushHintScope opens the scope of a relation's arguments (a preload's, a
// join's conditions): their columns name the relation's model, and a
// statement among them applies to it.
func (d *Decoder) pushHintScope(sch *schema.Schema) *decScope {
	s := d.pushScope()
	s.hint, s.hintOnly = sch, true
	return s
}

// relationHint is the model a statement read now applies to when it names
// none: the relation whose arguments are being read, if any.
func (d *Decoder) relationHint() *schema.Schema {
	if s := d.scope(); s != nil && s.hintOnly {
		return s.hint
	}
	return nil
}

// statementTable is the table the restored statement will use: an explicit
// Table() as GORM's Table() names it, else the model's table on the target.
func (d *Decoder) statementTable(s *decScope) (string, error) {
	if s.frame != nil && s.frame.stmt.TableExpr != nil {
		return s.frame.stmt.Table, nil // set as GORM's Table() sets it
	}
	if q := s.q; q != nil && q.Table != nil {
		if q.Table.SQL != "" {
			return tableExprInfo(q.Table.SQL).name, nil
		}
		if parts := strings.Split(q.Table.Name, "."); len(parts) == 2 {
			return parts[1], nil
		}
		return q.Table.Name, nil
	}
	sch, err := d.scopeSchema()
	if sch == nil {
		return "", err
	}
	return sch.Table, nil
}

// tableAlias finds the name GORM's Table() gives a statement whose table
// is an expression: the alias of "x AS y" or "x y" (the same pattern GORM
// applies).
var tableAlias = regexp.MustCompile(`(?i)(?:.+? AS (\w+)\s*(?:$|,)|^\w+\s+(\w+)$)`)

// tableInfo is what GORM's Table(sql) derives from a table expression:
// the table name its pattern finds ("" for none) and, for reuse when the
// call has no vars, the FROM expression.
type tableInfo struct {
	name string
	expr *clause.Expr
}

// tableExprInfo returns what Table(sql) derives from sql. Saved queries
// repeat a few table expressions and the pattern is costly (it
// backtracks), so short expressions are remembered.
func tableExprInfo(sql string) tableInfo {
	if info, ok := tableExprs.getString(sql); ok {
		return info
	}
	info := tableInfo{expr: &clause.Expr{SQL: strings.Clone(sql)}} // kept: not a view of the payload
	if m := tableAlias.FindStringSubmatch(sql); len(m) == 3 {
		info.name = m[1]
		if info.name == "" {
			info.name = m[2]
		}
	}
	tableExprs.put(sql, info)
	return info
}

// tableExprs remembers tableExprInfo's answers, by expression.
var tableExprs stringCache[tableInfo]

func (d *Decoder) model(q *Query) error {
	var id string
	var pairs int
	rows := false
	if d.r.Peek() == wire.Array {
		n, err := d.r.ReadArrayLen()
		if err != nil {
			return err
		}
		switch {
		case n == 2:
			rows = true // [id, [type, row, ...]]: a model holding rows
		case n < 3 || n%2 == 0:
			return d.corrupt("model entry of %d elements", n)
		}
		pairs = (n - 1) / 2
		if d.r.Peek() == wire.Nil { // [nil, owner, relation, ...]
			return d.joinTableModel(q, pairs-1)
		}
	}
	id, t, ok, err := d.modelRef()
	if err != nil {
		return err
	}
	if q.frame == nil {
		// A restored statement's model ID is found from its type when
		// needed (see scopeModelID), saving a write barrier per Loads.
		q.ModelID = id
		d.scope().modelID = id
	}
	if err := d.checkRelationModel(id, t); err != nil {
		return err
	}
	if d.opts.AllowedModels != nil && !d.opts.AllowedModels[id] && !(ok && d.opts.AllowedModels[legacyTypeID(t)]) {
		return fmt.Errorf("%w: model %q is not in the allow-list", ErrNotAllowed, id)
	}
	if !ok && d.target != nil {
		return fmt.Errorf("%w: payload names model %q, which is not registered on this DB (gormpickle.WithModels)", ErrUnknownModel, id)
	}
	var ptr reflect.Value
	if ok {
		// Written once, where it is kept: each pointer written costs a
		// write barrier while the collector runs.
		ptr = reflect.New(t)
		if q.frame != nil {
			q.frame.stmt.Model = ptr.Interface()
		} else {
			q.Model = ptr.Interface()
			d.scope().model = q.Model
		}
	}
	if rows {
		return d.modelRows(q, id, t)
	}
	return d.modelFields(q, id, ptr, pairs)
}

// modelRef reads a model ID (interned like any identifier) and looks it up
// in the registry; an ID an earlier release gave the model is replaced by
// its current ID.
func (d *Decoder) modelRef() (id string, t reflect.Type, ok bool, err error) {
	if d.r.Peek() != wire.Str {
		if id, err = d.sym(); err != nil {
			return "", nil, false, err
		}
		if t, ok = d.reg.ModelType(id); ok {
			// A reference to an ID that was a legacy one: name the model
			// by its current ID, as allow-lists do.
			id, _ = d.reg.ModelID(t)
		}
		return id, t, ok, nil
	}
	b, err := d.r.ReadStringBytes()
	if err != nil {
		return "", nil, false, err
	}
	if t, id, ok = d.reg.modelByName(b); id == "" {
		id = d.r.StringOf(b) // shares the payload's copy, as the other strings do
	}
	d.addSym(id)
	return id, t, ok, nil
}

// scratchStatements are reused for parsing schemas: gorm.Statement is large
// and Parse needs only its DB (for the schema cache and naming strategy).
var scratchStatements = sync.Pool{New: func() any { return new(gorm.Statement) }}

// parseSchema returns model's schema under db's naming strategy, from db's
// schema cache when it is there.
func parseSchema(db *gorm.DB, model any) (*schema.Schema, error) {
	s := scratchStatements.Get().(*gorm.Statement)
	// A non-empty Table skips the table-name bookkeeping Parse does for
	// a statement's own model: only the schema is wanted.
	s.DB, s.Table, s.TableExpr, s.Schema = db, "-", nil, nil
	err := s.Parse(model)
	sch := s.Schema
	s.DB, s.Table, s.TableExpr, s.Schema = nil, "", nil, nil
	scratchStatements.Put(s)
	return sch, err
}

// fieldCol resolves a Go field name of the scope's model on the target. In
// a relation's arguments that is the statement's model, whose fields the
// encoder refers to there (the column is then checked as one of the
// relation's, where GORM renders it). column, when the reference records
// one, is the column the field had where it was written: a name the
// target lacks is resolved by the rename mapping or a column (see
// renamedField) before the allow-list sees the target's field.
func (d *Decoder) fieldCol(name, column string) (*schema.Field, error) {
	if s := d.scope(); s != nil && s.hintOnly {
		d.scopes--
		f, err := d.fieldCol(name, column)
		d.scopes++
		return f, err
	}
	sch, err := d.scopeSchema()
	if err != nil {
		return nil, err
	}
	if sch == nil {
		return nil, fmt.Errorf("%w: field %q referenced outside a statement with a model", ErrUnknownField, name)
	}
	f := sch.FieldsByName[name]
	if f == nil {
		if f, err = d.renamedField(sch, name, column); err != nil {
			return nil, err
		}
	} else if f.DBName == "" {
		return nil, fmt.Errorf("%w: model %q (%s) has no column field %q on the target", ErrUnknownField, d.scopeModelID(), sch.Name, name)
	}
	if err := d.allowField(f.Name); err != nil {
		return nil, err
	}
	return f, nil
}

// allowField checks a field of the scope's model against its allow-list.
func (d *Decoder) allowField(name string) error {
	if d.opts.AllowedFields == nil {
		return nil
	}
	sch, err := d.scopeSchema()
	if sch == nil {
		return err
	}
	return d.allowFieldOf(sch, name)
}

func (d *Decoder) table(q *Query) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	kind, err := d.intValue()
	if err != nil {
		return err
	}
	switch {
	case kind == tableName && n == 2:
		name, err := d.str()
		if err != nil {
			return err
		}
		if err := d.checkTableName("Table", name); err != nil {
			return err
		}
		if q.frame != nil {
			setTableSpec(&q.frame.db, TableSpec{Name: name}, d)
			return nil
		}
		q.Table = &TableSpec{Name: name}
	case kind == tableExpr && n == 3:
		sql, err := d.str()
		if err != nil {
			return err
		}
		if d.strict {
			return d.rawRefused("Table", sql)
		}
		d.inTableExpr++ // see checkTable
		vars, err := d.anys()
		d.inTableExpr--
		if err != nil {
			return err
		}
		if q.frame != nil {
			setTableSpec(&q.frame.db, TableSpec{SQL: sql, Vars: vars}, d)
			return nil
		}
		q.Table = &TableSpec{SQL: sql, Vars: vars}
	default:
		return d.corrupt("table entry of kind %d with %d elements", kind, n)
	}
	return nil
}

// checkSelects refuses, under DenyRawSQL, selected names that are not
// fields of the model: GORM writes those as raw SQL.
func (d *Decoder) checkSelects(names []string) error {
	if !d.strict {
		return nil
	}
	sch, err := d.scopeSchema()
	if err != nil {
		return err
	}
	for _, name := range names {
		var f *schema.Field
		if sch != nil {
			f = sch.LookUpField(name)
		}
		if f == nil {
			if d.strict {
				return d.rawRefused("Select", name)
			}
			return fmt.Errorf("%w: Select %q is not a field of model %q", ErrNotAllowed, name, d.scopeModelID())
		}
		if err := d.allowField(f.Name); err != nil {
			return err
		}
	}
	return nil
}

func (d *Decoder) columnMapping(q *Query) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n%2 != 0 {
		return d.corrupt("column mapping of odd length %d", n)
	}
	if d.strict && n > 0 {
		// MapColumns renames result columns into fields: a column the
		// allow-list keeps out would come back in an allowed field.
		return refuse(ErrNotAllowed, "column mapping", "MapColumns", "result columns renamed into fields; not accepted under the strict policy")
	}
	q.ColumnMap = make(map[string]string, n/2)
	for i := 0; i < n; i += 2 {
		k, err := d.str()
		if err != nil {
			return err
		}
		v, err := d.str()
		if err != nil {
			return err
		}
		q.ColumnMap[k] = v
	}
	return nil
}

func (d *Decoder) clauses(q *Query) error {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return err
		}
	}
	if q.frame == nil {
		q.Clauses = slices.Grow(q.Clauses[:0], n)
	}
	prev := ""
	for i := 0; i < n; i++ {
		m, ok := d.r.FixArray()
		if !ok {
			var err error
			if m, err = d.r.ReadArrayLen(); err != nil {
				return err
			}
		}
		if m != 2 && m != 6 {
			return d.corrupt("clause entry of %d elements", m)
		}
		key, err := d.clauseKey()
		if err != nil {
			return err
		}
		if i > 0 && key <= prev {
			return d.corrupt("clause %q out of order", key)
		}
		prev = key
		var c clause.Clause
		if m == 2 {
			// [key, expression]: a clause as GORM's AddClause builds it.
			x, err := d.expression()
			if err != nil {
				return err
			}
			if d.strict {
				if err := d.checkClause(key, clause.Clause{Expression: x}); err != nil {
					return err
				}
			}
			if q.frame != nil {
				q.frame.stmt.Clauses[key] = clause.Clause{Name: key, Expression: x}
				continue
			}
			c = clause.Clause{Name: key, Expression: x}
		} else if c, err = d.clause(key); err != nil {
			return err
		}
		if q.frame != nil {
			q.frame.stmt.Clauses[key] = c
		} else {
			q.Clauses = append(q.Clauses, NamedClause{Key: key, Clause: c})
		}
	}
	return nil
}

// clause reads the rest of a clause entry of six elements, [key,
// expression, name, before, after name, after], whose key was read. It
// returns the clause by value: built in the caller's frame, its fields are
// written without write barriers.
func (d *Decoder) clause(key string) (clause.Clause, error) {
	var c clause.Clause
	var err error
	if c.Expression, err = d.expression(); err != nil {
		return clause.Clause{}, err
	}
	if c.Name, err = d.str(); err != nil {
		return clause.Clause{}, err
	}
	if c.BeforeExpression, err = d.expression(); err != nil {
		return clause.Clause{}, err
	}
	if c.AfterNameExpression, err = d.expression(); err != nil {
		return clause.Clause{}, err
	}
	if c.AfterExpression, err = d.expression(); err != nil {
		return clause.Clause{}, err
	}
	if d.strict {
		return c, d.checkClause(key, c)
	}
	return c, nil
}

// clauseKey reads a clause key: a name, or the code of a known one.
func (d *Decoder) clauseKey() (string, error) {
	if code, ok := d.r.FixInt(); ok {
		if code > 0 && code < int64(len(clauseNames)) {
			return clauseNames[code], nil
		}
		return "", d.corrupt("unknown clause code %d", code)
	}
	if d.r.Peek() != wire.Int {
		return d.str()
	}
	code, err := d.r.ReadInt()
	if err != nil {
		return "", err
	}
	if code <= 0 || code >= int64(len(clauseNames)) {
		return "", d.corrupt("unknown clause code %d", code)
	}
	return clauseNames[code], nil
}

// expression reads a value that must be a clause.Expression or nil. It
// reads what value would, but takes the clause package's expressions
// straight from clauseExpr.
func (d *Decoder) expression() (clause.Expression, error) {
	// The header of [tag, ...] read in place when it has the short forms
	// (tagHeader reads the others).
	var tag int64
	start := d.r.Offset()
	n, ok := d.r.FixArray()
	if ok {
		tag, ok = d.r.FixInt()
	} else if d.r.Peek() != wire.Array {
		v, err := d.value()
		if err != nil || v == nil {
			return nil, err
		}
		return nil, d.corrupt("expected a clause expression, found %T", v)
	}
	if err := d.countNode(); err != nil {
		return nil, err
	}
	if err := d.enter(); err != nil {
		return nil, err
	}
	var x clause.Expression
	var err error
	if !ok || !tagFits(tag, n) {
		d.r.Unread(d.r.Offset() - start)
		tag, n, err = d.tagHeader() // the long forms, and the errors
	}
	switch {
	case err != nil:
	case isClauseExpr(tag):
		x, err = d.clauseExpr(tag, n)
	default:
		var v any
		if v, err = d.taggedBody(tag, n); err == nil && v != nil {
			var ok bool
			if x, ok = v.(clause.Expression); !ok {
				err = d.corrupt("expected a clause expression, found %T", v)
			}
		}
	}
	d.leave()
	if err != nil {
		return nil, err
	}
	return x, nil
}

func (d *Decoder) expressions() ([]clause.Expression, error) {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		return nil, nil
	}
	var err error
	out := d.makeExpressions(n)
	for i := range out {
		if out[i], err = d.expression(); err != nil {
			return nil, err
		}
		if out[i] == nil {
			// GORM builds every entry of a list; a nil one panics there.
			return nil, d.corrupt("nil expression in a list")
		}
	}
	return out, nil
}

func (d *Decoder) joins(q *Query) error {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return err
		}
	}
	if q.frame == nil {
		q.Joins = make([]Join, 0, n)
	}
	for range n {
		if q.frame != nil {
			// [name] alone, a plain Joins("..."): replayed without
			// building a Join.
			if start := d.r.Offset(); d.r.Peek() == wire.Array {
				if m, _ := d.r.FixArray(); m == 1 {
					name, err := d.str()
					if err == nil {
						name, err = d.renamedPath(name)
					}
					if err != nil {
						return err
					}
					if _, err := d.joinPath(name); err != nil {
						return err
					}
					q.frame.db.Joins(name)
					continue
				}
				d.r.Unread(d.r.Offset() - start)
			}
		}
		j, err := d.joinEntry()
		if err != nil {
			return err
		}
		if q.frame != nil {
			addJoin(&q.frame.db, &j)
		} else {
			q.Joins = append(q.Joins, j)
		}
	}
	return nil
}

// joinEntry reads [name, alias, type, [conds], on, [selects], [omits],
// expression]; fields left out at the end hold their defaults (no alias, a
// LEFT join, nothing else).
func (d *Decoder) joinEntry() (Join, error) {
	var err error
	m, ok := d.r.FixArray()
	if !ok {
		if m, err = d.r.ReadArrayLen(); err != nil {
			return Join{}, err
		}
	}
	if m < 1 || m > 8 {
		return Join{}, d.corrupt("join entry of %d elements", m)
	}
	name, err := d.str()
	if err == nil {
		name, err = d.renamedPath(name)
	}
	if err != nil {
		return Join{}, err
	}
	rels, err := d.joinPath(name)
	if err != nil {
		return Join{}, err
	}
	if rels != nil {
		// A relation's conditions name its model's columns.
		d.pushHintScope(rels[len(rels)-1].FieldSchema)
		defer d.popScope()
	}
	j := Join{Name: name, JoinType: clause.LeftJoin}
	// The fields after the name, in order; the entry holds the first m-1.
	for i := 1; i < m; i++ {
		switch i {
		case 1:
			if j.Alias, err = d.str(); err == nil && j.Alias != "" {
				err = d.checkJoinAlias(j.Alias, rels)
			}
		case 2:
			j.JoinType, err = d.joinType()
		case 3:
			j.Conds, err = d.anys()
		case 4:
			j.On, err = d.joinOn()
		case 5:
			j.Selects, err = d.strs()
		case 6:
			j.Omits, err = d.strs()
		case 7:
			j.Expression, err = d.expression()
		}
		if err != nil {
			return Join{}, err
		}
	}
	return j, nil
}

// joinOn reads a join's ON condition: a WHERE, or nil.
func (d *Decoder) joinOn() (*clause.Where, error) {
	on, err := d.value()
	if err != nil || on == nil {
		return nil, err
	}
	w, ok := on.(clause.Where)
	if !ok {
		return nil, d.corrupt("join condition is %T, not a WHERE", on)
	}
	return &w, nil
}

// joinType reads a join type: a code, or a name (version 1, and types GORM
// does not define, which only pass without DenyRawSQL).
func (d *Decoder) joinType() (clause.JoinType, error) {
	if d.r.Peek() == wire.Int {
		code, err := d.r.ReadInt()
		if err != nil {
			return "", err
		}
		if code < 0 || code >= int64(len(joinTypeNames)) {
			return "", d.corrupt("unknown join type code %d", code)
		}
		return joinTypeNames[code], nil
	}
	s, err := d.str()
	if err != nil {
		return "", err
	}
	t := clause.JoinType(s)
	for _, known := range joinTypeNames {
		if t == known {
			return t, nil
		}
	}
	if d.strict {
		return "", d.rawRefused("join type", s)
	}
	return t, nil
}

func (d *Decoder) preloads(q *Query) error {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return err
		}
	}
	if q.frame != nil {
		stmt := &q.frame.stmt
		if n <= 8 {
			// Room for eight: a literal skips make's sizing, as GORM's
			// Preload does.
			stmt.Preloads = map[string][]any{}
		} else {
			stmt.Preloads = make(map[string][]any, n)
		}
		preloads := stmt.Preloads
		for range n {
			if name, ok := d.r.FixStr(); ok {
				// A preload without arguments: its name alone.
				name, err := d.renamedPath(name)
				if err == nil {
					_, err = d.preloadPath(name, false)
				}
				if err != nil {
					return err
				}
				preloads[name] = nil
				continue
			}
			p, err := d.preload()
			if err != nil {
				return err
			}
			preloads[p.Name] = p.Args
		}
		return nil
	}
	q.Preloads = make([]Preload, n)
	for i := range q.Preloads {
		var err error
		if q.Preloads[i], err = d.preload(); err != nil {
			return err
		}
	}
	return nil
}

// preload reads one preload entry.
func (d *Decoder) preload() (Preload, error) {
	if d.r.Peek() != wire.Array {
		// A preload without arguments: its name alone.
		name, err := d.preloadName()
		if err == nil {
			name, err = d.renamedPath(name)
		}
		if err == nil {
			_, err = d.preloadPath(name, false)
		}
		return Preload{Name: name}, err
	}
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return Preload{}, err
	}
	if m != 2 {
		return Preload{}, d.corrupt("preload entry of %d elements", m)
	}
	name, err := d.preloadName()
	if err == nil {
		name, err = d.renamedPath(name)
	}
	if err != nil {
		return Preload{}, err
	}
	rel, err := d.preloadPath(name, true)
	if err != nil {
		return Preload{}, err
	}
	// The arguments are the relation's: conditions on its columns, and
	// Preload functions applied to its query.
	d.pushHintScope(rel).preloadArgs = true
	args, err := d.anys()
	d.popScope()
	if err != nil {
		return Preload{}, err
	}
	return Preload{Name: name, Args: args}, d.checkPreloadArgs(name, args)
}

// preloadName reads a preload's name: a plain string (the encoder does not
// intern it, so it must not enter the identifier table) or the
// clause.Associations placeholder.
func (d *Decoder) preloadName() (string, error) {
	if s, ok := d.r.FixStr(); ok {
		return s, nil
	}
	if d.r.Peek() == wire.Str {
		return d.str()
	}
	return d.ident()
}

func (d *Decoder) raw(q *Query) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n != 2 {
		return d.corrupt("raw entry of %d elements", n)
	}
	sql, err := d.str()
	if err != nil {
		return err
	}
	if d.strict {
		return d.rawRefused("Raw", sql)
	}
	vars, err := d.anys()
	if err != nil {
		return err
	}
	if q.frame != nil {
		// Kept in q, which lives on the stack (see restoreStatement).
		q.restoredRaw, q.hasRestoredRaw = RawSQL{SQL: sql, Vars: vars}, true
		return nil
	}
	q.Raw = &RawSQL{SQL: sql, Vars: vars}
	return nil
}

func (d *Decoder) settings(q *Query) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n%2 != 0 {
		return d.corrupt("settings of odd length %d", n)
	}
	for i := 0; i < n; i += 2 {
		k, err := d.str()
		if err != nil {
			return err
		}
		if d.strict {
			return refuse(ErrNotAllowed, "setting", k, "statement settings steer GORM and its plugins; not accepted under the strict policy")
		}
		v, err := d.value()
		if err != nil {
			return err
		}
		q.Settings = append(q.Settings, Setting{Key: k, Value: v})
	}
	return nil
}
