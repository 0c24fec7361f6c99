package serializer

import (
	"fmt"
	"reflect"

	"gorm.io/gorm/schema"
)

// decScope is the statement whose model resolves field references.
type decScope struct {
	// modelID names a model its type cannot name (a join table's, a
	// model holding rows); otherwise the sink has it (see scopeModelID).
	modelID string
	// sink is where the statement being read goes (see stmtSink).
	sink stmtSink
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
func (d *decoder) scopeModelID() string {
	s := d.scope()
	switch {
	case s == nil:
		return ""
	case s.modelID != "":
		return s.modelID
	case s.sink == nil:
		return ""
	}
	if id := s.sink.modelID(); id != "" {
		return id
	}
	if m := s.sink.model(); m != nil {
		id, _ := d.reg.ModelID(reflect.TypeOf(m))
		return id
	}
	return ""
}

// modelValue returns the statement's model value, or nil.
func (s *decScope) modelValue() any {
	if s.sink == nil {
		return nil
	}
	return s.sink.model()
}

// scope returns the innermost statement's scope, or nil outside one. The
// pointer is valid until that statement's scope is closed.
func (d *decoder) scope() *decScope {
	return d.scopeAt(d.scopes - 1)
}

func (d *decoder) scopeAt(i int) *decScope {
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
func (d *decoder) scopeSchema() (*schema.Schema, error) {
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
func (d *decoder) scopeTable() (string, error) {
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

// pushScope opens the scope of a statement nested in the current one.
func (d *decoder) pushScope() *decScope {
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

func (d *decoder) popScope() { d.scopes-- }

// pushHintScope opens the scope of a relation's arguments (a preload's, a
// join's conditions): their columns name the relation's model, and a
// statement among them applies to it.
func (d *decoder) pushHintScope(sch *schema.Schema) *decScope {
	s := d.pushScope()
	s.hint, s.hintOnly = sch, true
	return s
}

// relationHint is the model a statement read now applies to when it names
// none: the relation whose arguments are being read, if any.
func (d *decoder) relationHint() *schema.Schema {
	if s := d.scope(); s != nil && s.hintOnly {
		return s.hint
	}
	return nil
}
