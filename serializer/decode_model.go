package serializer

import (
	"fmt"
	"reflect"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle/internal/wire"
)

func (d *decoder) model(q *decodedQuery) error {
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
	q.sink.nameModel(id)
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
		// Written once, where it is kept (see "Runtime facts" in docs/performance.md).
		ptr = reflect.New(t)
		q.sink.setModel(ptr.Interface())
	}
	if rows {
		return d.modelRows(q, id, t)
	}
	return d.modelFields(q, id, ptr, pairs)
}

// modelRef reads a model ID (interned like any identifier) and looks it up
// in the registry; an ID an earlier release gave the model is replaced by
// its current ID.
func (d *decoder) modelRef() (id string, t reflect.Type, ok bool, err error) {
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
func (d *decoder) fieldCol(name, column string) (*schema.Field, error) {
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
func (d *decoder) allowField(name string) error {
	if d.opts.AllowedFields == nil {
		return nil
	}
	sch, err := d.scopeSchema()
	if sch == nil {
		return err
	}
	return d.allowFieldOf(sch, name)
}
