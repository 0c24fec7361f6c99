package serializer

import (
	"database/sql"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// The codec reads GORM's Statement, its unexported join type and the
// clause structs field by field, and the restore builds GORM's DB and
// Statement itself (newFrame). A field a GORM release adds to any of them
// would be left behind silently, against the README's promise that nothing
// is dropped. These tests pin the field sets the code was written against
// (gorm.io/gorm v1.31.2): an upgrade that adds, removes or retypes a field
// fails here, naming the field and the code that must learn about it. See
// docs/gorm-upgrades.md.

// pinned is one struct type whose fields the code lists by hand.
type pinned struct {
	typ    reflect.Type
	fields []string // "Name Type" as reflect prints it, in any order
	// owner is the code that lists the fields: where a changed field must
	// be taught.
	owner string
}

// clauseOwner is what must learn about a field added to a clause struct:
// the encoder writes each field by name, the decoder builds the struct
// field by field, the load policy checks what reaches SQL, and the wire
// form is documented.
const clauseOwner = "serializer/encode_value.go (Encoder.value), serializer/decode_clauseexpr.go (Decoder.clauseExpr / clauseValue), " +
	"serializer/policy*.go (the strict policy's checks) and docs/format.md"

// clausePins are the clause structs Encoder.value writes field by field
// (its type switch), with the fields it writes.
var clausePins = []pinned{
	{reflect.TypeFor[clause.Clause](), []string{"Name string", "BeforeExpression clause.Expression", "AfterNameExpression clause.Expression",
		"AfterExpression clause.Expression", "Expression clause.Expression", "Builder clause.ClauseBuilder"},
		clauseOwner + "; serializer/encode_clause.go (Encoder.clauses) for Statement.Clauses entries"},
	{reflect.TypeFor[clause.Column](), []string{"Table string", "Name string", "Alias string", "Raw bool"},
		"serializer/encode_column.go (Encoder.column), serializer/decode_column.go (Decoder.column), serializer/policy_column.go (checkColumn), docs/format.md"},
	{reflect.TypeFor[clause.Table](), []string{"Name string", "Alias string", "Raw bool"},
		"serializer/encode_column.go (Encoder.tableRef), serializer/decode_column.go (Decoder.tableRef), serializer/policy_table.go (checkTable), docs/format.md"},
	{reflect.TypeFor[clause.Expr](), []string{"SQL string", "Vars []interface {}", "WithoutParentheses bool"}, clauseOwner},
	{reflect.TypeFor[clause.NamedExpr](), []string{"SQL string", "Vars []interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Eq](), []string{"Column interface {}", "Value interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Neq](), []string{"Column interface {}", "Value interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Gt](), []string{"Column interface {}", "Value interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Gte](), []string{"Column interface {}", "Value interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Lt](), []string{"Column interface {}", "Value interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Lte](), []string{"Column interface {}", "Value interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Like](), []string{"Column interface {}", "Value interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.IN](), []string{"Column interface {}", "Values []interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Where](), []string{"Exprs []clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.AndConditions](), []string{"Exprs []clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.OrConditions](), []string{"Exprs []clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.NotConditions](), []string{"Exprs []clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.CommaExpression](), []string{"Exprs []clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.Select](), []string{"Distinct bool", "Columns []clause.Column", "Expression clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.From](), []string{"Tables []clause.Table", "Joins []clause.Join"}, clauseOwner},
	{reflect.TypeFor[clause.Join](), []string{"Type clause.JoinType", "Table clause.Table", "ON clause.Where", "Using []string",
		"Expression clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.GroupBy](), []string{"Columns []clause.Column", "Having []clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.OrderBy](), []string{"Columns []clause.OrderByColumn", "Expression clause.Expression"}, clauseOwner},
	{reflect.TypeFor[clause.OrderByColumn](), []string{"Column clause.Column", "Desc bool", "Reorder bool"},
		clauseOwner + "; serializer/encode_column.go (Encoder.orderByColumn)"},
	{reflect.TypeFor[clause.Limit](), []string{"Limit *int", "Offset int"}, clauseOwner},
	{reflect.TypeFor[clause.Locking](), []string{"Strength string", "Table clause.Table", "Options string"}, clauseOwner},
	{reflect.TypeFor[clause.Returning](), []string{"Columns []clause.Column"}, clauseOwner},
	{reflect.TypeFor[clause.OnConflict](), []string{"Columns []clause.Column", "Where clause.Where", "TargetWhere clause.Where",
		"OnConstraint string", "DoNothing bool", "DoUpdates clause.Set", "UpdateAll bool"}, clauseOwner},
	{reflect.TypeFor[clause.Assignment](), []string{"Column clause.Column", "Value interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Insert](), []string{"Table clause.Table", "Modifier string"}, clauseOwner},
	{reflect.TypeFor[clause.Values](), []string{"Columns []clause.Column", "Values [][]interface {}"}, clauseOwner},
	{reflect.TypeFor[clause.Update](), []string{"Modifier string", "Table clause.Table"}, clauseOwner},
	{reflect.TypeFor[clause.Delete](), []string{"Modifier string"}, clauseOwner},
	// Not GORM's, but listed by hand the same way (Encoder.value, tNamedArg).
	{reflect.TypeFor[sql.NamedArg](), []string{"_NamedFieldsRequired struct {}", "Name string", "Value interface {}"}, clauseOwner},
}

// statementFields are gorm.Statement's fields and what the code does with
// each: a new field must be given a role here, after the code it names
// has learnt about it.
var statementFields = map[string]string{
	// Chain state: written by Encoder.statement (serializer/encode.go),
	// restored by Decoder.statementEntries (serializer/decode_statement.go) and
	// Query.apply (serializer/query.go).
	"TableExpr *clause.Expr":             "encoded (Table)",
	"Table string":                       "encoded (Table)",
	"Model interface {}":                 "encoded (model, its value or rows)",
	"Unscoped bool":                      "encoded (flags); newFrame copies it under PropagateUnscoped",
	"Clauses map[string]clause.Clause":   "encoded (clauses); newFrame starts it empty, as getInstance does",
	"Distinct bool":                      "encoded (flags)",
	"Selects []string":                   "encoded",
	"Omits []string":                     "encoded",
	"ColumnMapping map[string]string":    "encoded",
	"Joins []gorm.join":                  "encoded through reflection (Encoder.joins, setJoins, joinsOf)",
	"Preloads map[string][]interface {}": "encoded",
	"Settings sync.Map":                  "encoded (portable keys, settingsOf)",
	"RaiseErrorOnNotFound bool":          "encoded (flags)",
	"SQL strings.Builder":                "encoded (Raw)",
	"Vars []interface {}":                "encoded (Raw)",
	"attrs []interface {}":               "refused by name in Dumps (checkAttrsAssigns, dumps.go)",
	"assigns []interface {}":             "refused by name in Dumps (checkAttrsAssigns, dumps.go)",
	"scopes []func(*gorm.DB) *gorm.DB":   "run by the capture (internal/capture.Capture), whose result is encoded",
	"DB *gorm.DB":                        "set by newFrame to the frame's DB",
	"ConnPool gorm.ConnPool":             "taken from the target by newFrame",
	"Context context.Context":            "taken from the target by newFrame",
	"SkipHooks bool":                     "taken from the target by newFrame",
	"Dest interface {}":                  "finisher state: set by the finisher that runs the restored chain",
	"ReflectValue reflect.Value":         "finisher state",
	"BuildClauses []string":              "finisher state",
	"Schema *schema.Schema":              "finisher state: parsed again on the target",
	"CurDestIndex int":                   "finisher state",
	"Result *gorm.result":                "finisher state (gorm.WithResult)",
}

// dbFields are gorm.DB's fields, which newFrame sets one by one and
// frame.handOff copies (through branchSafe) to carry clone.
var dbFields = []string{"Config *gorm.Config", "Error error", "RowsAffected int64", "Statement *gorm.Statement", "clone int"}

// joinFields are the fields of GORM's unexported join type, which
// Encoder.joins reads and setJoins / joinsOf write and read by name.
var joinFields = []string{"Name string", "Alias string", "Conds []interface {}", "On *clause.Where", "Selects []string",
	"Omits []string", "Expression clause.Expression", "JoinType clause.JoinType"}

const joinOwner = "serializer/encode_join.go (Encoder.joins), serializer/query.go (setJoins, joinsOf, Join, plainJoin), " +
	"serializer/decode_join.go (Decoder.joinEntry) and docs/format.md"

// fieldDrift compares t's fields with want ("Name Type") and describes
// each difference.
func fieldDrift(t reflect.Type, want []string) []string {
	wantType := map[string]string{}
	for _, f := range want {
		name, typ, _ := strings.Cut(f, " ")
		wantType[name] = typ
	}
	var out []string
	seen := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		seen[f.Name] = true
		typ, ok := wantType[f.Name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("new field %s %s", f.Name, f.Type))
		case typ != f.Type.String():
			out = append(out, fmt.Sprintf("field %s changed type from %s to %s", f.Name, typ, f.Type))
		}
	}
	for _, f := range want {
		if name, typ, _ := strings.Cut(f, " "); !seen[name] {
			out = append(out, fmt.Sprintf("field %s %s was removed", name, typ))
		}
	}
	return out
}

// gormVersion is the GORM release the test binary was built with: from
// the build info when it lists it, else from the module cache path of
// GORM's source (test binaries often carry no dependency list).
func gormVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "gorm.io/gorm" {
				return "gorm.io/gorm " + m.Version
			}
		}
	}
	file, _ := runtime.FuncForPC(reflect.ValueOf(gorm.Open).Pointer()).FileLine(reflect.ValueOf(gorm.Open).Pointer())
	if _, rest, ok := strings.Cut(file, "gorm.io/gorm@"); ok {
		version, _, _ := strings.Cut(rest, "/")
		return "gorm.io/gorm " + version
	}
	return "gorm.io/gorm from " + file
}

