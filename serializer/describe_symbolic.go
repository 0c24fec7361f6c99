package serializer

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// describeSymbolically fills in desc's symbolic SQL when the payload names
// a model reg lacks (its statement's, or, seen in the rendering error, a
// subquery's). The real SQL cannot be rendered then: Loads resolves each
// model, its table and its columns on the target, and only the
// application has them. q, decoded without a target, keeps field
// references by their Go field names; it is rendered with the model's
// table shown as <ID>.
func describeSymbolically(desc *Description, q *decodedQuery, reg *Registry, db *gorm.DB) {
	_, known := reg.ModelType(q.ModelID)
	if q.ModelID != "" && known || q.ModelID == "" && !strings.HasPrefix(desc.SQLError, ErrUnknownModel.Error()) {
		return
	}
	model := fmt.Sprintf("model %q", q.ModelID)
	if known || q.ModelID == "" {
		model = "a subquery's or relation's model"
	}
	desc.Note = model + " is not registered in the registry given to Describe: " +
		"field references are shown by their Go field names, the model's table as <ID>, " +
		"and subqueries as a bind variable (their SQL is in the query tree); " +
		"Loads renders the model's own table and column names"
	desc.SQL, desc.Vars, desc.Explain, desc.SQLError = "", nil, "", ""
	var err error
	desc.SymbolicSQL, desc.SymbolicVars, err = renderSymbolic(q, db)
	if err != nil {
		desc.SymbolicError = err.Error()
	}
}

// renderSymbolic renders a query decoded without a target on db, without
// running it. A panic GORM raises on the unresolved names comes back as an
// error.
func renderSymbolic(q *decodedQuery, db *gorm.DB) (sqlText string, vars []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("GORM panicked rendering the payload: %v", r)
		}
	}()
	tx := newSession(db.Session(&gorm.Session{DryRun: true}))
	if q.Table == nil && q.ModelID != "" {
		// A dot would split the name into schema and table when quoted.
		tx = tx.Table("<" + strings.ReplaceAll(q.ModelID, ".", ":") + ">")
	}
	tx = q.apply(tx)
	stmt := tx.Find(&[]map[string]any{}).Statement
	if tx.Error != nil {
		return "", nil, tx.Error
	}
	vars = make([]any, len(stmt.Vars))
	for i, v := range stmt.Vars {
		switch v.(type) {
		case *decodedQuery, subqueryValue, *subqueryValue:
			vars[i] = "<subquery: see the query tree>"
		default:
			vars[i] = v
		}
	}
	return stmt.SQL.String(), vars, nil
}
