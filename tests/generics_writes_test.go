package tests

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/fixture"
)

// gWrites: the writing finishers of a generics chain (Update, Updates,
// Delete), for write jobs shipped through queues. Create and
// CreateInBatches finish gorm.G itself, not a chain, so no payload
// precedes them.
func gWrites() []gCase {
	return []gCase{
		gq("Update", func(db *gorm.DB) gUser { return gU(db).Where("id > ?", 8) }, usersAbove(8), gUpdate[fixture.User]("name", "x")),
		gq("Update/expr", func(db *gorm.DB) gUser { return gU(db).Where("id > ?", 8) }, usersAbove(8), gUpdate[fixture.User]("name", gorm.Expr("UPPER(name)"))),
		gq("Update/soft_delete_model", func(db *gorm.DB) gItem { return gI(db).Where("price > ?", 0.5) },
			func(db *gorm.DB) *gorm.DB { return items(db).Where("price > ?", 0.5) }, gUpdate[item]("qty", 9)),
		gq("Update/unscoped", func(db *gorm.DB) gItem {
			return gI(db).Scopes(func(s *gorm.Statement) { s.Unscoped = true }).Where("price > ?", 0.5)
		}, func(db *gorm.DB) *gorm.DB { return items(db).Unscoped().Where("price > ?", 0.5) }, gUpdate[item]("qty", 9)),
		gq("Update/subquery_where", func(db *gorm.DB) gUser {
			return gU(db).Where("id IN (?)", gA(db).Select("user_id").Where("email LIKE ?", "ed%"))
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where("id IN (?)", addresses(db).Select("user_id").Where("email LIKE ?", "ed%"))
		}, gUpdate[fixture.User]("name", "edd")),
		gq("Update/no_where", func(db *gorm.DB) gUser { return gU(db).Scopes() }, users, gUpdate[fixture.User]("name", "all")),
		gq("Updates/struct", func(db *gorm.DB) gUser { return gU(db).Where("id > ?", 8) }, usersAbove(8), gUpdates(fixture.User{Name: "z"})),
		gq("Updates/select", func(db *gorm.DB) gUser { return gU(db).Where("id > ?", 8).Select("name") },
			func(db *gorm.DB) *gorm.DB { return usersAbove(8)(db).Select("name") }, gUpdates(fixture.User{})),
		gq("Updates/omit", func(db *gorm.DB) gItem { return gI(db).Where("id = ?", 1).Omit("qty") },
			func(db *gorm.DB) *gorm.DB { return items(db).Where("id = ?", 1).Omit("qty") }, gUpdates(item{Qty: 1, Name: "fig"})),
		gq("Delete/soft", func(db *gorm.DB) gItem { return gI(db).Where("id = ?", 1) },
			func(db *gorm.DB) *gorm.DB { return items(db).Where("id = ?", 1) }, gDelete[item]()),
		gq("Delete/unscoped_hard", func(db *gorm.DB) gItem {
			return gI(db).Scopes(func(s *gorm.Statement) { s.Unscoped = true }).Where("id IN ?", []int{1, 2})
		}, func(db *gorm.DB) *gorm.DB { return items(db).Unscoped().Where("id IN ?", []int{1, 2}) }, gDelete[item]()),
		gq("Delete/hard_model", func(db *gorm.DB) gAddress { return gA(db).Where("user_id = ?", 8) },
			func(db *gorm.DB) *gorm.DB { return addresses(db).Where("user_id = ?", 8) }, gDelete[fixture.Address]()),
		gq("Delete/opts_returning", func(db *gorm.DB) gAddress {
			return gorm.G[fixture.Address](db, clause.Returning{}).Where("user_id = ?", 9)
		}, func(db *gorm.DB) *gorm.DB { return addresses(db).Clauses(clause.Returning{}).Where("user_id = ?", 9) }, gDelete[fixture.Address]()),
		gq("Delete/no_where", func(db *gorm.DB) gAddress { return gA(db).Scopes() }, addresses, gDelete[fixture.Address]()),
	}
}
