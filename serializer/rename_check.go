package serializer

import (
	"fmt"
	"reflect"

	"gorm.io/gorm"
)

// checkRenamedFields checks a field rename mapping (see
// [Options.RenamedFields]) against the models registered in reg, as db
// parses them, so a mistake fails at setup rather than on some later
// load: every model ID must be a registered model's (ErrUnknownModel);
// every new name a field of it, a column or a relation, and no old name
// one (a payload naming a field the model has means that field, so the
// mapping would never apply to it); both ErrUnknownField.
func checkRenamedFields(reg *Registry, db *gorm.DB, renames map[string]map[string]string) error {
	for _, id := range sortedKeys(renames) {
		t, ok := reg.ModelType(id)
		if !ok {
			return fmt.Errorf("%w: renamed fields of model %q: no model is registered under that ID", ErrUnknownModel, id)
		}
		sch, err := parseSchema(db, reflect.New(t).Interface())
		if err != nil {
			return fmt.Errorf("gormpickle: renamed fields of model %q: parse model: %w", id, err)
		}
		m := renames[id]
		for _, old := range sortedKeys(m) {
			to := m[old]
			if old == "" || sch.FieldsByName[old] != nil {
				return fmt.Errorf("%w: renamed fields of model %q: old name %q is a field of the model (%s); a payload naming it means that field",
					ErrUnknownField, id, old, sch.Name)
			}
			f := sch.FieldsByName[to]
			if f == nil || f.DBName == "" && sch.Relationships.Relations[to] == nil {
				return fmt.Errorf("%w: renamed fields of model %q: %q is renamed to %q, which is neither a column field nor a relation of the model (%s)",
					ErrUnknownField, id, old, to, sch.Name)
			}
		}
	}
	return nil
}
