package serializer

import (
	"database/sql"
	"encoding/base64"
	"fmt"
	"reflect"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Description is a human-readable view of a query payload, for debugging
// and the `gormpickle inspect` command.
type Description struct {
	Version int  `json:"version"`
	Signed  bool `json:"signed"`
	Bytes   int  `json:"bytes"`
	// Query is the decoded statement as a JSON-ready tree: every tagged
	// value is an object whose "$type" names its Go type.
	Query any `json:"query"`
	// SQL is the statement rendered by the target's dialect, with its
	// bind variables in Vars and inlined (for display only) in Explain.
	SQL      string `json:"sql,omitempty"`
	Vars     []any  `json:"vars,omitempty"`
	Explain  string `json:"explain,omitempty"`
	SQLError string `json:"sql_error,omitempty"`

	// Note, set when the payload names a model the registry lacks, says
	// so and how the symbolic SQL below differs from what Loads renders.
	Note string `json:"note,omitempty"`
	// SymbolicSQL is the statement rendered without the unknown models:
	// their tables as <ID>, field references by Go field name. SQL is then
	// empty.
	SymbolicSQL   string `json:"symbolic_sql,omitempty"`
	SymbolicVars  []any  `json:"symbolic_vars,omitempty"`
	SymbolicError string `json:"symbolic_sql_error,omitempty"`
}

// Describe decodes a query payload for display. The tree needs no
// registered model. When db is non-nil the payload is also restored on db
// (models resolved in reg) and rendered to SQL with DryRun; a failure there
// is reported in SQLError rather than failing the whole description. When
// a model is not in reg, the SQL is rendered symbolically instead (see
// Description.Note). The signature of a signed payload is not checked.
func Describe(data []byte, reg *Registry, db *gorm.DB) (*Description, error) {
	info, err := Inspect(data)
	if err != nil {
		return nil, err
	}
	q, err := newDecoder(reg, Options{}, nil).decode(data)
	if err != nil {
		return nil, err
	}
	desc := &Description{Version: info.Version, Signed: info.Signed, Bytes: len(data), Query: describeValue(reflect.ValueOf(q))}
	if db != nil {
		desc.SQL, desc.Vars, desc.Explain, err = renderSQL(data, reg, db)
		if err != nil {
			desc.SQLError = err.Error()
		}
		describeSymbolically(desc, q, reg, db)
	}
	return desc, nil
}

// renderSQL restores a payload on db and renders it without running it.
// Describe applies no policy and serves tools that read any payload (the
// CLI), so a panic GORM raises while rendering comes back as an error.
func renderSQL(data []byte, reg *Registry, db *gorm.DB) (sqlText string, vars []any, explain string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: GORM panicked rendering the payload: %v", ErrCorrupt, r)
		}
	}()
	q, err := newDecoder(reg, Options{}, db).decode(data)
	if err != nil {
		return "", nil, "", err
	}
	tx := q.apply(newSession(db.Session(&gorm.Session{DryRun: true})))
	var dest any = &[]map[string]any{}
	if q.Model != nil {
		st, _ := modelStruct(reflect.TypeOf(q.Model))
		dest = reflect.New(reflect.SliceOf(st)).Interface()
	}
	stmt := tx.Find(dest).Statement
	if tx.Error != nil {
		return "", nil, "", tx.Error
	}
	sqlText = stmt.SQL.String()
	return sqlText, stmt.Vars, db.Dialector.Explain(sqlText, stmt.Vars...), nil
}

// describeValue turns decoded values into a JSON-ready tree.
func describeValue(rv reflect.Value) any {
	if !rv.IsValid() {
		return nil
	}
	switch v := rv.Interface().(type) {
	case time.Time:
		return map[string]any{"$type": "time.Time", "value": v.Format(time.RFC3339Nano), "location": v.Location().String()}
	case []byte:
		if v == nil {
			return nil
		}
		return map[string]any{"$type": "[]byte", "base64": base64.StdEncoding.EncodeToString(v)}
	case sql.NamedArg:
		return map[string]any{"$type": "sql.NamedArg", "Name": v.Name, "Value": describeValue(reflect.ValueOf(v.Value))}
	case clause.Column:
		return describeColumn(v)
	}
	switch rv.Kind() {
	case reflect.Interface, reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		if rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.Struct && rv.Type().Elem().PkgPath() != "github.com/gormpickle/gormpickle/serializer" {
			// A model value: show its type only.
			return map[string]any{"$type": rv.Type().String()}
		}
		return describeValue(rv.Elem())
	case reflect.Bool, reflect.String, reflect.Float64:
		if rv.Type().PkgPath() == "" {
			return rv.Interface()
		}
	case reflect.Int:
		if rv.Type().PkgPath() == "" {
			return rv.Interface()
		}
	case reflect.Func:
		return map[string]any{"$type": rv.Type().String()}
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = describeValue(rv.Index(i))
		}
		if rv.Type() == reflect.TypeOf([]any(nil)) || rv.Type().PkgPath() == "" && rv.Type().Elem().Kind() == reflect.Struct {
			return out
		}
		return map[string]any{"$type": rv.Type().String(), "items": out}
	case reflect.Map:
		keys := rv.MapKeys()
		entries := make([]any, 0, len(keys))
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			entries = append(entries, []any{describeValue(k), describeValue(rv.MapIndex(k))})
		}
		return map[string]any{"$type": rv.Type().String(), "entries": entries}
	case reflect.Struct:
		return describeStruct(rv)
	}
	return map[string]any{"$type": rv.Type().String(), "value": rv.Interface()}
}

// ownTypeLabels name the package's own types that describe output labels:
// two of them hold just a query, and would read alike.
var ownTypeLabels = map[reflect.Type]string{
	reflect.TypeOf(preloadFuncValue{}):  "PreloadFunc",
	reflect.TypeOf(preloadQueryValue{}): "PreloadQuery",
}

// describeStruct lists a struct's non-zero exported fields.
func describeStruct(rv reflect.Value) any {
	t := rv.Type()
	out := map[string]any{}
	if label, ok := ownTypeLabels[t]; ok {
		out["$type"] = label
	} else if t.PkgPath() != "github.com/gormpickle/gormpickle/serializer" {
		out["$type"] = t.String()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || rv.Field(i).IsZero() {
			continue
		}
		out[f.Name] = describeValue(rv.Field(i))
	}
	return out
}

func describeColumn(c clause.Column) any {
	out := map[string]any{"$type": "clause.Column", "Name": placeholderName(c.Name)}
	if c.Table != "" {
		out["Table"] = placeholderName(c.Table)
	}
	if c.Alias != "" {
		out["Alias"] = c.Alias
	}
	if c.Raw {
		out["Raw"] = true
	}
	return out
}

// placeholderName spells GORM's placeholder identifiers readably.
func placeholderName(s string) string {
	switch s {
	case clause.CurrentTable:
		return "<current table>"
	case clause.PrimaryKey:
		return "<primary key>"
	case clause.Associations:
		return "<associations>"
	}
	return s
}
