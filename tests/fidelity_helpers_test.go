package tests

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/callbacks"
)

// fidelityCase is a chain of issue #15's fidelity fixes (items 4 to 8): its
// destination and how it is finished (Find by default).
type fidelityCase struct {
	name   string
	build  func(db *gorm.DB) *gorm.DB
	dest   func() any
	finish func(tx *gorm.DB, dest any) *gorm.DB
}

func (c fidelityCase) run(tx *gorm.DB, dest any) *gorm.DB {
	if c.finish != nil {
		return c.finish(tx, dest)
	}
	return tx.Find(dest)
}

// checkFidelity dumps the case's chain on db, loads it back on db and
// checks that the restored chain renders the SQL and vars the original
// renders, then that running both gives the same rows and the same error
// (a statement GORM builds wrong must be restored as wrong as it is).
func checkFidelity(t *testing.T, db *gorm.DB, c fidelityCase) {
	t.Helper()
	loaded, err := gormpickle.Loads(mustDump(t, c.build(db)), db)
	if err != nil {
		t.Fatalf("Loads: %v", err)
	}
	sameStatement(t, c, c.build(db), loaded)
}

// sameStatement compares what want and got render and return for c.
func sameStatement(t *testing.T, c fidelityCase, want, got *gorm.DB) {
	t.Helper()
	dry := func(tx *gorm.DB) rendered {
		t.Helper()
		r := c.run(tx.Session(&gorm.Session{DryRun: true}), c.dest())
		return rendered{SQL: r.Statement.SQL.String(), Vars: normalizeVars(r.Statement.Vars)}
	}
	w, g := dry(want), dry(got)
	if w.SQL != g.SQL {
		t.Fatalf("SQL differs\noriginal: %s\nloaded:   %s", w.SQL, g.SQL)
	}
	if !reflect.DeepEqual(w.Vars, g.Vars) {
		t.Fatalf("vars differ\noriginal: %#v\nloaded:   %#v", w.Vars, g.Vars)
	}
	wantRows, gotRows := c.dest(), c.dest()
	wantErr := c.run(want.Session(&gorm.Session{}), wantRows).Error
	gotErr := c.run(got.Session(&gorm.Session{}), gotRows).Error
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("errors differ\noriginal: %v\nloaded:   %v", wantErr, gotErr)
	}
	if !reflect.DeepEqual(wantRows, gotRows) {
		t.Fatalf("rows differ\noriginal: %+v\nloaded:   %+v", reflect.ValueOf(wantRows).Elem(), reflect.ValueOf(gotRows).Elem())
	}
}

// ranQuery is a query GORM ran while a finisher ran (a preload's, an
// association's), dumped as it was about to run.
type ranQuery struct {
	payload []byte
	dumpErr error
	sql     string
	vars    []any
	dest    any // what it scanned its rows into
}

// captureQueries runs run on db and returns every query GORM ran for it,
// each dumped in a callback before gorm:query, as an application's
// tracing would see it, with the SQL, vars and rows GORM then had.
func captureQueries(t *testing.T, db *gorm.DB, run func(tx *gorm.DB) error) []*ranQuery {
	t.Helper()
	var ran []*ranQuery
	byStmt := map[*gorm.Statement]*ranQuery{}
	marked := func(tx *gorm.DB) bool {
		_, ok := tx.Statement.Settings.Load(callbacks.MarkerKey)
		return ok
	}
	name := fmt.Sprintf("test:fidelity%d", time.Now().UnixNano())
	before := func(tx *gorm.DB) {
		if marked(tx) || tx.Error != nil {
			return
		}
		q := &ranQuery{}
		q.payload, q.dumpErr = gormpickle.Dumps(tx)
		byStmt[tx.Statement] = q
		ran = append(ran, q)
	}
	after := func(tx *gorm.DB) {
		if q := byStmt[tx.Statement]; q != nil && !marked(tx) {
			q.sql, q.vars, q.dest = tx.Statement.SQL.String(), normalizeVars(tx.Statement.Vars), tx.Statement.Dest
		}
	}
	if err := db.Callback().Query().Before("gorm:query").Register(name+":before", before); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Query().After("gorm:query").Register(name+":after", after); err != nil {
		t.Fatal(err)
	}
	err := run(db)
	_ = db.Callback().Query().Remove(name + ":before")
	_ = db.Callback().Query().Remove(name + ":after")
	if err != nil {
		t.Fatal(err)
	}
	return ran
}

// checkRan loads a captured query on db and checks that it renders the
// SQL and vars GORM ran and scans the same rows into a destination of the
// same type.
func checkRan(t *testing.T, db *gorm.DB, q *ranQuery) {
	t.Helper()
	if q.dumpErr != nil {
		t.Fatalf("Dumps: %v", q.dumpErr)
	}
	loaded, err := gormpickle.Loads(q.payload, db)
	if err != nil {
		t.Fatalf("Loads: %v", err)
	}
	newDest := func() any { return reflect.New(reflect.TypeOf(q.dest).Elem()).Interface() }
	dry := loaded.Session(&gorm.Session{DryRun: true}).Find(newDest())
	if sql := dry.Statement.SQL.String(); sql != q.sql {
		t.Fatalf("SQL differs\noriginal: %s\nloaded:   %s", q.sql, sql)
	}
	if vars := normalizeVars(dry.Statement.Vars); !reflect.DeepEqual(vars, q.vars) {
		t.Fatalf("vars differ\noriginal: %#v\nloaded:   %#v", q.vars, vars)
	}
	got := newDest()
	if err := loaded.Find(got).Error; err != nil {
		t.Fatalf("loaded query: %v", err)
	}
	if !reflect.DeepEqual(got, q.dest) {
		t.Fatalf("rows differ\noriginal: %+v\nloaded:   %+v", reflect.ValueOf(q.dest).Elem(), reflect.ValueOf(got).Elem())
	}
}

// pointerTo returns a pointer to a copy of v.
func pointerTo(v any) any {
	p := reflect.New(reflect.TypeOf(v))
	p.Elem().Set(reflect.ValueOf(v))
	return p.Interface()
}

// sliceOf returns a one-element slice of v's type holding v.
func sliceOf(v any) any {
	s := reflect.MakeSlice(reflect.SliceOf(reflect.TypeOf(v)), 1, 1)
	s.Index(0).Set(reflect.ValueOf(v))
	return s.Interface()
}
