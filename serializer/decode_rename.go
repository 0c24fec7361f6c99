package serializer

import (
	"fmt"
	"reflect"
	"strings"

	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// Stored payloads outlive the Go names they were written with: a field
// renamed since keeps its column (Status became State, both column
// status), and a payload naming the old field should still load. When a
// payload's Go field name is missing from the target model, the decoder
// resolves it, before any allow-list sees it:
//
//  1. by Options.RenamedFields, the application's explicit mapping;
//  2. by the column the old field had: the one the payload recorded next
//     to the name (only fields whose column the naming strategy does not
//     derive from their name record one), or else the one the target's
//     naming strategy derives from the old name. Exactly one field of the
//     target must have that column.
//
// Anything else is ErrUnknownField. A name the target has is used as it
// is, so the common path costs nothing more.

// maxRenamedName bounds the Go field names derived into a column: a
// longer one names no field, and deriving costs its length.
const maxRenamedName = 256

// renameCache is what resolving missing names found in one payload, so a
// payload repeating a renamed field resolves it once and indexes each
// model's columns once.
type renameCache struct {
	columns  map[*schema.Schema]map[string]*schema.Field
	resolved map[renameKey]*schema.Field
}

// renameKey is a missing name (with the column the payload recorded for
// it, if any) of a model.
type renameKey struct {
	sch          *schema.Schema
	name, column string
}

// ambiguousColumn stands, in a column index, for a column that several
// fields of the model have.
var ambiguousColumn = new(schema.Field)

// cache returns the decoder's rename cache, made on first use.
func (d *decoder) cache() *renameCache {
	if d.renames == nil {
		d.renames = &renameCache{
			columns:  map[*schema.Schema]map[string]*schema.Field{},
			resolved: map[renameKey]*schema.Field{},
		}
	}
	return d.renames
}

// fieldRef reads the name slot of a field reference: an identifier, or
// [name, column] for a field whose column its name does not derive.
func (d *decoder) fieldRef() (name, column string, err error) {
	if d.r.Peek() != wire.Array {
		name, err = d.sym()
		return name, "", err
	}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return "", "", err
	}
	if n != 2 {
		return "", "", d.corrupt("field reference of %d elements", n)
	}
	if name, err = d.sym(); err != nil {
		return "", "", err
	}
	column, err = d.sym()
	return name, column, err
}

// renamedField resolves name, which model sch lacks, by the mapping or by
// its column (see the top of this file); column is the one the payload
// recorded, or "".
func (d *decoder) renamedField(sch *schema.Schema, name, column string) (*schema.Field, error) {
	c := d.cache()
	key := renameKey{sch: sch, name: name, column: column}
	if f := c.resolved[key]; f != nil {
		return f, nil
	}
	f, err := d.resolveRenamed(sch, name, column)
	if err != nil {
		return nil, err
	}
	c.resolved[key] = f
	return f, nil
}

func (d *decoder) resolveRenamed(sch *schema.Schema, name, column string) (*schema.Field, error) {
	id := d.modelIDOf(sch)
	if to, ok := d.renamedTo(sch.ModelType, name); ok {
		if f := sch.FieldsByName[to]; f != nil && f.DBName != "" {
			return f, nil
		}
		return nil, fmt.Errorf("%w: model %q (%s) has no column field %q on the target, and %q, which the rename mapping gives for it, is none either",
			ErrUnknownField, id, sch.Name, name, to)
	}
	if column == "" {
		if len(name) > maxRenamedName || d.target == nil || d.target.NamingStrategy == nil {
			return nil, unresolved(id, sch, name, "its column cannot be derived")
		}
		column = d.target.NamingStrategy.ColumnName(sch.Table, name)
	}
	switch f := d.cache().columnIndex(sch)[column]; f {
	case nil:
		return nil, unresolved(id, sch, name, fmt.Sprintf("no field has its column %q", column))
	case ambiguousColumn:
		return nil, unresolved(id, sch, name, fmt.Sprintf("several fields have its column %q", column))
	default:
		return f, nil
	}
}

// unresolved is the error for a missing field name that could not be
// resolved.
func unresolved(id string, sch *schema.Schema, name, why string) error {
	return fmt.Errorf("%w: model %q (%s) has no column field %q on the target, and it could not be resolved by its column (%s); "+
		"map the old name to the new one with gormpickle.WithRenamedFields", ErrUnknownField, id, sch.Name, name, why)
}

// columnIndex maps each column of sch to its field, or to ambiguousColumn
// when several fields have it (GORM keeps one of them in FieldsByDBName).
func (c *renameCache) columnIndex(sch *schema.Schema) map[string]*schema.Field {
	if idx, ok := c.columns[sch]; ok {
		return idx
	}
	idx := make(map[string]*schema.Field, len(sch.DBNames))
	for _, f := range sch.Fields {
		if f.DBName == "" {
			continue
		}
		if idx[f.DBName] != nil {
			idx[f.DBName] = ambiguousColumn
			continue
		}
		idx[f.DBName] = f
	}
	c.columns[sch] = idx
	return idx
}

// modelIDOf is the registry ID of sch's model, "" if it has none.
func (d *decoder) modelIDOf(sch *schema.Schema) string {
	id, _ := d.reg.ModelID(sch.ModelType)
	return id
}

// renamedTo returns the new name the mapping gives field name of model t,
// which it may list under its ID or the ID an earlier release gave it.
func (d *decoder) renamedTo(t reflect.Type, name string) (string, bool) {
	if d.opts.RenamedFields == nil {
		return "", false
	}
	id, _ := d.reg.ModelID(t)
	m, ok := d.opts.RenamedFields[id]
	if !ok {
		m = d.opts.RenamedFields[legacyTypeID(t)]
	}
	to, ok := m[name]
	return to, ok
}

// relationOf returns relation name of sch, or the relation the mapping
// renamed it to; nil if there is neither.
func (d *decoder) relationOf(sch *schema.Schema, name string) *schema.Relationship {
	if rel := sch.Relationships.Relations[name]; rel != nil {
		return rel
	}
	if to, ok := d.renamedTo(sch.ModelType, name); ok {
		return sch.Relationships.Relations[to]
	}
	return nil
}

// renamedPath returns a Joins or Preload relation path with each segment
// the mapping renamed replaced by its new name. It returns name itself
// when nothing is renamed: always without a mapping (most plugins), and
// for raw SQL. Only the mapping renames relations: they have no column.
func (d *decoder) renamedPath(name string) (string, error) {
	if d.opts.RenamedFields == nil || d.target == nil || strings.Count(name, ".") >= d.limits.MaxRelationDepth {
		return name, nil // too deep a path is refused by relationPath
	}
	sch, err := d.scopeSchema()
	if sch == nil {
		return name, err
	}
	var b strings.Builder
	renamed := false
	for i, part := range strings.Split(name, ".") {
		if i > 0 {
			b.WriteByte('.')
		}
		var rel *schema.Relationship
		if sch != nil {
			rel = sch.Relationships.Relations[part]
			if rel == nil {
				if to, ok := d.renamedTo(sch.ModelType, part); ok && sch.Relationships.Relations[to] != nil {
					part, rel, renamed = to, sch.Relationships.Relations[to], true
				}
			}
		}
		b.WriteString(part)
		sch = nil
		if rel != nil {
			sch = rel.FieldSchema
		}
	}
	if !renamed {
		return name, nil
	}
	return b.String(), nil
}
