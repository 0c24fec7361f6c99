package tests

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// The conformance suite of issue #15: every public method of GORM's
// chainable and finisher API, and every clause type, dumped, loaded and
// compared with the same chain built by hand. A case's name starts with
// the method or clause type it covers ("Where/map", "clause.Eq"), so
// TestConformanceCoverage can tell which ones have no case.
//
// For each backend, every case is dumped on one seeded database and then,
// on two targets (that database, and a second connection to it opened
// with a plain gorm.Config), checked twice:
//
//  1. the chain built by hand on the target and the chain Loads restored
//     there are finished under DryRun: every statement the finisher would
//     run (preloads and FirstOrCreate's INSERT included) must have the same
//     SQL and the same vars;
//  2. both are finished for real, each in its own transaction rolled back
//     afterwards: same result, same error, and for writes the same rows
//     affected and the same table contents afterwards.

// confFinisher finishes a chain and returns what it read or wrote.
type confFinisher struct {
	name string
	// run finishes tx; its result must be comparable with reflect.DeepEqual.
	run func(tx *gorm.DB) (any, error)
	// write marks finishers that change rows: the tables are compared after.
	write bool
}

// confCase is one row of a case table.
type confCase struct {
	name  string
	build func(db *gorm.DB) *gorm.DB
	fin   confFinisher // finFind(users) when zero
	// skip maps a backend to why GORM or the database cannot express the case.
	skip map[string]string
	// noRun maps a backend to why the case is rendered but not run there
	// (the database refuses SQL GORM renders for it).
	noRun map[string]string
	// unordered: the finisher runs its statements in map order (GORM
	// deleting selected associations), so they are compared sorted.
	unordered bool
	// refused is the typed error Dumps or Loads gives for a chain
	// gormpickle documents it does not carry (asserted with errors.Is).
	refused error
	// known maps a backend to a divergence found by this suite and
	// reported (a bug to fix): the case is skipped there with "known
	// divergence: " and this text.
	known map[string]string
}

func (c confCase) finisher() confFinisher {
	if c.fin.run == nil {
		return finFind(destUsers)
	}
	return c.fin
}

// stmtRecorder is a logger that records every statement GORM traces, with
// its vars as GORM bound them (not inlined into the SQL).
type stmtRecorder struct {
	logger.Interface
	stmts []rendered
}

func newStmtRecorder() *stmtRecorder { return &stmtRecorder{Interface: logger.Discard} }

func (r *stmtRecorder) LogMode(logger.LogLevel) logger.Interface { return r }

// Trace records through ParamsFilter; Scan traces its statement itself,
// vars already inlined by the dialect, and is recorded as that text.
func (r *stmtRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	n := len(r.stmts)
	if sql, _ := fc(); len(r.stmts) == n {
		r.stmts = append(r.stmts, rendered{SQL: sql})
	}
}

// ParamsFilter is GORM's hook to see a traced statement's SQL and vars.
func (r *stmtRecorder) ParamsFilter(_ context.Context, sql string, params ...any) (string, []any) {
	r.stmts = append(r.stmts, rendered{SQL: sql, Vars: normalizeVars(params)})
	return sql, params
}

