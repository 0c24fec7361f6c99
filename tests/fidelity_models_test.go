package tests

import (
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// cpTeam has a composite primary key: its has-many and many2many relations
// make GORM build multi-column IN conditions (issue #15 items 6 and 7).
type cpTeam struct {
	OrgID   uint `gorm:"primaryKey;autoIncrement:false"`
	ID      uint `gorm:"primaryKey;autoIncrement:false"`
	Name    string
	Players []cpPlayer `gorm:"foreignKey:TeamOrgID,TeamID;references:OrgID,ID"`
	Members []cpMember `gorm:"many2many:cp_team_members"`
}

type cpPlayer struct {
	ID        uint `gorm:"primaryKey;autoIncrement:false"`
	TeamOrgID uint
	TeamID    uint
	Name      string
}

type cpMember struct {
	ID   uint `gorm:"primaryKey;autoIncrement:false"`
	Name string
}

func cpModels() []any { return []any{&cpTeam{}, &cpPlayer{}, &cpMember{}} }

// openTeamsDB installs the plugin with the composite-key models (and
// opts) on db and seeds them: org 1 has teams 1 and 2, org 2 team 1.
func openTeamsDB(t *testing.T, db *gorm.DB, opts ...gormpickle.Option) *gorm.DB {
	t.Helper()
	if err := db.Use(shadowtest.New(t, append([]gormpickle.Option{gormpickle.WithModels(cpModels()...)}, opts...)...)); err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(cpModels()...); err != nil {
		t.Fatal(err)
	}
	members := []cpMember{{ID: 1, Name: "ann"}, {ID: 2, Name: "bob"}, {ID: 3, Name: "cy"}}
	teams := []cpTeam{
		{OrgID: 1, ID: 1, Name: "red", Members: members[:2]},
		{OrgID: 1, ID: 2, Name: "blue", Members: members[1:]},
		{OrgID: 2, ID: 1, Name: "green", Members: members[2:]},
	}
	players := []cpPlayer{{ID: 1, TeamOrgID: 1, TeamID: 1, Name: "p1"}, {ID: 2, TeamOrgID: 1, TeamID: 2, Name: "p2"}, {ID: 3, TeamOrgID: 2, TeamID: 1, Name: "p3"}}
	if err := db.Create(&teams).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&players).Error; err != nil {
		t.Fatal(err)
	}
	return db
}
