package tests

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// roundTrip is one conformance case: a chain, where its rows go, and how
// it is finished.
type roundTrip struct {
	name  string
	build func(db *gorm.DB) *gorm.DB
	// dest returns a fresh destination; default *[]fixture.User.
	dest func() any
	// finish runs the chain into dest; default Find.
	finish func(tx *gorm.DB, dest any) *gorm.DB
	// skip maps a backend to the reason the case does not apply there.
	skip map[string]string
}

func (c roundTrip) newDest() any {
	if c.dest != nil {
		return c.dest()
	}
	return &[]fixture.User{}
}

func (c roundTrip) run(tx *gorm.DB, dest any) *gorm.DB {
	if c.finish != nil {
		return c.finish(tx, dest)
	}
	return tx.Find(dest)
}

// pluginOptions are what every conformance database installs.
func pluginOptions(extra ...gormpickle.Option) []gormpickle.Option {
	opts := []gormpickle.Option{
		gormpickle.WithModels(allModels()...),
		gormpickle.WithTypes(status(""), optimizerHint{}),
	}
	return append(opts, extra...)
}

// openCorpusDB opens a seeded database of the backend with the plugin.
func openCorpusDB(t *testing.T, db *gorm.DB, extra ...gormpickle.Option) *gorm.DB {
	t.Helper()
	if err := db.Use(shadowtest.New(t, pluginOptions(extra...)...)); err != nil {
		t.Fatal(err)
	}
	if err := fixture.Seed(db); err != nil {
		t.Fatal(err)
	}
	if err := seedExtra(db); err != nil {
		t.Fatal(err)
	}
	return db
}

// rendered is a statement as the dialect renders it, without running it.
type rendered struct {
	SQL  string
	Vars []any
}

func render(t *testing.T, c roundTrip, tx *gorm.DB) rendered {
	t.Helper()
	dry := c.run(tx.Session(&gorm.Session{DryRun: true}), c.newDest())
	if dry.Error != nil {
		t.Fatalf("DryRun render: %v", dry.Error)
	}
	return rendered{SQL: dry.Statement.SQL.String(), Vars: normalizeVars(dry.Statement.Vars)}
}

// normalizeVars makes bound values comparable: pointers dereferenced (Dumps
// freezes them), driver.Valuers evaluated, times as instant plus zone.
func normalizeVars(vars []any) []any {
	out := make([]any, len(vars))
	for i, v := range vars {
		out[i] = normalizeVar(v)
	}
	return out
}

func normalizeVar(v any) any {
	for {
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return nil
			}
			v = rv.Elem().Interface()
			continue
		}
		break
	}
	switch x := v.(type) {
	case time.Time:
		name, off := x.Zone()
		return fmt.Sprintf("%s %s %d", x.UTC().Format(time.RFC3339Nano), name, off)
	case driver.Valuer:
		dv, err := x.Value()
		if err != nil {
			return err
		}
		return normalizeVar(dv)
	}
	return v
}

// checkRoundTrip dumps the chain, loads it on target, and checks that the
// loaded chain renders the same SQL and vars as the original on target's
// dialect and returns the same rows.
func checkRoundTrip(t *testing.T, c roundTrip, source, target *gorm.DB) {
	t.Helper()
	// Dump first: rendering a chain lets GORM reorder its WHERE in place.
	data, err := gormpickle.Dumps(c.build(source))
	if err != nil {
		t.Fatalf("Dumps: %v", err)
	}
	loaded, err := gormpickle.Loads(data, target)
	if err != nil {
		t.Fatalf("Loads: %v", err)
	}
	want, got := render(t, c, c.build(target)), render(t, c, loaded)
	if want.SQL != got.SQL {
		t.Fatalf("SQL differs\noriginal: %s\nloaded:   %s", want.SQL, got.SQL)
	}
	if !reflect.DeepEqual(want.Vars, got.Vars) {
		t.Fatalf("vars differ\noriginal: %#v\nloaded:   %#v", want.Vars, got.Vars)
	}
	wantRows, gotRows := c.newDest(), c.newDest()
	if err := c.run(c.build(target), wantRows).Error; err != nil {
		t.Fatalf("original chain: %v", err)
	}
	if err := c.run(loaded, gotRows).Error; err != nil {
		t.Fatalf("loaded chain: %v", err)
	}
	if !reflect.DeepEqual(wantRows, gotRows) {
		t.Fatalf("rows differ\noriginal: %+v\nloaded:   %+v", reflect.ValueOf(wantRows).Elem(), reflect.ValueOf(gotRows).Elem())
	}
}

// TestConformance runs the corpus on every backend: same SQL and vars under
// DryRun, same rows.
func TestConformance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		for _, c := range conformance {
			t.Run(c.name, func(t *testing.T) {
				if reason, ok := c.skip[backendName(db)]; ok {
					t.Skip(reason)
				}
				checkRoundTrip(t, c, db, db)
			})
		}
	})
}

// backendName maps a dialector to its dbtest backend name.
func backendName(db *gorm.DB) string {
	switch db.Dialector.Name() {
	case "postgres":
		return dbtest.Postgres
	case "mysql":
		return dbtest.MySQL
	}
	return dbtest.SQLite
}