// confRender finishes chain under DryRun and returns every statement it
// would have run and the finisher's error text (DryRun errors, such as
// Rows' ErrDryRunModeUnsupported or First's ErrRecordNotFound, are
// compared rather than fatal).
func confRender(chain *gorm.DB, fin confFinisher) ([]rendered, string) {
	rec := newStmtRecorder()
	_, err := fin.run(chain.Session(&gorm.Session{DryRun: true, Logger: rec}))
	return rec.stmts, errText(err)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// confOutcome is what running a finisher for real gave.
type confOutcome struct {
	Result any
	Err    string
	Tables any // the tables' contents afterwards, for writes
}

// confTables reads every fixture table, soft-deleted rows included.
type confTables struct {
	Users     []fixture.User
	Addresses []fixture.Address
	Items     []item
	People    []person
	Notes     []confNote
	Posts     []confPost
	Covers    []confCover
	Tags      []confTag
	Comments  []confComment
	PostTags  []map[string]any
}

func snapshot(t *testing.T, tx *gorm.DB) confTables {
	t.Helper()
	var s confTables
	db := tx.Session(&gorm.Session{NewDB: true})
	for _, dest := range []any{&s.Users, &s.Addresses, &s.Items, &s.People, &s.Notes, &s.Posts, &s.Covers, &s.Tags, &s.Comments} {
		if err := db.Unscoped().Order("id").Find(dest).Error; err != nil {
			t.Fatalf("snapshot: %v", err)
		}
	}
	if err := db.Table("conf_post_tags").Order("conf_post_id, conf_tag_id").Find(&s.PostTags).Error; err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return s
}

// confRun finishes the chain mk builds on a transaction of db, always
// rolled back, so every run starts from the seeded rows.
func confRun(t *testing.T, db *gorm.DB, fin confFinisher, mk func(tx *gorm.DB) *gorm.DB) confOutcome {
	t.Helper()
	tx := db.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	defer tx.Rollback()
	res, err := fin.run(mk(tx))
	out := confOutcome{Result: res, Err: errText(err)}
	if fin.write {
		if err != nil && backendName(db) == dbtest.Postgres {
			return out // the transaction is aborted; nothing was written
		}
		out.Tables = snapshot(t, tx)
	}
	return out
}

// confTargets opens the databases a backend's cases load on: db itself,
// seeded, and a second connection to the same database with a plain
// gorm.Config and its own plugin instance.
func confTargets(t *testing.T, db *gorm.DB) (seeded, plain *gorm.DB) {
	t.Helper()
	extra := []gormpickle.Option{gormpickle.WithModels(confModels()...), gormpickle.WithTypes(confRowLimit{})}
	db.NowFunc = confNow
	seeded = openCorpusDB(t, db, extra...)
	if err := seedConf(seeded); err != nil {
		t.Fatal(err)
	}
	plain = dbtest.Reopen(t, db, &gorm.Config{NowFunc: confNow, Logger: logger.Discard})
	if err := plain.Use(shadowtest.New(t, pluginOptions(extra...)...)); err != nil {
		t.Fatal(err)
	}
	return seeded, plain
}

// confNow is the targets' clock: soft deletes and timestamps written by
// the original and the restored chain must compare equal.
func confNow() time.Time { return baseTime.Add(24 * time.Hour) }

// checkConf runs one case on one backend: dumped on source, checked on
// every target.
func checkConf(t *testing.T, c confCase, source *gorm.DB, targets ...*gorm.DB) {
	t.Helper()
	if reason, ok := c.skip[backendName(source)]; ok {
		t.Skip(reason)
	}
	if text, ok := c.known[backendName(source)]; ok {
		t.Skip("known divergence: " + text)
	}
	fin := c.finisher()
	// Dump a chain of its own: finishing a chain lets GORM change it.
	data, err := gormpickle.Dumps(c.build(source))
	if c.refused != nil {
		if err == nil {
			_, err = gormpickle.Loads(data, source)
		}
		if !errors.Is(err, c.refused) {
			t.Fatalf("Dumps/Loads error %v, want %v", err, c.refused)
		}
		return
	}
	if err != nil {
		t.Fatalf("Dumps: %v", err)
	}
	load := func(db *gorm.DB) *gorm.DB {
		t.Helper()
		loaded, err := gormpickle.Loads(data, db)
		if err != nil {
			t.Fatalf("Loads: %v", err)
		}
		return loaded
	}
	for i, target := range targets {
		wantSQL, wantErr := confRender(c.build(target), fin)
		gotSQL, gotErr := confRender(load(target), fin)
		if c.unordered {
			sortRendered(wantSQL)
			sortRendered(gotSQL)
		}
		compareRendered(t, fmt.Sprintf("target %d", i), wantSQL, gotSQL)
		if wantErr != gotErr {
			t.Fatalf("target %d: DryRun errors differ\noriginal: %s\nloaded:   %s", i, wantErr, gotErr)
		}
		// Extended, a restored chain must still be the same chain: an OR
		// shows how its conditions are grouped, not only what they say.
		wantSQL, _ = confRender(confExtend(c.build(target)), fin)
		gotSQL, _ = confRender(confExtend(load(target)), fin)
		if c.unordered {
			sortRendered(wantSQL)
			sortRendered(gotSQL)
		}
		compareRendered(t, fmt.Sprintf("target %d extended", i), wantSQL, gotSQL)
		if _, ok := c.noRun[backendName(target)]; ok {
			continue
		}
		want := confRun(t, target, fin, c.build)
		got := confRun(t, target, fin, load)
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("target %d: outcomes differ\noriginal: %+v\nloaded:   %+v", i, want, got)
		}
	}
}

// confExtend is what an application might add to a loaded chain.
func confExtend(tx *gorm.DB) *gorm.DB { return tx.Or("1 = ?", 0) }

func sortRendered(stmts []rendered) {
	sort.Slice(stmts, func(i, j int) bool { return stmts[i].SQL < stmts[j].SQL })
}

