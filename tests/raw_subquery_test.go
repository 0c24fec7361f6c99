package tests

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/serializer"
)

// rawUser and rawTag are the tables of the raw SQL tests.
type rawUser struct {
	ID   uint `gorm:"primaryKey;autoIncrement:false"`
	Name string
	Age  int
}

type rawTag struct {
	ID     uint `gorm:"primaryKey;autoIncrement:false"`
	UserID uint
	Label  string
}

// quoted quotes name as db's dialect does.
func quoted(db *gorm.DB, name string) string {
	var b strings.Builder
	db.Dialector.QuoteTo(&b, name)
	return b.String()
}

// rawCase builds raw SQL on a DB: the same call on every dialect, so what
// it builds on the target by hand is what a payload dumped on any source
// must restore there.
type rawCase struct {
	name  string
	build func(db *gorm.DB) *gorm.DB
}

var rawCases = []rawCase{
	{"subquery", func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT * FROM (?) AS t WHERE t.age > ? ORDER BY t.age",
			db.Model(&rawUser{}).Select("name, age").Where("age > ?", 1), 2)
	}},
	{"hand_quoted", func(db *gorm.DB) *gorm.DB {
		q := func(s string) string { return quoted(db, s) }
		return db.Raw("SELECT "+q("raw_users")+"."+q("name")+", "+q("age")+" FROM "+q("raw_users")+
			" WHERE "+q("age")+" >= ? ORDER BY "+q("raw_users.id"), 2)
	}},
	{"literals_and_comments", func(db *gorm.DB) *gorm.DB {
		// The subquery's conditions have no vars, so GORM keeps their
		// '?' as text, ahead of the outer placeholder.
		sub := db.Model(&rawUser{}).Select("id, name, age").
			Where("name <> 'it''s \"x\" `y` ? mail@Name' /* a \"c\" `d` ? */")
		return db.Raw("SELECT t.name, 'mail@Name' AS note FROM (?) AS t WHERE t.age > ? ORDER BY t.name -- done? `e` \"f\"", sub, 1)
	}},
}

// rawDBs opens every configured backend, with the raw tables seeded.
func rawDBs(t *testing.T) map[string]*gorm.DB {
	dbs := map[string]*gorm.DB{}
	for _, name := range dbtest.Backends {
		if !dbtest.Available(name) {
			t.Logf("backend %s skipped: not configured", name)
			continue
		}
		db := dbtest.Open(t, name)
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(&rawUser{}, &rawTag{}))); err != nil {
			t.Fatal(err)
		}
		if err := db.AutoMigrate(&rawUser{}, &rawTag{}); err != nil {
			t.Fatal(err)
		}
		users := []rawUser{{1, "ann", 1}, {2, "bob", 2}, {3, "cy", 3}, {4, "dee", 4}, {5, "it's \"x\" `y` ? mail@Name", 5}}
		tags := []rawTag{{1, 2, "x"}, {2, 4, "x"}, {3, 3, "y"}}
		if err := db.Create(&users).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Create(&tags).Error; err != nil {
			t.Fatal(err)
		}
		dbs[name] = db
	}
	return dbs
}

// eachRawPair runs fn for every source and target backend, the same one
// included.
func eachRawPair(t *testing.T, fn func(t *testing.T, source, target *gorm.DB)) {
	dbs := rawDBs(t)
	for _, from := range dbtest.Backends {
		for _, to := range dbtest.Backends {
			if dbs[from] == nil || dbs[to] == nil {
				continue
			}
			t.Run(from+"_to_"+to, func(t *testing.T) { fn(t, dbs[from], dbs[to]) })
		}
	}
}

// sameSQL fails unless got holds the SQL and vars want holds.
func sameSQL(t *testing.T, want, got *gorm.DB) {
	t.Helper()
	if w, g := want.Statement.SQL.String(), got.Statement.SQL.String(); w != g {
		t.Fatalf("SQL differs\nbuilt on the target: %s\nloaded:              %s", w, g)
	}
	if w, g := fmt.Sprint(want.Statement.Vars), fmt.Sprint(got.Statement.Vars); w != g {
		t.Fatalf("vars differ: built on the target %s, loaded %s", w, g)
	}
}

