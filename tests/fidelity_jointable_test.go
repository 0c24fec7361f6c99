package tests

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// preloadMembers runs the composite-key many2many preload whose join-table
// query issue #15 items 6 and 7 are about.
func preloadMembers(tx *gorm.DB) error {
	return tx.Preload("Members").Order("org_id, id").Find(&[]cpTeam{}).Error
}

// joinTableQuery captures the queries of preloadMembers and returns the
// one on the join table.
func joinTableQuery(t *testing.T, db *gorm.DB) (*ranQuery, []*ranQuery) {
	t.Helper()
	ran := captureQueries(t, db, preloadMembers)
	for _, q := range ran {
		if strings.Contains(q.sql, "cp_team_members") {
			return q, ran
		}
	}
	t.Fatalf("no query on the join table among %d", len(ran))
	return nil, nil
}

// TestJoinTableModel is issue #15 item 7: GORM queries a many2many join
// table with a model it builds itself (an unnamed struct, which cannot be
// registered). It is written as its relation and built again on the
// target from the registered owner model.
func TestJoinTableModel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openTeamsDB(t, db)
		_, ran := joinTableQuery(t, db)
		if len(ran) != 3 {
			t.Fatalf("want the teams, join table and members queries, got %d", len(ran))
		}
		for _, q := range ran {
			checkRan(t, db, q)
		}
	})
}

// TestJoinTableModelStrict: under the strict policy the join table comes
// with its relation: read when both of the relation's models are allowed
// and so are the fields its keys copy, refused otherwise.
func TestJoinTableModelStrict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openTeamsDB(t, db)
		q, _ := joinTableQuery(t, db)
		team, member := "tests.cpTeam", "tests.cpMember"
		models := gormpickle.WithModels(cpModels()...)
		allowed := pluginDB(t, db, models, gormpickle.WithAllowedModels(team, member))
		checkRan(t, allowed, q)
		for _, c := range []struct {
			name string
			opts []gormpickle.Option
			want string
		}{
			{"owner not allowed", []gormpickle.Option{gormpickle.WithAllowedModels(member)}, team},
			{"related model not allowed", []gormpickle.Option{gormpickle.WithAllowedModels(team)}, member},
			{"key field not allowed", []gormpickle.Option{gormpickle.WithAllowedFields(team, "ID", "Name")}, "OrgID"},
		} {
			_, err := gormpickle.Loads(q.payload, pluginDB(t, db, append([]gormpickle.Option{models}, c.opts...)...))
			expectErr(t, err, gormpickle.ErrNotAllowed, c.want)
		}
	})
}
