package tests

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// TestLoadsShareNothingBetweenPayloads loads every corpus payload, one
// after another, before rendering any of them: Loads reuses its decoder's
// buffers between payloads, and no loaded chain may see a later one's.
func TestLoadsShareNothingBetweenPayloads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		var cases []roundTrip
		var loaded []*gorm.DB
		for _, c := range conformance {
			if _, skip := c.skip[backendName(db)]; skip {
				continue
			}
			cases = append(cases, c)
			loaded = append(loaded, mustLoad(t, mustDump(t, c.build(db)), db))
		}
		for i, c := range cases {
			want, got := render(t, c, c.build(db)), render(t, c, loaded[i])
			if want.SQL != got.SQL || !reflect.DeepEqual(want.Vars, got.Vars) {
				t.Errorf("%s, loaded before %d other payloads, renders\n%s %v\nwant\n%s %v", c.name, len(cases)-i-1, got.SQL, got.Vars, want.SQL, want.Vars)
			}
		}
	})
}

// TestLoadedVarsAreSeparate: the var lists of a loaded chain are cut from
// shared memory; growing one must not write into its neighbour.
func TestLoadedVarsAreSeparate(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	q := mustLoad(t, mustDump(t, users(db).Where("id > ?", 1).Where("name <> ?", "x").Where("name <> ?", "y")), db)
	where, ok := q.Statement.Clauses["WHERE"].Expression.(clause.Where)
	if !ok || len(where.Exprs) != 3 {
		t.Fatalf("loaded WHERE is %#v", q.Statement.Clauses["WHERE"].Expression)
	}
	first := where.Exprs[0].(clause.Expr)
	_ = append(first.Vars, "clobbered")
	if second := where.Exprs[1].(clause.Expr); second.Vars[0] != "x" {
		t.Fatalf("appending to one condition's vars changed the next: %v", second.Vars)
	}
}

// TestLoadsLargePayload: a payload past the size whose strings are cut from
// one copy still loads every string intact.
func TestLoadsLargePayload(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	names := make([]string, 4000)
	for i := range names {
		names[i] = strings.Repeat(string(rune('a'+i%26)), 20)
	}
	data := mustDump(t, users(db).Where("name IN ?", names))
	if len(data) < 64<<10 {
		t.Fatalf("payload of %d bytes is too small for this test", len(data))
	}
	got := mustLoad(t, data, db).Session(&gorm.Session{DryRun: true}).Find(&[]any{}).Statement.Vars
	if len(got) != len(names) {
		t.Fatalf("loaded %d vars, want %d", len(got), len(names))
	}
	for i, v := range got {
		if v != names[i] {
			t.Fatalf("var %d = %v, want %q", i, v, names[i])
		}
	}
}

// TestLoadsChainsThatOnceFailed: chains whose payloads earlier builds wrote
// but could not read back.
func TestLoadsChainsThatOnceFailed(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	chains := map[string]*gorm.DB{
		// Preload names are plain strings; reading them as interned
		// identifiers shifted every later reference by one.
		"preload names before interned types": db.Model(&fixture.Address{}).
			Preload("User", "name = @Name", fixture.User{Name: "a"}).
			Preload("User.Addresses", "email = @Name", fixture.User{Name: "b"}),
		// A join type GORM does not define is raw SQL, allowed unless
		// WithoutRawSQL.
		"join type GORM does not define": users(db).Clauses(clause.From{Joins: []clause.Join{{
			Type: "FULL OUTER", Table: clause.Table{Name: "addresses"},
			ON: clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "addresses.user_id = users.id"}}},
		}}}),
	}
	for name, chain := range chains {
		t.Run(name, func(t *testing.T) {
			loaded := mustLoad(t, mustDump(t, chain), db)
			want := chain.Session(&gorm.Session{DryRun: true}).Find(&[]fixture.Address{}).Statement
			got := loaded.Session(&gorm.Session{DryRun: true}).Find(&[]fixture.Address{}).Statement
			if want.SQL.String() != got.SQL.String() || !reflect.DeepEqual(want.Preloads, got.Preloads) {
				t.Fatalf("loaded chain renders %s %v, want %s %v", got.SQL.String(), got.Preloads, want.SQL.String(), want.Preloads)
			}
		})
	}
}

