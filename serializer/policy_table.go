package serializer

import (
	"errors"
	"fmt"
	"reflect"

	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// modelAllowed reports whether the policy lets a payload read model type t
// (a struct type): every registered model when AllowedModels is nil.
func (d *decoder) modelAllowed(t reflect.Type) (string, bool) {
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
func (d *decoder) checkModel(slot, name string, sch *schema.Schema) error {
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
func (d *decoder) allowedTable(name string) (sch *schema.Schema, ok bool, err error) {
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
func (d *decoder) checkTableName(slot, name string) error {
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
func (d *decoder) checkTable(slot string, t clause.Table) error {
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
func (d *decoder) qualifierSchema(table string) (*schema.Schema, error) {
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

// checkStatementModel refuses, under the strict policy, a statement that
// names no model (and is no relation's): nothing would bound what it reads.
func (d *decoder) checkStatementModel() error {
	if !d.strict || d.target == nil {
		return nil
	}
	if s := d.scope(); s.modelValue() == nil && s.hint == nil {
		return refuse(ErrNotAllowed, "model", "", "a statement must name its model (Model(&T{})) under the strict policy")
	}
	return nil
}

// refuseInTableExpr refuses a clause value among a table expression's
// vars, in every mode. GORM renders the current table by building the
// table expression, and clause values render the current table (a
// clause.Table naming it, a FROM or INSERT or UPDATE without a table): the
// expression would build itself forever, a stack overflow no recover
// catches. Plain values, subqueries (which render their own statement)
// and tables and columns by name (tableExprName) remain.
func (d *decoder) refuseInTableExpr(tag int64) error {
	return refuse(ErrNotAllowed, "Table vars", fmt.Sprintf("value tag %d", tag), "a table expression's vars hold plain values, subqueries and named tables and columns only (a clause value could render the table expression inside itself)")
}

// tableExprName reads a clause value among a table expression's vars: a
// clause.Table or clause.Column that names its table (Table("? AS u",
// clause.Table{Name: "users"})), which renders as a quoted name. Any other
// clause value, and a name standing for the current table, is refused
// (see refuseInTableExpr).
func (d *decoder) tableExprName(tag int64, n int) (any, error) {
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
