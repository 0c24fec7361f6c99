package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/modelcodec"
)

func TestDemoOnSQLite(t *testing.T) {
	dbtest.Require(t, dbtest.SQLite) // counted in the backends line; the demo opens its own file
	payload := filepath.Join(t.TempDir(), "demo.gpq")
	var out bytes.Buffer
	if err := run([]string{"demo", "--out", payload}, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"1. Database: embedded SQLite",
		"3. Dumped to ",
		"4. Loaded on a second connection and run:",
		"8   ed    ed@bettyboop.com, ed@lala.com, ed@wood.com",
		"9   fred  fred@fred.com",
		"run 1: 2 queries run on the database, 0 served from the cache: 8 ed, 9 fred",
		"run 2: 0 queries run on the database, 2 served from the cache: 8 ed, 9 fred",
		"run 3: 1 queries run on the database, 1 served from the cache: 8 ed, 9 frederick",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "jack") || strings.Contains(text, "chuck") {
		t.Errorf("demo returned rows it should not:\n%s", text)
	}

	for _, dialect := range []string{"sqlite", "postgres", "mysql"} {
		var js bytes.Buffer
		if err := run([]string{"inspect", payload, "--dialect", dialect}, &js); err != nil {
			t.Fatalf("inspect --dialect %s: %v", dialect, err)
		}
		var doc struct {
			Version  int    `json:"version"`
			SQL      string `json:"sql"`
			SQLError string `json:"sql_error"`
		}
		if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
			t.Fatalf("inspect output is not JSON: %v\n%s", err, js.String())
		}
		if doc.Version != 2 || doc.SQLError != "" || !strings.Contains(doc.SQL, "GROUP BY users.id, users.name") {
			t.Errorf("inspect --dialect %s: version %d, sql %q, error %q", dialect, doc.Version, doc.SQL, doc.SQLError)
		}
	}
}

func TestDemoOnPostgres(t *testing.T) {
	dbtest.Require(t, dbtest.Postgres)
	var out bytes.Buffer
	if err := run([]string{"demo", "--dsn", os.Getenv(dbtest.PostgresEnv)}, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "9   fred  fred@fred.com") || !strings.Contains(out.String(), `"users"."name" = 'ed'`) {
		t.Errorf("unexpected demo output:\n%s", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"inspect"}, {"inspect", "x", "--dialect", "oracle"},
		{"inspect", "x", "y"}, {"demo", "extra"}, {"demo", "--nope"}, {"inspect", "--nope", "x"}, {"help", "nope"}} {
		if err := run(args, &bytes.Buffer{}); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	if err := run([]string{"inspect", filepath.Join(t.TempDir(), "missing")}, &bytes.Buffer{}); err == nil || errors.Is(err, errUsage) {
		t.Errorf("inspect of a missing file: %v, want an error that is not a usage error", err)
	}
}

// helpCases are the command lines that ask for help, with the usage line
// each must print.
var helpCases = []struct {
	args []string
	want string
}{
	{[]string{"-h"}, "gormpickle demo [--dsn DSN] [--out FILE]   dump"},
	{[]string{"--help"}, "gormpickle inspect FILE [--dialect NAME]    print"},
	{[]string{"help"}, "gormpickle help [COMMAND]"},
	{[]string{"help", "demo"}, "usage: gormpickle demo [--dsn DSN] [--out FILE]"},
	{[]string{"help", "inspect"}, "usage: gormpickle inspect FILE [--dialect NAME]"},
	{[]string{"demo", "-h"}, "usage: gormpickle demo [--dsn DSN] [--out FILE]"},
	{[]string{"demo", "--help"}, "-out FILE\n"},
	{[]string{"demo", "--out", "x", "-help"}, "-dsn DSN\n"},
	{[]string{"inspect", "-h"}, "usage: gormpickle inspect FILE [--dialect NAME]"},
	{[]string{"inspect", "--help"}, "-dialect NAME\n"},
	{[]string{"inspect", "payload.gpq", "--help"}, "-dialect NAME\n"},
}

// TestHelpExitsZero: -h and --help, on their own and after each command,
// print clean usage (no back-quoted word eaten as a flag's argument name)
// to standard output and exit 0.
func TestHelpExitsZero(t *testing.T) {
	for _, c := range helpCases {
		var stdout, stderr bytes.Buffer
		code := cli(c.args, &stdout, &stderr)
		text := stdout.String()
		if code != 0 || stderr.Len() != 0 {
			t.Errorf("%q: exit %d, stderr %q; want 0 and nothing", c.args, code, stderr.String())
		}
		if !strings.Contains(text, c.want) || strings.Contains(text, "`") || strings.Contains(text, "help requested") {
			t.Errorf("%q: usage lacks %q or is not clean:\n%s", c.args, c.want, text)
		}
	}
}

// TestBadFlagsExitTwo: a usage error exits 2 with the message and the
// command's usage on standard error, nothing on standard output.
func TestBadFlagsExitTwo(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"gormpickle: usage: no command", "gormpickle help [COMMAND]"}},
		{[]string{"demo", "--nope"}, []string{"flag provided but not defined: -nope", "usage: gormpickle demo", "-out FILE"}},
		{[]string{"inspect", "x", "--dialect", "oracle"}, []string{`unknown dialect "oracle"`, "usage: gormpickle inspect"}},
		{[]string{"inspect", "--dialect"}, []string{"flag needs an argument", "-dialect NAME"}},
	} {
		var stdout, stderr bytes.Buffer
		if code := cli(c.args, &stdout, &stderr); code != 2 || stdout.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q; want 2 and nothing", c.args, code, stdout.String())
		}
		for _, w := range c.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%q: stderr lacks %q:\n%s", c.args, w, stderr.String())
			}
		}
	}
	var stdout, stderr bytes.Buffer
	if code := cli([]string{"inspect", filepath.Join(t.TempDir(), "missing")}, &stdout, &stderr); code != 1 || strings.Contains(stderr.String(), "usage") {
		t.Errorf("inspect of a missing file: exit %d, stderr %q; want 1 without usage", code, stderr.String())
	}
}

