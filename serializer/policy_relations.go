package serializer

import (
	"fmt"
	"reflect"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// joinPath applies the policy to a Joins name: a relation path (bounded,
// of allowed models, only belongs-to and has-one), or raw SQL where the
// policy allows it (nil relations). The columns the join selects count
// against the expansion budget.
func (d *decoder) joinPath(name string) ([]*schema.Relationship, error) {
	// Resolved always: the joined relations' columns count against the
	// expansion budget.
	rels, err := d.relationPath("Joins", name, &d.joinSegs, d.limits.MaxJoins, true)
	if err != nil || rels == nil {
		return nil, err
	}
	n := joinExpansion(rels)
	if sch, _ := d.scopeSchema(); sch != nil {
		// GORM then selects the model's own columns by name too.
		n += len(sch.DBNames) * (2*len(sch.Table) + 8)
		for _, col := range sch.DBNames {
			n += len(col)
		}
	}
	return rels, d.expand(n)
}

// preloadPath applies the policy to a Preload name and, for a preload
// with arguments, returns the model they apply to (nil when name is no
// relation path, which GORM refuses when it runs the query).
// clause.Associations preloads every relation of the model.
func (d *decoder) preloadPath(name string, withArgs bool) (*schema.Schema, error) {
	if name == clause.Associations {
		return nil, d.preloadAssociations()
	}
	rels, err := d.relationPath("Preload", name, &d.preloadSegs, d.limits.MaxPreloads, withArgs)
	if err != nil || rels == nil {
		return nil, err
	}
	return rels[len(rels)-1].FieldSchema, nil
}

// preloadAssociations counts and checks the relations clause.Associations
// preloads.
func (d *decoder) preloadAssociations() error {
	sch, err := d.scopeSchema()
	if sch == nil {
		return err
	}
	d.preloadSegs += len(sch.Relationships.Relations)
	if d.preloadSegs > d.limits.MaxPreloads {
		return refuse(ErrLimit, "Preload", "clause.Associations", fmt.Sprintf("more than %d relation segments in one payload", d.limits.MaxPreloads))
	}
	for _, rel := range sch.Relationships.Relations {
		if err := d.checkModel("Preload", "clause.Associations", rel.FieldSchema); err != nil {
			return err
		}
	}
	return nil
}

// checkPreloadArgs applies the strict policy to a preload's arguments.
// GORM drops the functions among them and passes the rest to Where, so a
// string anywhere would be SQL, a map's keys column names and a struct any
// type's columns: only Preload functions and structured conditions, whose
// columns were checked as they were read, are accepted.
func (d *decoder) checkPreloadArgs(name string, args []any) error {
	if !d.strict {
		return nil
	}
	for _, a := range args {
		switch v := a.(type) {
		case func(*gorm.DB) *gorm.DB, *preloadFuncValue, clause.Expression:
			continue
		case string:
			return refuse(ErrRawSQL, "Preload condition", v, "")
		}
		return refuse(ErrRawSQL, "Preload condition", fmt.Sprintf("%T", a), "only Preload functions and clause expressions are accepted")
	}
	return nil
}

// relationPath applies the policy to a Joins or Preload path ("A.B"):
// its segments count against the payload's budget, and under the strict
// policy, or when resolve is set, it is resolved on the scope's model. It
// returns the relations, or nil for a name that is no relation path (raw
// SQL, refused under the strict policy) or was not resolved. Under the
// strict policy Joins accept only belongs-to and has-one relations: GORM
// runs a joined has-many for Count or Scan, but panics scanning it into
// the model, which a payload from outside must not be able to cause.
func (d *decoder) relationPath(slot, name string, budget *int, max int, resolve bool) ([]*schema.Relationship, error) {
	segs := identSegments(name)
	if segs == 0 {
		if d.strict {
			return nil, refuse(ErrRawSQL, slot, name, "not a relation of the model")
		}
		return nil, nil // raw SQL
	}
	if segs > d.limits.MaxRelationDepth {
		return nil, refuse(ErrLimit, slot, name, fmt.Sprintf("relation path deeper than %d", d.limits.MaxRelationDepth))
	}
	if *budget += segs; *budget > max {
		return nil, refuse(ErrLimit, slot, name, fmt.Sprintf("more than %d relation segments in one payload", max))
	}
	if !resolve && !d.strict {
		return nil, nil
	}
	rels, err := d.resolveRelations(name)
	if err != nil || rels == nil {
		if err == nil && d.strict && d.target != nil {
			err = refuse(ErrRawSQL, slot, name, "not a relation of the model")
		}
		return nil, err
	}
	for _, rel := range rels {
		if slot == "Joins" && d.strict && rel.Type != schema.BelongsTo && rel.Type != schema.HasOne {
			return nil, refuse(ErrNotAllowed, slot, name, fmt.Sprintf("%s is a %s relation; GORM joins only belongs-to and has-one relations", rel.Name, rel.Type))
		}
		if err := d.checkModel(slot, name, rel.FieldSchema); err != nil {
			return nil, err
		}
	}
	return rels, nil
}

// resolveRelations walks a relation path on the scope's model; nil if it
// is none (or there is no model).
func (d *decoder) resolveRelations(name string) ([]*schema.Relationship, error) {
	sch, err := d.scopeSchema()
	if sch == nil {
		return nil, err
	}
	var rels []*schema.Relationship
	for part := range strings.SplitSeq(name, ".") {
		rel, ok := sch.Relationships.Relations[part]
		if !ok {
			return nil, nil
		}
		rels = append(rels, rel)
		sch = rel.FieldSchema
	}
	return rels, nil
}

// joinExpansion is what joining rels adds to the SQL: each relation's
// columns selected under their nested aliases, and the join itself.
func joinExpansion(rels []*schema.Relationship) int {
	n, alias := 0, 0
	for _, rel := range rels {
		alias += len(rel.Name) + 2
		n += 64 + len(rel.FieldSchema.Table) + 2*alias
		for _, col := range rel.FieldSchema.DBNames {
			n += 2*alias + 2*len(col) + 12
		}
	}
	return n
}

// relationByAlias resolves a joined relation's alias as GORM writes it,
// "Company" or "Manager__Company", on the scope's model; nil if it is none.
func (d *decoder) relationByAlias(alias string) (*schema.Relationship, error) {
	sch, err := d.scopeSchema()
	var rel *schema.Relationship
	for part := range strings.SplitSeq(alias, "__") {
		if sch == nil || err != nil {
			return nil, err
		}
		var ok bool
		if rel, ok = sch.Relationships.Relations[part]; !ok {
			return nil, nil
		}
		if err := d.checkModel("column table", alias, rel.FieldSchema); err != nil {
			return nil, err
		}
		sch = rel.FieldSchema
	}
	return rel, nil
}

// checkJoinAlias applies the strict policy to a join's alias: only the
// relation's own name, the alias GORM gives it anyway. Any other alias
// could take the name of an allowed table, and columns qualified by it
// would be checked as that table's while reading the joined one's.
func (d *decoder) checkJoinAlias(alias string, rels []*schema.Relationship) error {
	if !d.strict || rels != nil && alias == rels[len(rels)-1].Name {
		return nil
	}
	return refuse(ErrNotAllowed, "join alias", alias, "only the relation's own name")
}

// checkRelationModel refuses, under the strict policy, a statement that
// applies to a relation (a Preload function's, a join condition's) but
// names another model: GORM would query that model's table and scan its
// rows into the relation's fields.
func (d *decoder) checkRelationModel(id string, t reflect.Type) error {
	s := d.scope()
	if !d.strict || s == nil || s.hint == nil || s.hint.ModelType == t {
		return nil
	}
	return refuse(ErrNotAllowed, "model", id, "a statement applied to relation model "+s.hint.Name+" names another model")
}

// checkSubquerySelect refuses, under the strict policy, a subquery that
// selects every column: compared against a row of allowed columns ((a, b)
// IN (SELECT * ...)) it would test columns the field allow-list keeps out.
// A subquery must select its (checked) columns.
func (d *decoder) checkSubquerySelect(stmt *gorm.Statement) error {
	if !d.strict {
		return nil
	}
	if len(stmt.Selects) > 0 {
		return nil
	}
	if sel, ok := stmt.Clauses["SELECT"].Expression.(clause.Select); ok && len(sel.Columns) > 0 {
		return nil
	}
	return refuse(ErrNotAllowed, "subquery", "SELECT *", "a subquery must select its columns (Select) under the strict policy")
}
