package tests

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// The conformance suite of issue #16: the cases of the traditional suite
// that GORM's generics API (gorm.G[T]) can express, written with it, plus
// the generics-only forms (JoinBuilder and PreloadBuilder functions,
// LimitPerRecord, gorm.G's opts, generics subqueries).
//
// For each backend a case is dumped with DumpsG on one seeded database
// and, on two targets (that database, and a second connection to it with
// a plain gorm.Config), the chain built by hand and the chain LoadsG
// restored are finished for real, each in its own transaction rolled back
// afterwards, through a logger that records every statement with its
// vars: same statements, same vars, same result, same error, and for
// writes the same tables afterwards. (Rendering under DryRun, as the
// traditional suite does, is not used: in DryRun mode GORM applies a
// generics chain to the DB it was given without a new statement, and a
// chain whose first call is Joins or Scopes loses it.) The same is checked
// once the chain is extended with Or, and, for a case with a traditional
// twin, across the two APIs: the twin's Dumps payload loaded with LoadsG,
// and the DumpsG payload loaded with Loads and finished as the twin is.

// gFinisher finishes a generics chain of T and returns what it read or
// wrote, comparable with reflect.DeepEqual.
type gFinisher[T any] struct {
	name  string
	run   func(ctx context.Context, q gorm.ChainInterface[T]) (any, error)
	write bool
	// noExtend: the chain is not checked extended with Or (FindInBatches
	// appends a key condition that an OR would swallow: GORM loops).
	noExtend bool
	// trad is the same finisher for a traditional chain (the twin), zero
	// when the case has none.
	trad confFinisher
}

// gCase is one case of a generics table, its model erased.
type gCase struct {
	name  string
	check func(t *testing.T, source *gorm.DB, targets ...*gorm.DB)
	// skip maps a backend to why the case cannot run there.
	skip map[string]string
}

// gq makes a case: gen builds the chain with gorm.G[T]; twin, if not
// nil, builds the same chain with the traditional API.
func gq[T any](name string, gen func(db *gorm.DB) gorm.ChainInterface[T], twin func(db *gorm.DB) *gorm.DB, fin gFinisher[T], skip ...map[string]string) gCase {
	c := gCase{name: name, check: func(t *testing.T, source *gorm.DB, targets ...*gorm.DB) {
		t.Helper()
		checkG(t, gen, twin, fin, source, targets...)
	}}
	if len(skip) > 0 {
		c.skip = skip[0]
	}
	return c
}

// gOutcome is what one real run gave: the statements it ran and its
// result.
type gOutcome struct {
	Stmts []rendered
	confOutcome
}

// gRun finishes the chain mk builds on a transaction of db, recording
// every statement; the transaction is rolled back.
func gRun[T any](t *testing.T, db *gorm.DB, fin gFinisher[T], mk func(root *gorm.DB) gorm.ChainInterface[T]) gOutcome {
	t.Helper()
	tx := db.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	defer tx.Rollback()
	rec := newStmtRecorder()
	root := tx.Session(&gorm.Session{Logger: rec})
	res, err := fin.run(context.Background(), mk(root))
	out := gOutcome{Stmts: rec.stmts, confOutcome: confOutcome{Result: res, Err: errText(err)}}
	if fin.write && (err == nil || backendName(db) != dbtest.Postgres) {
		out.Tables = snapshot(t, tx)
	}
	return out
}

// tRun is gRun for a traditional chain.
func tRun(t *testing.T, db *gorm.DB, fin confFinisher, mk func(root *gorm.DB) *gorm.DB) gOutcome {
	t.Helper()
	tx := db.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	defer tx.Rollback()
	rec := newStmtRecorder()
	root := tx.Session(&gorm.Session{Logger: rec})
	res, err := fin.run(mk(root))
	out := gOutcome{Stmts: rec.stmts, confOutcome: confOutcome{Result: res, Err: errText(err)}}
	if fin.write && (err == nil || backendName(db) != dbtest.Postgres) {
		out.Tables = snapshot(t, tx)
	}
	return out
}

func sameOutcome(t *testing.T, what string, want, got gOutcome) {
	t.Helper()
	compareRendered(t, what, want.Stmts, got.Stmts)
	if !reflect.DeepEqual(want.confOutcome, got.confOutcome) {
		t.Fatalf("%s: outcomes differ\noriginal: %+v\nloaded:   %+v", what, want.confOutcome, got.confOutcome)
	}
}

func loadG[T any](t *testing.T, data []byte) func(root *gorm.DB) gorm.ChainInterface[T] {
	return func(root *gorm.DB) gorm.ChainInterface[T] {
		t.Helper()
		q, err := gormpickle.LoadsG[T](data, root)
		if err != nil {
			t.Fatalf("LoadsG: %v", err)
		}
		return q
	}
}