// TestLoadsEntriesStartEmpty: a join or preload written with fewer fields,
// loaded after a fuller one, must not keep the earlier one's conditions or
// arguments, whatever buffers the decoder keeps between payloads.
func TestLoadsEntriesStartEmpty(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	full := users(db).Joins("LEFT JOIN addresses AS a ON a.user_id = users.id AND a.email <> ?", "x").
		Preload("Addresses", "email <> ?", "y")
	bare := users(db).Joins("LEFT JOIN addresses AS a ON a.user_id = users.id").Preload("Addresses")
	fullData, bareData := mustDump(t, full), mustDump(t, bare)
	for range 3 {
		mustLoad(t, fullData, db)
		q := mustLoad(t, bareData, db)
		stmt := q.Session(&gorm.Session{DryRun: true}).Find(&[]fixture.User{}).Statement
		if want := renderSQL(t, bare); stmt.SQL.String() != want || len(stmt.Vars) != 0 {
			t.Fatalf("bare chain loaded after a full one renders %q %v, want %q []", stmt.SQL.String(), stmt.Vars, want)
		}
		if args := q.Statement.Preloads["Addresses"]; len(args) != 0 {
			t.Fatalf("bare Preload loaded after one with arguments has arguments %v", args)
		}
	}
}

func renderSQL(t *testing.T, tx *gorm.DB) string {
	t.Helper()
	return tx.Session(&gorm.Session{DryRun: true}).Find(&[]fixture.User{}).Statement.SQL.String()
}

// TestLoadsDeepNestingAndManyIdentifiers: statements nested deeper, and
// identifiers more numerous, than the decoder keeps in its fixed buffers
// (two scopes, eight identifiers) restore the same SQL as they are built.
func TestLoadsDeepNestingAndManyIdentifiers(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	build := func(db *gorm.DB) *gorm.DB {
		inner := users(db).Select("id").Where("name <> ?", "x")
		for depth := range 5 {
			if depth%2 == 0 {
				inner = addresses(db).Select("user_id").Where("user_id IN (?)", inner)
			} else {
				inner = users(db).Select("id").Where("id IN (?)", inner)
			}
		}
		q := users(db).Where("id IN (?)", inner)
		for i := range 12 {
			q = q.Where(clause.Eq{Column: clause.Column{Table: fmt.Sprintf("t%d", i), Name: fmt.Sprintf("c%d", i)}, Value: i})
		}
		return q
	}
	data := mustDump(t, build(db))
	loaded := mustLoad(t, data, db)
	want := build(db).Session(&gorm.Session{DryRun: true}).Find(&[]fixture.User{}).Statement
	got := loaded.Session(&gorm.Session{DryRun: true}).Find(&[]fixture.User{}).Statement
	if want.SQL.String() != got.SQL.String() || !reflect.DeepEqual(want.Vars, got.Vars) {
		t.Fatalf("loaded chain renders\n%s %v\nwant\n%s %v", got.SQL.String(), got.Vars, want.SQL.String(), want.Vars)
	}
	if strings.Count(got.SQL.String(), "SELECT") != 7 {
		t.Fatalf("want seven nested SELECTs in %s", got.SQL.String())
	}
}

// TestLoadsKeepsPropagatedUnscoped: with PropagateUnscoped, a chain GORM
// starts on an Unscoped DB is Unscoped, and so is one Loads restores there,
// whether or not the payload says so.
func TestLoadsKeepsPropagatedUnscoped(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	propagating := db.Session(&gorm.Session{NewDB: true})
	propagating.Config.PropagateUnscoped = true
	if !propagating.Unscoped().Model(&fixture.User{}).Statement.Unscoped {
		t.Fatal("GORM no longer propagates Unscoped to a new chain; revisit this test")
	}
	// With and without entries restored last (Select, Distinct).
	for _, chain := range []*gorm.DB{users(db).Where("name = ?", "ed"), users(db).Distinct().Select("name")} {
		data := mustDump(t, chain)
		if got := mustLoad(t, data, propagating.Unscoped()); !got.Statement.Unscoped {
			t.Fatalf("%s loaded onto an Unscoped DB with PropagateUnscoped is not Unscoped", renderSQL(t, chain))
		}
		if got := mustLoad(t, data, propagating); got.Statement.Unscoped {
			t.Fatalf("%s loaded onto a scoped DB is Unscoped", renderSQL(t, chain))
		}
	}
}