func compareRendered(t *testing.T, target string, want, got []rendered) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: the original chain rendered no statement", target)
	}
	if len(want) != len(got) {
		t.Fatalf("%s: %d statements, loaded %d\noriginal: %v\nloaded:   %v", target, len(want), len(got), want, got)
	}
	for i := range want {
		if want[i].SQL != got[i].SQL {
			t.Fatalf("%s: SQL of statement %d differs\noriginal: %s\nloaded:   %s", target, i, want[i].SQL, got[i].SQL)
		}
		if !reflect.DeepEqual(want[i].Vars, got[i].Vars) {
			t.Fatalf("%s: vars of statement %d differ\noriginal: %#v\nloaded:   %#v", target, i, want[i].Vars, got[i].Vars)
		}
	}
}

// confFamilies are the case tables, one per file.
func confFamilies() map[string][]confCase {
	return map[string][]confCase{
		"chainable": confChainable,
		"reads":     confReads,
		"writes":    confWrites,
		"clauses":   confClauses,
	}
}

// TestConformanceSuite runs every case table on every backend, on one
// seeded database per backend (writes roll back).
func TestConformanceSuite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seeded, plain := confTargets(t, db)
		for family, cases := range confFamilies() {
			t.Run(family, func(t *testing.T) {
				for _, c := range cases {
					t.Run(c.name, func(t *testing.T) { checkConf(t, c, seeded, seeded, plain) })
				}
			})
		}
	})
}

// confCovered reports whether some case's name starts with item (followed
// by nothing, "/" or "(").
func confCovered(item string) bool {
	for _, cases := range confFamilies() {
		for _, c := range cases {
			rest, ok := strings.CutPrefix(c.name, item)
			if ok && (rest == "" || rest[0] == '/' || rest[0] == '(') {
				return true
			}
		}
	}
	return false
}

// confOutOfScope lists the exported methods of *gorm.DB that are neither
// chainable nor finishers of a query chain, and why no case covers them.
var confOutOfScope = map[string]string{
	"Attrs":          "refused by Dumps with ErrNotSerializable: TestConformanceAttrsAssign",
	"Assign":         "refused by Dumps with ErrNotSerializable: TestConformanceAttrsAssign",
	"Session":        "session settings come from the *gorm.DB given to Loads, never from the payload",
	"WithContext":    "the context comes from the *gorm.DB given to Loads",
	"Debug":          "a logger setting of the session, not part of the chain",
	"Set":            "settings travel (TestDeterminism); GORM's own settings are checked by the restore tests",
	"Get":            "reads a setting; not a chain step",
	"InstanceSet":    "per-statement setting GORM's callbacks write while finishing",
	"InstanceGet":    "reads a per-statement setting",
	"Connection":     "runs a function on one connection of the target",
	"Transaction":    "transactions come from the target: each case runs in one",
	"Begin":          "transactions come from the target: each case runs in one",
	"Commit":         "transactions come from the target",
	"Rollback":       "transactions come from the target",
	"SavePoint":      "transactions come from the target",
	"RollbackTo":     "transactions come from the target",
	"Callback":       "callback registration of the target",
	"AddError":       "a chain holding an error is refused by Dumps",
	"DB":             "the target's *sql.DB",
	"SetupJoinTable": "schema setup of the target",
	"Use":            "plugin registration of the target",
	"ToSQL":          "renders a function's chain under DryRun, as this suite does",
	"Migrator":       "schema migration, not a query",
	"AutoMigrate":    "schema migration, not a query",
	"Association":    "association mode finishes on a model value, not on a chain",
}

// TestConformanceCoverage fails when an exported method of *gorm.DB or a
// listed clause type has neither a case nor a reason to have none: a new
// GORM method shows up here.
func TestConformanceCoverage(t *testing.T) {
	lists := [][]string{confChainableCoverage, confReadCoverage, confWriteCoverage, confClauseCoverage}
	listed := map[string]bool{}
	for _, list := range lists {
		for _, item := range list {
			listed[item] = true
			if !confCovered(item) {
				t.Errorf("%s is listed but has no case", item)
			}
		}
	}
	dbType := reflect.TypeOf(&gorm.DB{})
	for i := 0; i < dbType.NumMethod(); i++ {
		name := dbType.Method(i).Name
		if _, promoted := reflect.TypeOf(&gorm.Config{}).MethodByName(name); promoted {
			continue // the embedded Config's (and its Dialector's) methods
		}
		if _, ok := confOutOfScope[name]; !ok && !listed[name] {
			t.Errorf("(*gorm.DB).%s has no case and no reason in confOutOfScope", name)
		}
	}
}
