package tests

import (
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// teamKeysIN is the condition GORM builds to preload a relation on a
// composite key: (team_org_id, team_id) IN ((1,1),(1,2)).
func teamKeysIN() clause.IN {
	return clause.IN{
		Column: []clause.Column{{Table: clause.CurrentTable, Name: "team_org_id"}, {Table: clause.CurrentTable, Name: "team_id"}},
		Values: []any{[]any{uint(1), uint(1)}, []any{uint(1), uint(2)}},
	}
}

// TestMultiColumnIN is issue #15 item 6: a multi-column IN (clause.IN over
// []clause.Column) travels without WithTypes(clause.Column{}), written by
// hand and as GORM builds it to preload a has-many relation on a composite
// key.
func TestMultiColumnIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openTeamsDB(t, db)
		checkFidelity(t, db, fidelityCase{dest: func() any { return &[]cpPlayer{} }, build: func(db *gorm.DB) *gorm.DB {
			return db.Model(&cpPlayer{}).Where(teamKeysIN()).Order("id")
		}})
		ran := captureQueries(t, db, func(tx *gorm.DB) error {
			return tx.Preload("Players").Where("org_id = ?", 1).Find(&[]cpTeam{}).Error
		})
		if len(ran) != 2 || !strings.Contains(ran[1].sql, "IN ((") {
			t.Fatalf("want the teams query and the players query on a composite key, got %d: %+v", len(ran), ran)
		}
		for _, q := range ran {
			checkRan(t, db, q)
		}
	})
}

// TestMultiColumnINStrict: under the strict policy every column of a
// multi-column IN is checked as any column is (a clause value written as
// a registered type's fields, which would pass no check, is refused in
// every mode: serializer.TestClauseTypesNotFieldByField).
func TestMultiColumnINStrict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openTeamsDB(t, db)
		players := func(db *gorm.DB) *gorm.DB { return db.Model(&cpPlayer{}).Where(teamKeysIN()).Order("id") }
		data := mustDump(t, players(db))
		playerID := "tests.cpPlayer"
		allowed := pluginDB(t, db, gormpickle.WithModels(cpModels()...), gormpickle.WithAllowedFields(playerID, "ID", "TeamOrgID", "TeamID"))
		loaded, err := gormpickle.Loads(data, allowed)
		if err != nil {
			t.Fatalf("allowed columns: %v", err)
		}
		sameStatement(t, fidelityCase{build: players, dest: func() any { return &[]cpPlayer{} }}, players(allowed), loaded)
		narrow := pluginDB(t, db, gormpickle.WithModels(cpModels()...), gormpickle.WithAllowedFields(playerID, "ID", "TeamID"))
		_, err = gormpickle.Loads(data, narrow)
		expectErr(t, err, gormpickle.ErrNotAllowed, "TeamOrgID")

	})
}
