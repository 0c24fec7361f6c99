package tests

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"
	gormcallbacks "gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// Dumps captures a chain where GORM would build its SQL: it runs what can
// change the statement and nothing after (issue #15, item 9).

// tenantScoped is the setting the tenancy callback marks a statement with,
// so that it scopes it once (it travels with the payload).
const tenantScoped = "tenant:scoped"

// tenancy is a multi-tenancy callback: it keeps queries on users away from
// user 10, as a plugin scoping every query to a tenant does.
func tenancy(db *gorm.DB) {
	if db.Statement.Schema == nil || db.Statement.Schema.Table != "users" {
		return
	}
	if _, done := db.Statement.Settings.Load(tenantScoped); done {
		return
	}
	db.Statement.Settings.Store(tenantScoped, true)
	db.Statement.AddClause(clause.Where{Exprs: []clause.Expression{
		clause.Neq{Column: clause.Column{Table: clause.CurrentTable, Name: "id"}, Value: 10},
	}})
}

// TestDumpsRunsNoCallbackAfterQuery: the application's callbacks after
// gorm:query (metrics, tracing, audit), registered before or after the
// plugin, anywhere after gorm:query, do not run for a Dumps, which sends no
// SQL; they run for the query itself.
func TestDumpsRunsNoCallbackAfterQuery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		var calls atomic.Int64
		count := func(*gorm.DB) { calls.Add(1) }
		query := db.Callback().Query()
		if err := query.After("gorm:query").Register("test:metrics_before_plugin", count); err != nil {
			t.Fatal(err)
		}
		db = openCorpusDB(t, db)
		for name, register := range map[string]func() error{
			"test:audit":   func() error { return query.After("gorm:query").Register("test:audit", count) },
			"test:tracing": func() error { return query.After("*").Register("test:tracing", count) },
			"test:plain":   func() error { return query.Register("test:plain", count) },
			"test:preload": func() error { return query.Before("gorm:preload").Register("test:preload", count) },
		} {
			if err := register(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		chain := users(db).Where("id > ?", 7).Preload("Addresses").
			Where("EXISTS (?)", addresses(db).Select("1").Where("addresses.user_id = users.id"))
		data := mustDump(t, chain)
		if n := calls.Load(); n != 0 {
			t.Fatalf("Dumps ran %d callbacks after gorm:query", n)
		}
		loaded := mustLoad(t, data, db)
		sameRun(t, chain, loaded, func() any { return &[]fixture.User{} }, findInto)
		if calls.Load() == 0 {
			t.Fatal("the callbacks did not run for the queries themselves")
		}
	})
}

// TestDumpsAppliesCallbacksBeforeQuery: a callback sorted before
// gorm:query changes the statement GORM runs, registered before the
// plugin or after it, so the payload holds what it added: a target
// without the callback (another process) runs what the original runs.
func TestDumpsAppliesCallbacksBeforeQuery(t *testing.T) {
	for _, order := range []string{"before the plugin", "after the plugin"} {
		t.Run(order, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				register := func() {
					if err := db.Callback().Query().Before("gorm:query").Register("test:tenancy", tenancy); err != nil {
						t.Fatal(err)
					}
				}
				if order == "before the plugin" {
					register()
				}
				db = openCorpusDB(t, db)
				if order == "after the plugin" {
					register()
				}
				bare := dbtest.Reopen(t, db)
				if err := bare.Use(shadowtest.New(t, pluginOptions()...)); err != nil {
					t.Fatal(err)
				}
				chain := users(db).Where("id > ?", 7).Order("id")
				data := mustDump(t, chain)
				destUsers := func() any { return &[]fixture.User{} }
				sameRun(t, chain, mustLoad(t, data, bare), destUsers, findInto)
				// With the callback on the target too, its mark travelled
				// with the payload: it does not scope the statement twice.
				sameRun(t, chain, mustLoad(t, data, db), destUsers, findInto)
			})
		})
	}
}

// TestDumpsAfterGormQueryReplaced: a plugin installed after gormpickle that
// replaces gorm:query (caching plugins do) removes the capture; Dumps says
// so, and queries run as that plugin makes them.
func TestDumpsAfterGormQueryReplaced(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		if err := db.Callback().Query().Replace("gorm:query", gormcallbacks.Query); err != nil {
			t.Fatal(err)
		}
		_, err := gormpickle.Dumps(users(db))
		if !errors.Is(err, gormpickle.ErrNoPlugin) || !strings.Contains(err.Error(), "replaced") {
			t.Fatalf("Dumps: %v, want ErrNoPlugin saying gorm:query was replaced", err)
		}
		var n int64
		if err := users(db).Count(&n).Error; err != nil || n != 4 {
			t.Fatalf("Count: %d, %v", n, err)
		}
	})
}
