package main

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/serializer"
)

// symbolicDescription is inspect's output for a payload whose models the
// command does not know: the description, a note saying so, and the SQL
// rendered with the payload's symbolic names.
type symbolicDescription struct {
	*serializer.Description
	Note          string `json:"note"`
	SymbolicSQL   string `json:"symbolic_sql,omitempty"`
	SymbolicVars  []any  `json:"symbolic_vars,omitempty"`
	SymbolicError string `json:"symbolic_sql_error,omitempty"`
}

// describeSymbolic returns desc as it is when the payload's models are
// known (its SQL was rendered). Otherwise the real SQL cannot be rendered:
// Loads resolves each model, its table and its columns on the target DB,
// and only the application has them. The payload is then decoded without
// a target, which keeps field references by their Go field names, and
// rendered with the model's table shown as <ID>.
func describeSymbolic(desc *serializer.Description, data []byte, reg *serializer.Registry, db *gorm.DB) any {
	q, err := serializer.NewDecoder(reg, serializer.Options{}, nil).Decode(data)
	if err != nil || !unknownModel(desc, q, reg) {
		return desc
	}
	model := q.ModelID
	if _, ok := reg.ModelType(model); ok || model == "" {
		model = "a subquery's or relation's model"
	} else {
		model = fmt.Sprintf("model %q", model)
	}
	out := &symbolicDescription{Description: desc, Note: fmt.Sprintf(
		"%s is not registered in gormpickle inspect, which knows only the demo's models: "+
			"field references are shown by their Go field names, the model's table as <ID>, "+
			"and subqueries as a bind variable (their SQL is in the query tree); "+
			"Loads renders the model's own table and column names", model)}
	desc.SQL, desc.Vars, desc.Explain, desc.SQLError = "", nil, "", ""
	out.SymbolicSQL, out.SymbolicVars, err = renderSymbolic(q, db)
	if err != nil {
		out.SymbolicError = err.Error()
	}
	return out
}

// unknownModel reports whether the payload names a model reg lacks: its
// statement's, or (seen in the rendering error) one of its subqueries'.
func unknownModel(desc *serializer.Description, q *serializer.Query, reg *serializer.Registry) bool {
	if _, ok := reg.ModelType(q.ModelID); q.ModelID != "" && !ok {
		return true
	}
	return strings.HasPrefix(desc.SQLError, serializer.ErrUnknownModel.Error())
}

// renderSymbolic renders a Query decoded without a target on db, without
// running it. A panic GORM raises on the unresolved names comes back as an
// error.
func renderSymbolic(q *serializer.Query, db *gorm.DB) (sqlText string, vars []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("GORM panicked rendering the payload: %v", r)
		}
	}()
	tx := serializer.NewSession(db.Session(&gorm.Session{DryRun: true}))
	if q.Table == nil && q.ModelID != "" {
		// A dot would split the name into schema and table when quoted.
		tx = tx.Table("<" + strings.ReplaceAll(q.ModelID, ".", ":") + ">")
	}
	tx = q.Apply(tx)
	stmt := tx.Find(&[]map[string]any{}).Statement
	if tx.Error != nil {
		return "", nil, tx.Error
	}
	vars = make([]any, len(stmt.Vars))
	for i, v := range stmt.Vars {
		switch v.(type) {
		case *serializer.Query, serializer.Subquery, *serializer.Subquery:
			vars[i] = "<subquery: see the query tree>"
		default:
			vars[i] = v
		}
	}
	return stmt.SQL.String(), vars, nil
}
