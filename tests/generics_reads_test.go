package tests

import (
	"database/sql"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/fixture"
)

func gByID(db *gorm.DB) gUser { return gIDGt(db, 7) }

// gReads: the reading finishers of GORM's generics API (First, Take,
// Last, Find, FindInBatches, Count, Scan, Row, Rows).
func gReads() []gCase {
	return []gCase{
		gq("First", gByID, byID, gOne[fixture.User]("First")),
		gq("First/not_found", func(db *gorm.DB) gUser { return gU(db).Where("id > ?", 100) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", 100) }, gOne[fixture.User]("First")),
		gq("First/preload_joins", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), left).Preload("User.Addresses", nil).Where("addresses.id > ?", 2)
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("User").Preload("User.Addresses").Where("addresses.id > ?", 2)
		}, gOne[fixture.Address]("First")),
		gq("Take", gByID, byID, gOne[fixture.User]("Take")),
		gq("Take/locking_opts", func(db *gorm.DB) gUser {
			return gorm.G[fixture.User](db, clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", 8)
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", 8)
		}, gOne[fixture.User]("Take")),
		gq("Last", func(db *gorm.DB) gUser { return gU(db).Where("id < ?", 10) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id < ?", 10) }, gOne[fixture.User]("Last")),
		gq("Last/with_order", func(db *gorm.DB) gUser { return gU(db).Order("name") },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("name") }, gOne[fixture.User]("Last")),
		gq("Find", gByID, byID, gFind[fixture.User]()),
		gq("FindInBatches", func(db *gorm.DB) gUser { return gU(db).Where("id > ?", 0) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", 0) }, gBatches[fixture.User](3)),
		gq("FindInBatches/limit", func(db *gorm.DB) gUser { return gU(db).Limit(3) },
			func(db *gorm.DB) *gorm.DB { return users(db).Limit(3) }, gBatches[fixture.User](2)),
		// No FindInBatches with a generics Preload: GORM panics on the
		// chain built by hand (its Preload function reads the chain's
		// statement, which FindInBatches never parses: generics.go:491).
		gq("Count", func(db *gorm.DB) gUser { return gU(db).Where("id > ?", 7) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", 7) }, gCount[fixture.User]("*")),
		gq("Count/column", func(db *gorm.DB) gAddress { return gA(db).Where("id > ?", 1) },
			func(db *gorm.DB) *gorm.DB { return addresses(db).Where("id > ?", 1) }, gCount[fixture.Address]("user_id")),
		gq("Count/distinct", func(db *gorm.DB) gAddress { return gA(db).Distinct("user_id") },
			func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct("user_id") }, gCount[fixture.Address]("user_id")),
		gq("Count/group", func(db *gorm.DB) gAddress { return gA(db).Group("user_id") },
			func(db *gorm.DB) *gorm.DB { return addresses(db).Group("user_id") }, gCount[fixture.Address]("*")),
		gq("Count/joins", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), left).Where("name = ?", "ed")
		}, func(db *gorm.DB) *gorm.DB { return addresses(db).Joins("User").Where("name = ?", "ed") }, gCount[fixture.Address]("*")),
		gq("Count/soft_delete", func(db *gorm.DB) gItem { return gI(db).Where("qty > ?", 1) },
			func(db *gorm.DB) *gorm.DB { return items(db).Where("qty > ?", 1) }, gCount[item]("*")),
		gq("Count/preload_order_limit", func(db *gorm.DB) gUser { return gU(db).Preload("Addresses", nil).Order("name").Limit(2) },
			func(db *gorm.DB) *gorm.DB { return users(db).Preload("Addresses").Order("name").Limit(2) }, gCount[fixture.User]("*")),
		gq("Scan", func(db *gorm.DB) gUser { return gByID(db).Select("id, name") },
			func(db *gorm.DB) *gorm.DB { return byID(db).Select("id, name") }, gScan[fixture.User](destIDNames)),
		gq("Scan/aggregate", func(db *gorm.DB) gAddress {
			return gA(db).Select("users.name, count(*) AS n").Joins(clause.InnerJoin.Association("User").As("users"), left).Group("users.name").Order("users.name")
		}, nil, gScan[fixture.Address](destNameCount)),
		gq("Scan/maps", func(db *gorm.DB) gUser { return gByID(db).Select("name") },
			func(db *gorm.DB) *gorm.DB { return byID(db).Select("name") }, gScan[fixture.User](destMaps)),
		gq("Row", func(db *gorm.DB) gUser { return gU(db).Select("id, name").Where("id = ?", 9) },
			func(db *gorm.DB) *gorm.DB { return users(db).Select("id, name").Where("id = ?", 9) }, gRow[fixture.User](2)),
		gq("Row/count", func(db *gorm.DB) gAddress { return gA(db).Select("count(*)").Where("user_id = ?", 8) },
			func(db *gorm.DB) *gorm.DB { return addresses(db).Select("count(*)").Where("user_id = ?", 8) }, gRow[fixture.Address](1)),
		gq("Rows", func(db *gorm.DB) gUser { return gByID(db).Select("id", "name") },
			func(db *gorm.DB) *gorm.DB { return byID(db).Select("id", "name") }, gRows[fixture.User]()),
		gq("Rows/named", func(db *gorm.DB) gAddress {
			return gA(db).Select("email").Where("user_id = @u", sql.Named("u", 8)).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Select("email").Where("user_id = @u", sql.Named("u", 8)).Order("id")
		}, gRows[fixture.Address]()),
		gq("Rows/joins", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), left).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB { return addresses(db).Joins("User").Order("addresses.id") }, gRows[fixture.Address]()),
		gq("Preload", func(db *gorm.DB) gUser { return gIDGt(db, 7).Preload("Addresses", nil) },
			func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Preload("Addresses") }, gFind[fixture.User]()),
		gq("Preload/belongs_to", func(db *gorm.DB) gAddress { return gA(db).Preload("User", nil).Order("id") },
			func(db *gorm.DB) *gorm.DB { return addresses(db).Preload("User").Order("id") }, gFind[fixture.Address]()),
		gq("Preload/nested", func(db *gorm.DB) gNote { return gN(db).Preload("Address.User.Addresses", nil).Order("id") },
			func(db *gorm.DB) *gorm.DB { return notes(db).Preload("Address.User.Addresses").Order("id") }, gFind[confNote]()),
		// No Preload(clause.Associations): GORM's generics Preload looks it
		// up as a relation and fails (TestDumpsGRefusals).
		gq("Preload/function", func(db *gorm.DB) gUser {
			return gIDGt(db, 6).Preload("Addresses", func(db gorm.PreloadBuilder) error {
				db.Order("email DESC").Where("id <> ?", 3)
				return nil
			})
		}, func(db *gorm.DB) *gorm.DB {
			return idGt(6)(db).Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Order("email DESC").Where("id <> ?", 3) })
		}, gFind[fixture.User]()),
		gq("Preload/function_limit", func(db *gorm.DB) gUser {
			return gIDGt(db, 6).Preload("Addresses", func(db gorm.PreloadBuilder) error {
				db.Order("id").Limit(2).Offset(1)
				return nil
			})
		}, func(db *gorm.DB) *gorm.DB {
			return idGt(6)(db).Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Order("id").Limit(2).Offset(1) })
		}, gFind[fixture.User]()),
		gq("Preload/omit_select", func(db *gorm.DB) gUser {
			return gIDGt(db, 6).Preload("Addresses", func(db gorm.PreloadBuilder) error {
				db.Select("id", "user_id", "email").Omit("email")
				return nil
			})
		}, func(db *gorm.DB) *gorm.DB {
			return idGt(6)(db).Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Select([]string{"id", "user_id", "email"}).Omit("email") })
		}, gFind[fixture.User]()),
		gq("Preload/soft_deleted", func(db *gorm.DB) gNote { return gN(db).Preload("Item", nil).Order("id") },
			func(db *gorm.DB) *gorm.DB { return notes(db).Preload("Item").Order("id") }, gFind[confNote]()),
		gq("Preload/many2many", func(db *gorm.DB) gPost {
			return gP(db).Preload("Tags", func(db gorm.PreloadBuilder) error {
				db.Where("name <> ?", "go").Order("name")
				return nil
			}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return posts(db).Preload("Tags", func(tx *gorm.DB) *gorm.DB { return tx.Where("name <> ?", "go").Order("name") }).Order("id")
		}, gFind[confPost]()),
		gq("Preload/polymorphic", func(db *gorm.DB) gPost {
			return gP(db).Preload("Comments", func(db gorm.PreloadBuilder) error {
				db.Order("id desc")
				return nil
			}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return posts(db).Preload("Comments", func(tx *gorm.DB) *gorm.DB { return tx.Order("id desc") }).Order("id")
		}, gFind[confPost]()),
		gq("Preload/has_one_and_self", func(db *gorm.DB) gPost {
			return gP(db).Preload("Cover", nil).Preload("Parent.Tags", nil).Order("id")
		}, func(db *gorm.DB) *gorm.DB { return posts(db).Preload("Cover").Preload("Parent.Tags").Order("id") }, gFind[confPost]()),
		gq("Preload/limit_per_record", func(db *gorm.DB) gUser {
			return gIDGt(db, 6).Preload("Addresses", func(db gorm.PreloadBuilder) error {
				db.Order("id desc").LimitPerRecord(2)
				return nil
			})
		}, nil, gFind[fixture.User]()),
		gq("Preload/limit_per_record_select", func(db *gorm.DB) gUser {
			return gIDGt(db, 6).Preload("Addresses", func(db gorm.PreloadBuilder) error {
				db.Select("id", "user_id", "email").Where("email <> ?", "x").LimitPerRecord(1)
				return nil
			})
		}, nil, gFind[fixture.User]()),
		gq("Preload/limit_per_record_has_one", func(db *gorm.DB) gPost {
			return gP(db).Preload("Comments", func(db gorm.PreloadBuilder) error {
				db.LimitPerRecord(1)
				return nil
			}).Order("id")
		}, nil, gFind[confPost]()),
	}
}