// TestRawSubqueryAcrossDialects dumps raw SQL whose text holds the source
// dialect's quoted identifiers (a subquery's, the application's own) on
// each backend and loads it on each: the loaded chain must hold the SQL
// the same call builds on the target, and return its rows.
func TestRawSubqueryAcrossDialects(t *testing.T) {
	eachRawPair(t, func(t *testing.T, source, target *gorm.DB) {
		for _, c := range rawCases {
			t.Run(c.name, func(t *testing.T) {
				data, err := gormpickle.Dumps(c.build(source))
				if err != nil {
					t.Fatal(err)
				}
				loaded, err := gormpickle.Loads(data, target)
				if err != nil {
					t.Fatal(err)
				}
				sameSQL(t, c.build(target), loaded)
				var want, got []map[string]any
				if err := c.build(target).Scan(&want).Error; err != nil {
					t.Fatalf("built on the target: %v", err)
				}
				if err := loaded.Scan(&got).Error; err != nil {
					t.Fatalf("loaded: %v", err)
				}
				if len(want) == 0 || fmt.Sprint(want) != fmt.Sprint(got) {
					t.Fatalf("rows differ\nbuilt on the target: %v\nloaded:              %v", want, got)
				}
			})
		}
	})
}

// TestRawExecSubqueryAcrossDialects dumps an UPDATE with a subquery, built
// by Exec in a DryRun session, and runs it on each target: it must update
// the rows the same Exec updates there.
func TestRawExecSubqueryAcrossDialects(t *testing.T) {
	exec := func(db *gorm.DB) *gorm.DB {
		return db.Session(&gorm.Session{DryRun: true}).Exec("UPDATE raw_users SET age = age + ? WHERE id IN (?)",
			10, db.Model(&rawTag{}).Select("user_id").Where("label = ?", "x"))
	}
	eachRawPair(t, func(t *testing.T, source, target *gorm.DB) {
		data, err := gormpickle.Dumps(exec(source))
		if err != nil {
			t.Fatal(err)
		}
		errRollback := errors.New("rollback")
		err = target.Transaction(func(tx *gorm.DB) error {
			loaded, err := gormpickle.Loads(data, tx)
			if err != nil {
				return err
			}
			sameSQL(t, exec(tx), loaded)
			if ran := loaded.Callback().Raw().Execute(loaded); ran.Error != nil || ran.RowsAffected != 2 {
				return fmt.Errorf("loaded UPDATE: %v, %d rows", ran.Error, ran.RowsAffected)
			}
			var ages []int
			if err := tx.Model(&rawUser{}).Order("id").Pluck("age", &ages).Error; err != nil {
				return err
			}
			if want := []int{1, 12, 3, 14, 5}; !reflect.DeepEqual(ages, want) {
				return fmt.Errorf("ages %v after the loaded UPDATE, want %v", ages, want)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
	})
}

// TestRawQuotedIdentifierRefused: a quoted name no other dialect could
// quote back as the one name (one holding a dot) makes Dumps fail with a
// typed error naming it, rather than restore other SQL.
func TestRawQuotedIdentifierRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(&rawUser{}))); err != nil {
			t.Fatal(err)
		}
		odd := quoted(db, "x")
		odd = odd[:1] + "odd.name" + odd[2:]
		_, err := gormpickle.Dumps(db.Raw("SELECT name AS "+odd+" FROM raw_users WHERE id = ?", 1))
		var ute *serializer.UnsupportedTypeError
		if !errors.Is(err, gormpickle.ErrNotSerializable) || !errors.As(err, &ute) || !strings.Contains(err.Error(), odd) {
			t.Fatalf("got %v, want ErrNotSerializable naming %s", err, odd)
		}
	})
}

// TestRawIdentifiersStrictPolicy: raw SQL stays refused under the strict
// policy, identifiers travelling as columns or not.
func TestRawIdentifiersStrictPolicy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(&rawUser{}))); err != nil {
			t.Fatal(err)
		}
		data, err := gormpickle.Dumps(rawCases[0].build(db))
		if err != nil {
			t.Fatal(err)
		}
		strict := dbtest.Reopen(t, db)
		if err := strict.Use(shadowtest.New(t, gormpickle.WithModels(&rawUser{}), gormpickle.WithoutRawSQL())); err != nil {
			t.Fatal(err)
		}
		if _, err := gormpickle.Loads(data, strict); !errors.Is(err, gormpickle.ErrRawSQL) {
			t.Fatalf("got %v, want ErrRawSQL", err)
		}
	})
}
