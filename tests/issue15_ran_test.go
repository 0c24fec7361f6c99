package tests

import (
	"errors"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// A chain a finisher already ran on keeps what the finisher left in its
// statement, and GORM's next finisher on it depends on that: these tests
// dump such chains and compare the restored chain's next runs with the
// original's (issue #15, items 1 and 2).

// openStrict opens a second connection to db whose plugin applies the
// strict load policy.
func openStrict(t *testing.T, db *gorm.DB) *gorm.DB {
	t.Helper()
	strict := dbtest.Reopen(t, db)
	if err := strict.Use(shadowtest.New(t, pluginOptions(gormpickle.WithoutRawSQL())...)); err != nil {
		t.Fatal(err)
	}
	return strict
}

// branch returns a chain's branch, so that calls on it leave the chain as
// it is.
func branch(tx *gorm.DB) *gorm.DB { return tx.Session(&gorm.Session{}) }

// TestSoftDeleteAfterFinisher: a finisher adds the deleted_at condition to
// the chain's WHERE and marks the statement so that it is not added again.
// The restored chain must hold both: no second condition, and a later Or()
// joined as GORM joins it on the original (the pear row is soft-deleted, so
// regrouping the WHERE changes the rows).
func TestSoftDeleteAfterFinisher(t *testing.T) {
	finishers := map[string]func(q *gorm.DB) error{
		"Count": func(q *gorm.DB) error { var n int64; return q.Count(&n).Error },
		"Find":  func(q *gorm.DB) error { var rows []item; return q.Find(&rows).Error },
		"First": func(q *gorm.DB) error { var row item; return q.First(&row).Error },
		"Pluck": func(q *gorm.DB) error { var names []string; return q.Pluck("name", &names).Error },
	}
	orPear := func(tx *gorm.DB) *gorm.DB {
		return branch(tx).Or(clause.Eq{Column: clause.Column{Name: "name"}, Value: "pear"})
	}
	page := func(tx *gorm.DB) *gorm.DB { return branch(tx).Order("id").Limit(1).Offset(1) }
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		strict := openStrict(t, db)
		for name, run := range finishers {
			t.Run(name, func(t *testing.T) {
				q := items(db).Where(clause.Gt{Column: clause.Column{Name: "price"}, Value: 0.5})
				if err := run(q); err != nil {
					t.Fatal(err)
				}
				data := mustDump(t, q)
				loaded := mustLoad(t, data, db)
				sameRun(t, q, loaded, destItems, findInto)
				sameRun(t, orPear(q), orPear(loaded), destItems, findInto)
				sameRun(t, page(q), page(loaded), destItems, findInto)
				// The strict policy refuses the marker, as it refuses
				// Unscoped: alone it would read soft-deleted rows.
				if _, err := gormpickle.Loads(data, strict); !errors.Is(err, gormpickle.ErrNotAllowed) {
					t.Fatalf("strict Loads: %v, want ErrNotAllowed", err)
				}
			})
		}
	})
}

// TestRaiseErrorOnNotFoundRestored: First, Take and Last leave
// RaiseErrorOnNotFound on the chain, so GORM's next Find on it that finds
// nothing fails with ErrRecordNotFound. The restored chain must too.
func TestRaiseErrorOnNotFoundRestored(t *testing.T) {
	finishers := map[string]func(q *gorm.DB, dest any) *gorm.DB{
		"First": func(q *gorm.DB, dest any) *gorm.DB { return q.First(dest) },
		"Take":  func(q *gorm.DB, dest any) *gorm.DB { return q.Take(dest) },
		"Last":  func(q *gorm.DB, dest any) *gorm.DB { return q.Last(dest) },
	}
	none := func(tx *gorm.DB) *gorm.DB {
		return branch(tx).Where(clause.Gt{Column: clause.Column{Name: "id"}, Value: 100})
	}
	destUsers := func() any { return &[]fixture.User{} }
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		strict := openStrict(t, db)
		for name, run := range finishers {
			t.Run(name, func(t *testing.T) {
				q := users(db).Where(clause.Gt{Column: clause.Column{Name: "id"}, Value: 7})
				if err := run(q, &fixture.User{}).Error; err != nil {
					t.Fatal(err)
				}
				data := mustDump(t, q)
				for target, tdb := range map[string]*gorm.DB{"plugin": db, "strict": strict} {
					t.Run(target, func(t *testing.T) {
						loaded := mustLoad(t, data, tdb)
						if err := none(loaded).Find(&[]fixture.User{}).Error; !errors.Is(err, gorm.ErrRecordNotFound) {
							t.Fatalf("restored chain's empty Find: %v, want ErrRecordNotFound", err)
						}
						sameRun(t, q, loaded, destUsers, findInto)
						sameRun(t, none(q), none(loaded), destUsers, findInto)
					})
				}
			})
		}
	})
}
