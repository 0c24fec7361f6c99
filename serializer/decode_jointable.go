package serializer

import (
	"fmt"
	"reflect"
)

// joinTableModel reads the rest of [nil, owner, relation, field, value,
// ...]: the model GORM builds for the join table of the owner model's
// many2many relation, which the target builds again from its own model.
// The join table comes with its relation: under the strict policy both
// of the relation's models must be allowed, and so must the fields its
// keys copy.
func (d *decoder) joinTableModel(q *decodedQuery, pairs int) error {
	if err := d.r.ReadNil(); err != nil {
		return err
	}
	owner, ownerType, ok, err := d.modelRef()
	if err != nil {
		return err
	}
	relation, err := d.sym()
	if err != nil {
		return err
	}
	id := owner + "." + relation + " (join table)"
	q.sink.nameModel(id)
	d.scope().modelID = id // a join table's model is not registered: no ID from its type
	if d.opts.AllowedModels != nil && !d.opts.AllowedModels[owner] && !(ok && d.opts.AllowedModels[legacyTypeID(ownerType)]) {
		return fmt.Errorf("%w: model %q is not in the allow-list", ErrNotAllowed, owner)
	}
	if !ok {
		if d.target != nil {
			return fmt.Errorf("%w: payload names model %q, which is not registered on this DB (gormpickle.WithModels)", ErrUnknownModel, owner)
		}
		return d.modelFields(q, id, reflect.Value{}, pairs)
	}
	if d.target == nil {
		return d.modelFields(q, id, reflect.Value{}, pairs)
	}
	joinType, err := d.joinTableType(owner, ownerType, relation, id)
	if err != nil {
		return err
	}
	ptr := reflect.New(joinType)
	q.sink.setModel(ptr.Interface())
	return d.modelFields(q, id, ptr, pairs)
}

// joinTableType returns the model of the join table of relation of the
// owner model on the target, after the policy's checks.
func (d *decoder) joinTableType(owner string, ownerType reflect.Type, relation, id string) (reflect.Type, error) {
	sch, err := parseSchema(d.target, reflect.New(ownerType).Interface())
	if err != nil {
		return nil, fmt.Errorf("gormpickle: parse model %q on the target: %w", owner, err)
	}
	rel := d.relationOf(sch, relation)
	if rel == nil || rel.JoinTable == nil {
		return nil, fmt.Errorf("%w: model %q has no many2many relation %q on the target", ErrUnknownField, owner, relation)
	}
	if err := d.checkModel("model", id, rel.FieldSchema); err != nil {
		return nil, err
	}
	for _, ref := range rel.References {
		if ref.PrimaryKey != nil {
			if err := d.allowFieldOf(ref.PrimaryKey.Schema, ref.PrimaryKey.Name); err != nil {
				return nil, err
			}
		}
	}
	t := rel.JoinTable.ModelType
	return t, d.checkRelationModel(id, t)
}
