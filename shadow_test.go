package gormpickle_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/callbacks"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// divergences collects what the shadow check reports.
type divergences struct {
	mu   sync.Mutex
	list []gormpickle.Divergence
}

func (d *divergences) report(x gormpickle.Divergence) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.list = append(d.list, x)
}

func (d *divergences) take() []gormpickle.Divergence {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.list
	d.list = nil
	return out
}

// shadowDB seeds the fixture on db and installs the plugin with the
// shadow check reporting into the returned collector.
func shadowDB(t *testing.T, db *gorm.DB) (*gorm.DB, *divergences) {
	t.Helper()
	if err := fixture.Seed(db); err != nil {
		t.Fatal(err)
	}
	var got divergences
	on := dbtest.Reopen(t, db)
	if err := on.Use(gormpickle.New(gormpickle.WithModels(fixture.Models()...), gormpickle.WithShadowCheck(got.report))); err != nil {
		t.Fatal(err)
	}
	return on, &got
}

// unregistered is a named type no registry knows: statements holding it
// cannot be dumped.
type unregistered string

func TestShadowCheckQuietOnMatchingStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on, got := shadowDB(t, db)
		var n int64
		var names []string
		users := func() *[]fixture.User { return &[]fixture.User{} }
		steps := []struct {
			name string
			run  func() error
		}{
			{"find", func() error { return on.Where("id > ?", 7).Order("id").Find(users()).Error }},
			{"first", func() error { return on.First(&fixture.User{}, 8).Error }},
			{"first with conditions", func() error { return on.Where("name <> ?", "x").First(&fixture.User{}).Error }},
			{"first by primary key", func() error { return on.First(&fixture.User{ID: 9}).Error }},
			{"preload", func() error { return on.Preload("Addresses", "email LIKE ?", "%@%").Find(users()).Error }},
			{"joins", func() error {
				return on.Joins("User").Where("addresses.id IN ?", []int{1, 2}).Find(&[]fixture.Address{}).Error
			}},
			{"count", func() error {
				return on.Model(&fixture.User{}).Where("name IN ?", []string{"ed", "jack"}).Count(&n).Error
			}},
			{"pluck", func() error { return on.Model(&fixture.User{}).Order("id").Pluck("name", &names).Error }},
			{"scan", func() error { return on.Table("users").Select("name").Where("id = ?", 9).Scan(&names).Error }},
			{"row", func() error { return on.Model(&fixture.User{}).Select("count(*)").Row().Scan(&n) }},
			{"raw", func() error { return on.Raw("SELECT name FROM users WHERE id = ?", 10).Scan(&names).Error }},
			{"exec", func() error { return on.Exec("UPDATE users SET name = ? WHERE id = ?", "chuck", 10).Error }},
			{"subquery", func() error {
				return on.Where("id IN (?)", on.Model(&fixture.Address{}).Select("user_id")).Find(users()).Error
			}},
			{"struct where", func() error { return on.Where(&fixture.User{Name: "ed"}).Find(users()).Error }},
			{"clause", func() error {
				return on.Clauses(clause.Eq{Column: clause.Column{Name: "name"}, Value: "fred"}).Find(users()).Error
			}},
			{"dry run", func() error { return on.Session(&gorm.Session{DryRun: true}).Where("id = ?", 1).Find(users()).Error }},
			{"not found", func() error { return ignore(on.First(&fixture.User{}, 999).Error, gorm.ErrRecordNotFound) }},
			{"missing table", func() error { return ignoreAny(on.Table("no_such_table").Find(users()).Error) }},
		}
		for _, step := range steps {
			name := step.name
			if err := step.run(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, d := range got.take() {
				t.Errorf("%s: %s", name, d)
			}
		}
	})
}
func ignore(err, want error) error {
	if errors.Is(err, want) {
		return nil
	}
	return err
}

func ignoreAny(err error) error {
	if err == nil {
		return errors.New("the statement did not fail")
	}
	return nil
}

func TestShadowCheckReportsUnsupported(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on, got := shadowDB(t, db)
		var users []fixture.User
		if err := on.Where("name = ?", unregistered("ed")).Find(&users).Error; err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 {
			t.Fatalf("the statement did not run as it would: %v", users)
		}
		ds := got.take()
		if len(ds) != 1 || ds[0].Kind != gormpickle.DivergenceUnsupported || !errors.Is(ds[0].Err, gormpickle.ErrNotSerializable) {
			t.Fatalf("got %v, want one DivergenceUnsupported with ErrNotSerializable", ds)
		}
		if !strings.Contains(ds[0].SQL, "users") || ds[0].Processor != "query" {
			t.Fatalf("divergence does not name the statement: %s", ds[0])
		}
	})
}

// onRestored registers a callback before gorm:query that adds a LIMIT 6
// to capture runs only: a restored statement renders differently from
// the original, as a callback that misbehaves on loaded chains would.
func onRestored(t *testing.T, db *gorm.DB, fn func(*gorm.DB)) {
	t.Helper()
	err := db.Callback().Query().Before("gorm:query").Register("test:on_restored", func(tx *gorm.DB) {
		if _, marked := tx.Statement.Settings.Load(callbacks.MarkerKey); marked {
			fn(tx)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestShadowCheckReportsDivergences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on, got := shadowDB(t, db)
		six := 6
		onRestored(t, on, func(tx *gorm.DB) { tx.Statement.AddClause(clause.Limit{Limit: &six}) })

		var users []fixture.User
		if err := on.Where("id > ?", 7).Order("id").Find(&users).Error; err != nil {
			t.Fatal(err)
		}
		if len(users) != 3 {
			t.Fatalf("the application's result changed: %v", users)
		}
		ds := got.take()
		if len(ds) != 1 || ds[0].Kind != gormpickle.DivergenceSQL {
			t.Fatalf("got %v, want one DivergenceSQL", ds)
		}
		d := ds[0]
		if strings.Contains(d.SQL, "LIMIT") || !strings.Contains(d.RestoredSQL, "LIMIT") || d.Processor != "query" || len(d.Payload) == 0 {
			t.Fatalf("divergence does not show both statements: %s", d)
		}
	})
}

func TestShadowCheckReportsTheFirstDifferentVar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on, got := shadowDB(t, db)
		// Restored statements get their condition's value changed.
		onRestored(t, on, func(tx *gorm.DB) {
			tx.Statement.Clauses["WHERE"] = clause.Clause{Name: "WHERE", Expression: clause.Where{
				Exprs: []clause.Expression{clause.Expr{SQL: "name <> ? AND id > ?", Vars: []any{"x", 8}}}}}
		})
		var users []fixture.User
		if err := on.Where("name <> ? AND id > ?", "x", 7).Order("id").Find(&users).Error; err != nil {
			t.Fatal(err)
		}
		if len(users) != 3 {
			t.Fatalf("the application's result changed: %v", users)
		}
		ds := got.take()
		if len(ds) != 1 || ds[0].Kind != gormpickle.DivergenceVars || ds[0].SQL != ds[0].RestoredSQL {
			t.Fatalf("got %v, want one DivergenceVars", ds)
		}
		if d := ds[0]; d.Var != 1 || d.Vars[1] != 7 || d.RestoredVars[1] != 8 {
			t.Fatalf("var %d: %v vs %v, want var 1: 7 vs 8", d.Var, d.Vars, d.RestoredVars)
		}
	})
}
