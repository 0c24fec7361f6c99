package serializer

import (
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle/callbacks"
	"github.com/gormpickle/gormpickle/internal/capture"
	"github.com/gormpickle/gormpickle/internal/querycodec"
	"github.com/gormpickle/gormpickle/internal/wire"
)

// encoder writes query payloads. It is not safe for concurrent use; create
// one per payload with [newEncoder].
type encoder struct {
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

// newEncoder returns an encoder resolving models and value types in reg.
func newEncoder(reg *Registry) *encoder {
	return &encoder{reg: reg, syms: map[string]int{}}
}

// encodeStatement returns the payload of a captured statement (see
// capture.Capture): header, then the statement. Tables and columns that
// belong to the model are written as references, re-resolved on load.
// explicitTable tells whether Table() was called on the chain before it was
// run (see querycodec.ExplicitTable); otherwise the model's table is not stored.
func (e *encoder) encodeStatement(stmt *gorm.Statement, explicitTable bool) ([]byte, error) {
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
func (e *encoder) useVersion3() { e.version = formatVersion }

// origin records what the caller's chain held before GORM parsed the model,
// to tell an explicit Table() from the model's own table.
type origin struct {
	explicitTable bool
}

func (e *encoder) statement(stmt *gorm.Statement, o origin) error {
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
	flags := stmtFlags(stmt)
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
	return e.statementParts(stmt, clauseKeys, settings)
}

// stmtFlags packs the statement's boolean fields into the flags entry.
func stmtFlags(stmt *gorm.Statement) int64 {
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
	return flags
}

// statementParts writes the entries of a statement after its model, table
// and flags, each one only when the statement has it (statement counted
// them for the map's length).
func (e *encoder) statementParts(stmt *gorm.Statement, clauseKeys []string, settings []setting) error {
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
		e.columnMapping(stmt.ColumnMapping)
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
	if stmt.SQL.Len() > 0 {
		e.w.Int(keyRaw)
		if err := e.raw(stmt); err != nil {
			return err
		}
	}
	if len(settings) > 0 {
		e.w.Int(keySettings)
		return e.settings(settings)
	}
	return nil
}

// columnMapping writes ColumnMapping as key, value pairs in key order, so
// that the payload does not depend on map iteration.
func (e *encoder) columnMapping(m map[string]string) {
	keys := sortedKeys(m)
	e.w.ArrayLen(2 * len(keys))
	for _, k := range keys {
		e.w.String(k)
		e.w.String(m[k])
	}
}

func (e *encoder) settings(settings []setting) error {
	e.w.ArrayLen(2 * len(settings))
	for _, s := range settings {
		e.w.String(s.key)
		if err := e.value(s.value, "setting "+s.key); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// subquery captures a *gorm.DB (a subquery, a join condition, a preload
// function's result) and writes its statement.
func (e *encoder) subquery(db *gorm.DB, where string) error {
	explicit := querycodec.ExplicitTable(db)
	var inner error
	err := capture.Capture(db, func(s *gorm.Statement) error {
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