// checkG runs one generics case on one backend.
func checkG[T any](t *testing.T, gen func(db *gorm.DB) gorm.ChainInterface[T], twin func(db *gorm.DB) *gorm.DB, fin gFinisher[T], source *gorm.DB, targets ...*gorm.DB) {
	t.Helper()
	data, err := gormpickle.DumpsG(gen(source))
	if err != nil {
		t.Fatalf("DumpsG: %v", err)
	}
	extend := func(mk func(*gorm.DB) gorm.ChainInterface[T]) func(*gorm.DB) gorm.ChainInterface[T] {
		return func(root *gorm.DB) gorm.ChainInterface[T] { return mk(root).Or("1 = ?", 0) }
	}
	var twinData []byte
	if twin != nil {
		if twinData, err = gormpickle.Dumps(twin(source)); err != nil {
			t.Fatalf("Dumps of the traditional twin: %v", err)
		}
	}
	for i, target := range targets {
		want := gRun(t, target, fin, gen)
		sameOutcome(t, fmt.Sprintf("target %d", i), want, gRun(t, target, fin, loadG[T](t, data)))
		if !fin.noExtend {
			sameOutcome(t, fmt.Sprintf("target %d extended", i), gRun(t, target, fin, extend(gen)),
				gRun(t, target, fin, extend(loadG[T](t, data))))
		}
		if twin == nil {
			continue
		}
		// The traditional twin's payload, loaded as a generics chain.
		sameOutcome(t, fmt.Sprintf("target %d: Dumps -> LoadsG", i), want, gRun(t, target, fin, loadG[T](t, twinData)))
		// The generics payload, loaded as a traditional chain.
		loaded := func(root *gorm.DB) *gorm.DB {
			q, err := gormpickle.Loads(data, root)
			if err != nil {
				t.Fatalf("Loads of a DumpsG payload: %v", err)
			}
			return q
		}
		sameOutcome(t, fmt.Sprintf("target %d: DumpsG -> Loads", i), tRun(t, target, fin.trad, twin), tRun(t, target, fin.trad, loaded))
	}
}

// gTargets opens the databases a backend's generics cases load on, as
// confTargets does, with the generics-only models too.
func gTargets(t *testing.T, db *gorm.DB) (seeded, plain *gorm.DB) {
	t.Helper()
	extra := []gormpickle.Option{gormpickle.WithModels(append(confModels(), gModels()...)...), gormpickle.WithTypes(confRowLimit{})}
	db.NowFunc = confNow
	seeded = openCorpusDB(t, db, extra...)
	if err := seedConf(seeded); err != nil {
		t.Fatal(err)
	}
	if err := seedG(seeded); err != nil {
		t.Fatal(err)
	}
	plain = dbtest.Reopen(t, db, &gorm.Config{NowFunc: confNow, Logger: logger.Discard})
	if err := plain.Use(shadowtest.New(t, pluginOptions(extra...)...)); err != nil {
		t.Fatal(err)
	}
	return seeded, plain
}

// gFamilies are the generics case tables.
func gFamilies() map[string][]gCase {
	return map[string][]gCase{
		"chainable": gChainable(),
		"reads":     gReads(),
		"writes":    gWrites(),
		"clauses":   gClauses(),
		"generics":  gSpecific(),
		"more":      gMore(),
	}
}

// TestGenericsConformance runs every generics case table on every backend.
func TestGenericsConformance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seeded, plain := gTargets(t, db)
		for family, cases := range gFamilies() {
			t.Run(family, func(t *testing.T) {
				for _, c := range cases {
					t.Run(c.name, func(t *testing.T) {
						if reason, ok := c.skip[backendName(seeded)]; ok {
							t.Skip(reason)
						}
						c.check(t, seeded, seeded, plain)
					})
				}
			})
		}
	})
}

// gOutOfScope lists the methods of gorm.ChainInterface that no case is
// named after, and why.
var gOutOfScope = map[string]string{
	"Build": "a chain used as a subquery: the subquery/* and */subquery* cases",
	"Set":   "Set(...).Update holds its assignments in the finisher, not in the chain DumpsG is given",
}

// TestGenericsCoverage fails when a method of gorm.ChainInterface has
// neither a generics case named after it nor a reason in gOutOfScope: a
// new GORM method shows up here.
func TestGenericsCoverage(t *testing.T) {
	covered := func(name string) bool {
		for _, cases := range gFamilies() {
			for _, c := range cases {
				if rest, ok := strings.CutPrefix(c.name, name); ok && (rest == "" || rest[0] == '/') {
					return true
				}
			}
		}
		return false
	}
	it := reflect.TypeFor[gorm.ChainInterface[fixture.User]]()
	for i := 0; i < it.NumMethod(); i++ {
		name := it.Method(i).Name
		if _, ok := gOutOfScope[name]; !ok && !covered(name) {
			t.Errorf("gorm.ChainInterface.%s has no generics case and no reason in gOutOfScope", name)
		}
	}
}
