package tests

import (
	"reflect"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// TestCrossDatabase dumps every corpus case on each backend and loads it
// on each other one: the loaded chain must render what the target renders
// natively and return the same rows.
func TestCrossDatabase(t *testing.T) {
	dbs := map[string]*gorm.DB{}
	for _, name := range dbtest.Backends {
		if !dbtest.Available(name) {
			t.Logf("backend %s skipped: not configured", name)
			continue
		}
		dbs[name] = openCorpusDB(t, dbtest.Open(t, name))
	}
	for _, from := range dbtest.Backends {
		for _, to := range dbtest.Backends {
			source, target := dbs[from], dbs[to]
			if source == nil || target == nil || from == to {
				continue
			}
			t.Run(from+"_to_"+to, func(t *testing.T) {
				for _, c := range conformance {
					t.Run(c.name, func(t *testing.T) {
						for _, backend := range []string{from, to} {
							if reason, ok := c.skip[backend]; ok {
								t.Skip(reason)
							}
						}
						checkRoundTrip(t, c, source, target)
					})
				}
			})
		}
	}
}

// TestNamingStrategyReassociation dumps structured queries on a DB whose
// tables are prefixed a_ and loads them on DBs prefixed b_ (and, for
// column names, one that keeps Go's upper-case names): tables and columns
// are re-derived on the target from the model and its fields.
func TestNamingStrategyReassociation(t *testing.T) {
	cases := []struct {
		name  string
		build func(db *gorm.DB) *gorm.DB
		want  []string // user names the target returns
	}{
		{"struct", func(db *gorm.DB) *gorm.DB {
			return db.Model(&fixture.User{}).Where(&fixture.User{ID: 8})
		}, []string{"edward"}},
		{"map_and_order_by_column", func(db *gorm.DB) *gorm.DB {
			return db.Model(&fixture.User{}).Where(map[string]any{"id": []int{8, 9}}).
				Order(clause.OrderByColumn{Column: clause.Column{Name: "id"}, Desc: true})
		}, []string{"fred", "edward"}},
		{"group_by_field", func(db *gorm.DB) *gorm.DB {
			return db.Model(&fixture.User{}).Select("name").Group("name").Where(&fixture.User{ID: 8})
		}, []string{"edward"}},
		{"subquery", func(db *gorm.DB) *gorm.DB {
			return db.Model(&fixture.User{}).Where(clause.Expr{SQL: "? IN (?)", Vars: []any{clause.PrimaryColumn,
				db.Model(&fixture.Address{}).Select("user_id").Where(&fixture.Address{ID: 2})}})
		}, []string{"edward"}},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		source := namedDB(t, db, schema.NamingStrategy{TablePrefix: "a_"})
		targets := map[string]*gorm.DB{
			"prefix":            namedDB(t, db, schema.NamingStrategy{TablePrefix: "b_"}),
			"prefix_upper_case": namedDB(t, db, schema.NamingStrategy{TablePrefix: "c_", NoLowerCase: true}),
		}
		for targetName, target := range targets {
			for _, c := range cases {
				t.Run(targetName+"/"+c.name, func(t *testing.T) {
					data, err := gormpickle.Dumps(c.build(source))
					if err != nil {
						t.Fatal(err)
					}
					loaded, err := gormpickle.Loads(data, target)
					if err != nil {
						t.Fatal(err)
					}
					if targetName == "prefix" {
						want, got := render(t, roundTrip{}, c.build(target)), render(t, roundTrip{}, loaded)
						if want.SQL != got.SQL {
							t.Fatalf("SQL differs\nnative on target: %s\nloaded:           %s", want.SQL, got.SQL)
						}
					}
					var rows []fixture.User
					if err := loaded.Find(&rows).Error; err != nil {
						t.Fatalf("loaded chain on the target: %v", err)
					}
					var names []string
					for _, u := range rows {
						names = append(names, u.Name)
					}
					if !reflect.DeepEqual(names, c.want) {
						t.Fatalf("got %v, want %v (the target's rows)", names, c.want)
					}
				})
			}
		}
	})
}

// namedDB opens another connection to db's database with a naming
// strategy, installs the plugin and seeds the fixture under that naming,
// with user 8 renamed "edward" so the target's rows are recognisable.
func namedDB(t *testing.T, db *gorm.DB, naming schema.NamingStrategy) *gorm.DB {
	t.Helper()
	named := dbtest.Reopen(t, db, &gorm.Config{NamingStrategy: naming})
	if err := named.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...))); err != nil {
		t.Fatal(err)
	}
	if err := fixture.Seed(named); err != nil {
		t.Fatal(err)
	}
	if err := named.Model(&fixture.User{ID: 8}).Update("Name", "edward").Error; err != nil {
		t.Fatal(err)
	}
	return named
}