func reportDrift(t *testing.T, typ reflect.Type, want []string, owner string) {
	t.Helper()
	for _, d := range fieldDrift(typ, want) {
		t.Errorf("%s: %s (%s; pinned against v1.31.2): teach %s about it, then update the pinned set in serializer/gorm_drift_test.go",
			typ, d, gormVersion(), owner)
	}
}

// TestGORMClauseFieldsPinned fails when a clause struct the codec writes
// field by field gains, loses or retypes a field.
func TestGORMClauseFieldsPinned(t *testing.T) {
	for _, p := range clausePins {
		reportDrift(t, p.typ, p.fields, p.owner)
	}
	// clause.Set is a slice: Encoder.assignments writes its elements as
	// clause.Assignment.
	if got := reflect.TypeFor[clause.Set]().String() + " of " + reflect.TypeFor[clause.Set]().Elem().String(); got != "clause.Set of clause.Assignment" {
		t.Errorf("clause.Set is now %s (%s): teach %s about it", got, gormVersion(), clauseOwner)
	}
}

// TestGORMStatementFieldsPinned fails when gorm.Statement gains, loses or
// retypes a field: each must be chain state the payload carries, state
// newFrame takes from the target, or state a finisher sets.
func TestGORMStatementFieldsPinned(t *testing.T) {
	want := make([]string, 0, len(statementFields))
	for f := range statementFields {
		want = append(want, f)
	}
	sort.Strings(want)
	reportDrift(t, reflect.TypeFor[gorm.Statement](), want,
		"serializer/encode.go (Encoder.statement) and serializer/decode_statement.go (Decoder.statementEntries) if it is chain state, "+
			"serializer/query.go (newFrame) if GORM's getInstance sets it on a new statement")
	if ft, ok := reflect.TypeFor[gorm.Statement]().FieldByName("DB"); !ok || !ft.Anonymous {
		t.Errorf("gorm.Statement no longer embeds *gorm.DB (%s): newFrame and every stmt.DB use must be revisited", gormVersion())
	}
}

