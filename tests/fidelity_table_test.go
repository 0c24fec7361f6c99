package tests

import (
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// quotedPeople is the people table quoted as a user of the dialect writes
// it by hand: backquotes for SQLite and MySQL, double quotes for
// PostgreSQL.
func quotedPeople(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return `"people"`
	}
	return "`people`"
}

// TestQuotedTableKeepsQualifiers is issue #15 item 8. Table("`people`") is
// SQL to GORM: the FROM is `people` but the statement's table stays the
// model's, users, which qualifies the columns of a map condition (here the
// joined users table's). Restored as Table("people") it qualified them with
// people and read other rows. PostgreSQL's Table(`"people"`) keeps its
// quotes in the statement's table, which quotes to the same name: it is
// written as the name it is, which stays portable.
func TestQuotedTableKeepsQualifiers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		q := quotedPeople(db)
		for _, c := range []fidelityCase{
			{name: "joined model table", dest: func() any { return &[]fixture.User{} }, build: func(db *gorm.DB) *gorm.DB {
				return db.Model(&fixture.User{}).Table(q).Select("people.id, people.name").
					Joins("JOIN users ON users.id = people.id + 6").Where(map[string]any{"name": "ed"})
			}},
			{name: "own model table", dest: func() any { return &[]person{} }, build: func(db *gorm.DB) *gorm.DB {
				return db.Model(&person{}).Table(q).Where(map[string]any{"name": "bob"})
			}},
		} {
			t.Run(c.name, func(t *testing.T) { checkFidelity(t, db, c) })
		}
	})
}

// TestQuotedTableStrict: the quoted table of another model is raw SQL
// (SQLite, MySQL) or another model's table (PostgreSQL, where it is a
// name), refused either way under the strict policy; the quoted table of
// the statement's own model is its name and passes the policy.
func TestQuotedTableStrict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		q := quotedPeople(db)
		strict := pluginDB(t, db, pluginOptions(gormpickle.WithoutRawSQL())...)
		own := func(db *gorm.DB) *gorm.DB { return db.Model(&person{}).Table(q).Where(map[string]any{"name": "bob"}) }
		loaded, err := gormpickle.Loads(mustDump(t, own(db)), strict)
		if err != nil {
			t.Fatalf("own table under the strict policy: %v", err)
		}
		sameStatement(t, fidelityCase{build: own, dest: func() any { return &[]person{} }}, own(strict), loaded)

		other := mustDump(t, db.Model(&fixture.User{}).Table(q).Where(map[string]any{"name": "ed"}))
		_, err = gormpickle.Loads(other, strict)
		want := gormpickle.ErrRawSQL
		if db.Dialector.Name() == "postgres" {
			want = gormpickle.ErrNotAllowed
		}
		expectErr(t, err, want, "Table")
	})
}