// InspectWidget is a model the command does not know.
type InspectWidget struct {
	ID    uint
	Label string
	Owner string `gorm:"column:owned_by"`
}

// TestInspectWithoutModels: a payload of a model inspect does not know is
// shown with its field references by Go field name and its SQL rendered
// symbolically, and the output says the model is not registered.
func TestInspectWithoutModels(t *testing.T) {
	db, err := gorm.Open(sqlite.Open(filepath.Join(t.TempDir(), "w.db")), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Use(shadowtest.New(t, gormpickle.WithModels(&InspectWidget{}))); err != nil {
		t.Fatal(err)
	}
	sub := db.Model(&InspectWidget{}).Select("ID").Where(&InspectWidget{Label: "a"})
	data, err := gormpickle.Dumps(db.Model(&InspectWidget{}).Where(&InspectWidget{Owner: "ed"}).Where("id IN (?)", sub).Order("id"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "w.gpq")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"inspect", path, "--dialect", "postgres"}, &out); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Query        map[string]any `json:"query"`
		SQL          string         `json:"sql"`
		SQLError     string         `json:"sql_error"`
		Note         string         `json:"note"`
		SymbolicSQL  string         `json:"symbolic_sql"`
		SymbolicVars []any          `json:"symbolic_vars"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("inspect output is not JSON: %v\n%s", err, out.String())
	}
	const id = "main.InspectWidget"
	if !strings.Contains(doc.Note, `model "`+id+`" is not registered`) || !strings.Contains(doc.Note, "Go field names") {
		t.Errorf("note %q does not say the model is not registered", doc.Note)
	}
	wantSQL := `SELECT * FROM "<main:InspectWidget>" WHERE "<main:InspectWidget>"."Owner" = $1 AND id IN ($2) ORDER BY id`
	if doc.SymbolicSQL != wantSQL || doc.SQL != "" || doc.SQLError != "" {
		t.Errorf("symbolic SQL %q (sql %q, error %q), want %q", doc.SymbolicSQL, doc.SQL, doc.SQLError, wantSQL)
	}
	if len(doc.SymbolicVars) != 2 || doc.SymbolicVars[0] != "ed" || doc.SymbolicVars[1] != "<subquery: see the query tree>" {
		t.Errorf("symbolic vars %v", doc.SymbolicVars)
	}
	if doc.Query["ModelID"] != id || !strings.Contains(out.String(), `"Name": "Label"`) {
		t.Errorf("query tree lacks the model ID or the subquery's field reference:\n%s", out.String())
	}
}

func TestInspectModelPayload(t *testing.T) {
	type row struct {
		ID   uint
		Name string
	}
	data, err := modelcodec.Encode(&row{ID: 1, Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "row.gpm")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"inspect", path}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"kind": "row"`) || !strings.Contains(out.String(), `"x"`) {
		t.Fatalf("inspect of a model payload:\n%s", out.String())
	}
}