// TestGORMDBFieldsPinned fails when gorm.DB changes: newFrame builds one
// field by field, and handOff relies on a struct copy carrying clone.
func TestGORMDBFieldsPinned(t *testing.T) {
	reportDrift(t, reflect.TypeFor[gorm.DB](), dbFields, "serializer/query.go (newFrame, frame.handOff, branchSafe)")
}

// TestGORMJoinFieldsPinned fails when GORM's unexported join type changes.
// It is reached through Statement.Joins, the only way to name it.
func TestGORMJoinFieldsPinned(t *testing.T) {
	f, ok := reflect.TypeFor[gorm.Statement]().FieldByName("Joins")
	if !ok || f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Struct {
		t.Fatalf("gorm.Statement.Joins is no longer a slice of structs (%s): rewrite %s", gormVersion(), joinOwner)
	}
	reportDrift(t, f.Type.Elem(), joinFields, joinOwner)
	// Join mirrors it field for field, with the same types: setJoins and
	// joinsOf copy each by name.
	reportDrift(t, reflect.TypeFor[joinSpec](), joinFields, "serializer/query.go (Join mirrors GORM's join)")
}

// TestFieldDriftNamesChanges checks the checker: a struct that gained,
// lost and retyped fields is reported field by field.
func TestFieldDriftNamesChanges(t *testing.T) {
	type changed struct {
		Kept    string
		Retyped int64
		Added   []string
	}
	got := fieldDrift(reflect.TypeFor[changed](), []string{"Kept string", "Retyped int", "Removed bool"})
	want := []string{
		"field Retyped changed type from int to int64",
		"new field Added []string",
		"field Removed bool was removed",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fieldDrift = %q, want %q", got, want)
	}
	if got := fieldDrift(reflect.TypeFor[changed](), []string{"Kept string", "Retyped int64", "Added []string"}); len(got) != 0 {
		t.Errorf("fieldDrift on an unchanged struct = %q, want nothing", got)
	}
}

// TestGORMInstanceSetKeysNotEncoded: settingsOf tells InstanceSet keys,
// which belong to one statement, by the "0x" prefix GORM gives them (the
// statement's address); a GORM that keys them otherwise would make them
// travel.
func TestGORMInstanceSetKeysNotEncoded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		tx := db.Model(&fixture.User{}).InstanceSet("instance", 1).Set("portable", 2)
		var keys []string
		for _, s := range settingsOf(tx.Statement) {
			keys = append(keys, s.key)
		}
		if !reflect.DeepEqual(keys, []string{"portable"}) {
			var all []string
			tx.Statement.Settings.Range(func(k, _ any) bool { all = append(all, fmt.Sprint(k)); return true })
			t.Errorf("settingsOf keeps %q of the statement's settings %q (%s): InstanceSet keys are no longer prefixed with the "+
				"statement's address; update serializer/encode.go (settingsOf)", keys, all, gormVersion())
		}
	})
}
