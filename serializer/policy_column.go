package serializer

import (
	"errors"
	"fmt"
	"regexp"

	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// checkColumn applies the strict policy to a column GORM will quote: its
// table, name and alias plain identifiers, its name a column of the model
// its table names, and that column an allowed field.
func (d *decoder) checkColumn(c clause.Column) error {
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
func (d *decoder) allowFieldOf(sch *schema.Schema, name string) error {
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

// plainColumnRef matches raw column text that can only name a column, as
// Order("name desc") or Order("users.id") write it: accepted under the
// strict policy when the column it names passes checkColumn.
var plainColumnRef = regexp.MustCompile(`^(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)(?: (?i:asc|desc))?$`)

// checkRawColumn applies the strict policy to a raw column, whose table,
// name and alias GORM writes as they are.
func (d *decoder) checkRawColumn(c clause.Column) error {
	if !d.strict {
		return nil
	}
	m := plainColumnRef.FindStringSubmatch(c.Name)
	if m == nil || c.Table != "" || c.Alias != "" {
		return d.rawRefused("raw column", c.Table+"|"+c.Name+"|"+c.Alias)
	}
	return d.checkColumn(clause.Column{Table: m[1], Name: m[2]})
}
