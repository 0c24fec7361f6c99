package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/serializer"
)

func TestDemoOnSQLite(t *testing.T) {
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
	if !dbtest.Available(dbtest.Postgres) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI", dbtest.PostgresEnv)
		}
		t.Skipf("demo on postgres skipped: %s is not set", dbtest.PostgresEnv)
	}
	var out bytes.Buffer
	if err := run([]string{"demo", "--dsn", os.Getenv(dbtest.PostgresEnv)}, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "9   fred  fred@fred.com") || !strings.Contains(out.String(), `"users"."name" = 'ed'`) {
		t.Errorf("unexpected demo output:\n%s", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"inspect"}, {"inspect", "x", "--dialect", "oracle"}} {
		if err := run(args, &bytes.Buffer{}); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	if err := run([]string{"inspect", filepath.Join(t.TempDir(), "missing")}, &bytes.Buffer{}); err == nil {
		t.Error("inspect of a missing file succeeded")
	}
}

func TestInspectModelPayload(t *testing.T) {
	type row struct {
		ID   uint
		Name string
	}
	data, err := serializer.EncodeModel(&row{ID: 1, Name: "x"})
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
