package tests

import (
	"sync"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/serializer"
)

// The canaries. fzTableCanary is in tables no allow-list covers
// (admin_tokens, which no model maps, and fz_vaults, whose model is not
// allowed): it must never reach a row or an error. fzFieldCanary is in
// fz_accounts.password, the column the allow-list leaves out: a query on
// the account model returns it under its own column as any SELECT * does,
// so it may appear there only (see fzCheckRows). Neither string is in the
// generator's dictionary, and payloads holding their prefix are skipped.
const (
	fzTableCanary = "ZQXJ-admin-token-83kd"
	fzFieldCanary = "ZQXJ-password-71fa"
	fzCanaryMark  = "zqxj"
)

// fzTarget is FuzzPolicy's database: one in-memory SQLite database per
// process, with the strict plugin installed, seeded once.
type fzTarget struct {
	db  *gorm.DB
	reg *serializer.Registry
}

var (
	fzOnce sync.Once
	fzDB   fzTarget
	fzErr  error
)

// fzPolicy is the strict load policy under test.
func fzPolicy() []gormpickle.Option {
	return []gormpickle.Option{
		gormpickle.WithModels(append(fixture.Models(),
			gormpickle.NamedModel("account", &fzAccount{}), &fzSession{}, &fzVault{})...),
		gormpickle.WithTypes(fzFilter{}, fzStatus("")),
		gormpickle.WithReferencer("acct", fzRefs{}),
		gormpickle.WithoutRawSQL(),
		gormpickle.WithAllowedModels("fixture.User", "fixture.Address", "account", "tests.fzSession"),
		gormpickle.WithAllowedFields("account", "ID", "Login", "OwnerID", "ParentID"),
		gormpickle.WithAllowedFields("tests.fzSession", "ID", "AccountID", "Device"),
		gormpickle.WithRenamedFields("account", fzRenames["account"]),
		gormpickle.WithRenamedFields("tests.fzSession", fzRenames["tests.fzSession"]),
	}
}

// fzOpen returns the process's target, opening and seeding it on first use.
func fzOpen(tb testing.TB) fzTarget {
	fzOnce.Do(func() { fzDB, fzErr = fzOpenDB() })
	if fzErr != nil {
		tb.Fatal(fzErr)
	}
	return fzDB
}

func fzOpenDB() (fzTarget, error) {
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return fzTarget{}, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return fzTarget{}, err
	}
	sqlDB.SetMaxOpenConns(1) // one in-memory database
	plugin := shadowtest.New(nil, fzPolicy()...)
	if err := db.Use(plugin); err != nil {
		return fzTarget{}, err
	}
	if err := fixture.Seed(db); err != nil {
		return fzTarget{}, err
	}
	if err := fzSeed(db); err != nil {
		return fzTarget{}, err
	}
	if err := fzMeasure(db); err != nil {
		return fzTarget{}, err
	}
	return fzTarget{db: db, reg: plugin.Registry()}, nil
}

// fzSeed creates the test models' tables and the canary table.
func fzSeed(db *gorm.DB) error {
	if err := db.AutoMigrate(&fzAccount{}, &fzSession{}, &fzVault{}); err != nil {
		return err
	}
	one, two := uint(1), uint(2)
	accounts := []fzAccount{
		{ID: 1, Login: "alice", Password: fzFieldCanary, OwnerID: 7},
		{ID: 2, Login: "bob", Password: fzFieldCanary, OwnerID: 8, ParentID: &one},
		{ID: 3, Login: "carol", Password: fzFieldCanary, OwnerID: 8, ParentID: &two},
	}
	sessions := []fzSession{{ID: 1, AccountID: 1, Device: "phone"}, {ID: 2, AccountID: 1, Device: "laptop"}, {ID: 3, AccountID: 2, Device: "tablet"}}
	vaults := []fzVault{{ID: 1, AccountID: 1, Secret: fzTableCanary}, {ID: 2, AccountID: 3, Secret: fzTableCanary}}
	for _, rows := range []any{&accounts, &sessions, &vaults} {
		if err := db.Create(rows).Error; err != nil {
			return err
		}
	}
	if err := db.Exec("CREATE TABLE admin_tokens (id INTEGER PRIMARY KEY, token TEXT NOT NULL)").Error; err != nil {
		return err
	}
	return db.Exec("INSERT INTO admin_tokens (id, token) VALUES (1, ?), (2, ?)", fzTableCanary, fzTableCanary).Error
}
