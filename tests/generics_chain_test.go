package tests

import (
	"database/sql"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/fixture"
)

type (
	gUser    = gorm.ChainInterface[fixture.User]
	gAddress = gorm.ChainInterface[fixture.Address]
	gNote    = gorm.ChainInterface[confNote]
	gPost    = gorm.ChainInterface[confPost]
	gItem    = gorm.ChainInterface[item]
)

func gU(db *gorm.DB) gorm.Interface[fixture.User]    { return gorm.G[fixture.User](db) }
func gA(db *gorm.DB) gorm.Interface[fixture.Address] { return gorm.G[fixture.Address](db) }
func gN(db *gorm.DB) gorm.Interface[confNote]        { return gorm.G[confNote](db) }
func gP(db *gorm.DB) gorm.Interface[confPost]        { return gorm.G[confPost](db) }
func gI(db *gorm.DB) gorm.Interface[item]            { return gorm.G[item](db) }

func gIDGt(db *gorm.DB, n int) gUser { return gU(db).Where("id > ?", n).Order("id") }

// left is a JoinBuilder function that adds nothing: the association's
// join as GORM builds it.
var left func(gorm.JoinBuilder, clause.Table, clause.Table) error

// joinWhere is a JoinBuilder function adding one condition.
func joinWhere(query any, args ...any) func(gorm.JoinBuilder, clause.Table, clause.Table) error {
	return func(db gorm.JoinBuilder, _, _ clause.Table) error {
		db.Where(query, args...)
		return nil
	}
}

// gChainable: the chainable cases of the traditional suite that GORM's
// generics API can express (not Raw, raw-SQL Joins, Model, Unscoped or
// Clauses, which it has no method for; gorm.G's opts and Scopes stand in
// for the last two).
func gChainable() []gCase {
	uf, af, nf, pf := gFind[fixture.User](), gFind[fixture.Address](), gFind[confNote](), gFind[confPost]()
	return []gCase{
		gq("Model", func(db *gorm.DB) gUser { return gU(db).Scopes() }, users, uf),
		gq("Model/addresses", func(db *gorm.DB) gAddress { return gA(db).Order("id") }, func(db *gorm.DB) *gorm.DB { return addresses(db).Order("id") }, af),
		gq("Table/name", func(db *gorm.DB) gUser { return gU(db).Table("users").Where("id > ?", 8) },
			func(db *gorm.DB) *gorm.DB { return users(db).Table("users").Where("id > ?", 8) }, uf),
		gq("Table/alias", func(db *gorm.DB) gUser {
			return gU(db).Table("users AS u").Select("u.id, u.name").Where("u.id > ?", 8).Order("u.id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Table("users AS u").Select("u.id, u.name").Where("u.id > ?", 8).Order("u.id")
		}, uf),
		gq("Table/subquery", func(db *gorm.DB) gUser {
			return gU(db).Table("(?) AS users", gU(db).Select("id, name").Where("id > ?", 7)).Where("users.id < ?", 10).Order("users.id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Table("(?) AS users", users(db).Select("id, name").Where("id > ?", 7)).Where("users.id < ?", 10).Order("users.id")
		}, uf),
		gq("Table/vars", func(db *gorm.DB) gUser {
			return gU(db).Table("(SELECT * FROM users WHERE id > ?) AS users", 7).Order("users.id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Table("(SELECT * FROM users WHERE id > ?) AS users", 7).Order("users.id")
		}, uf),
		gq("Distinct", func(db *gorm.DB) gAddress { return gA(db).Distinct("user_id").Order("user_id") },
			func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct("user_id").Order("user_id") }, gScan[fixture.Address](destUints)),
		gq("Distinct/columns", func(db *gorm.DB) gUser { return gU(db).Distinct("id", "name").Order("name") },
			func(db *gorm.DB) *gorm.DB { return users(db).Distinct("id", "name").Order("name") }, uf),
		gq("Select/names", func(db *gorm.DB) gUser { return gIDGt(db, 7).Select("id", "name") },
			func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("id", "name") }, uf),
		gq("Select/expression", func(db *gorm.DB) gUser { return gIDGt(db, 7).Select("name, id * 2 AS n") },
			func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("name, id * 2 AS n") }, gScan[fixture.User](destNameCount)),
		gq("Select/with_vars", func(db *gorm.DB) gUser { return gIDGt(db, 7).Select("name, id + ? AS n", 100) },
			func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("name, id + ? AS n", 100) }, gScan[fixture.User](destNameCount)),
		gq("Select/named_vars", func(db *gorm.DB) gUser { return gIDGt(db, 7).Select("name, id + @k AS n", sql.Named("k", 5)) },
			func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("name, id + @k AS n", sql.Named("k", 5)) }, gScan[fixture.User](destNameCount)),
		gq("Select/clause_expr", func(db *gorm.DB) gUser {
			return gIDGt(db, 7).Select("?", clause.Expr{SQL: "name, id - ? AS n", Vars: []any{1}})
		}, func(db *gorm.DB) *gorm.DB {
			return idGt(7)(db).Select("?", clause.Expr{SQL: "name, id - ? AS n", Vars: []any{1}})
		}, gScan[fixture.User](destNameCount)),
		gq("Select/subquery", func(db *gorm.DB) gUser {
			return gIDGt(db, 6).Select("name, (?) AS n", gA(db).Select("count(*)").Where("addresses.user_id = users.id"))
		}, func(db *gorm.DB) *gorm.DB {
			return idGt(6)(db).Select("name, (?) AS n", addresses(db).Select("count(*)").Where("addresses.user_id = users.id"))
		}, gScan[fixture.User](destNameCount)),
		gq("Select/star", func(db *gorm.DB) gUser { return gIDGt(db, 8).Select("*") },
			func(db *gorm.DB) *gorm.DB { return idGt(8)(db).Select("*") }, uf),
		gq("Select/twice", func(db *gorm.DB) gUser { return gIDGt(db, 7).Select("id").Select("name") },
			func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("id").Select("name") }, uf),
		gq("Omit", func(db *gorm.DB) gUser { return gIDGt(db, 7).Omit("name") },
			func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Omit("name") }, uf),
		gq("Omit/after_select", func(db *gorm.DB) gUser { return gIDGt(db, 7).Select("*").Omit("id") },
			func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("*").Omit("id") }, uf),
		gq("MapColumns", func(db *gorm.DB) gUser {
			return gIDGt(db, 7).Select("id, name AS nick").MapColumns(map[string]string{"nick": "name"})
		}, func(db *gorm.DB) *gorm.DB {
			return idGt(7)(db).Select("id, name AS nick").MapColumns(map[string]string{"nick": "name"})
		}, uf),
		gq("Where/string", func(db *gorm.DB) gUser { return gU(db).Where("name = ? OR id > ?", "ed", 9).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("name = ? OR id > ?", "ed", 9).Order("id") }, uf),
		gq("Where/map", func(db *gorm.DB) gUser { return gU(db).Where(map[string]any{"name": "ed", "id": 8}) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"name": "ed", "id": 8}) }, uf),
		gq("Where/map_in", func(db *gorm.DB) gUser { return gU(db).Where(map[string]any{"id": []int{7, 9}}).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"id": []int{7, 9}}).Order("id") }, uf),
		gq("Where/map_nil", func(db *gorm.DB) gUser { return gU(db).Where(map[string]any{"name": nil}) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"name": nil}) }, uf),
		gq("Where/struct", func(db *gorm.DB) gUser { return gU(db).Where(fixture.User{Name: "fred"}) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where(fixture.User{Name: "fred"}) }, uf),
		gq("Where/struct_pointer", func(db *gorm.DB) gUser { return gU(db).Where(&fixture.User{ID: 8, Name: "ed"}) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where(&fixture.User{ID: 8, Name: "ed"}) }, uf),
		gq("Where/struct_selected_fields", func(db *gorm.DB) gUser { return gU(db).Where(&fixture.User{Name: "ed"}, "name", "id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where(&fixture.User{Name: "ed"}, "name", "id") }, uf),
		gq("Where/clause_exprs", func(db *gorm.DB) gUser {
			return gU(db).Where(clause.Gt{Column: clause.Column{Name: "id"}, Value: 7}, clause.Neq{Column: "name", Value: "fred"}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where(clause.Gt{Column: clause.Column{Name: "id"}, Value: 7}, clause.Neq{Column: "name", Value: "fred"}).Order("id")
		}, uf),
		gq("Where/named_sql_named", func(db *gorm.DB) gUser {
			return gU(db).Where("name = @n OR id = @i", sql.Named("n", "ed"), sql.Named("i", 10)).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where("name = @n OR id = @i", sql.Named("n", "ed"), sql.Named("i", 10)).Order("id")
		}, uf),
		gq("Where/named_map", func(db *gorm.DB) gUser {
			return gU(db).Where("name = @n OR name = @n2", map[string]any{"n": "jack", "n2": "chuck"}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where("name = @n OR name = @n2", map[string]any{"n": "jack", "n2": "chuck"}).Order("id")
		}, uf),
		gq("Where/named_struct", func(db *gorm.DB) gUser { return gU(db).Where("name = @Name", fixture.User{Name: "fred"}) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("name = @Name", fixture.User{Name: "fred"}) }, uf),
		gq("Where/nested_groups", func(db *gorm.DB) gUser {
			return gU(db).Where(db.Where("name = ?", "ed").Or(db.Where("id > ?", 8).Where("id < ?", 10))).Or(db.Not("id <> ?", 7)).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where(db.Where("name = ?", "ed").Or(db.Where("id > ?", 8).Where("id < ?", 10))).Or(db.Not("id <> ?", 7)).Order("id")
		}, uf),
		gq("Where/subquery_in", func(db *gorm.DB) gUser {
			return gU(db).Where("id IN (?)", gA(db).Select("user_id").Where("email LIKE ?", "%ed%")).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where("id IN (?)", addresses(db).Select("user_id").Where("email LIKE ?", "%ed%")).Order("id")
		}, uf),
		gq("Where/subquery_exists", func(db *gorm.DB) gUser {
			return gU(db).Where("EXISTS (?)", gA(db).Table("addresses").Select("1").Where("addresses.user_id = users.id")).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where("EXISTS (?)", addresses(db).Table("addresses").Select("1").Where("addresses.user_id = users.id")).Order("id")
		}, uf),
		gq("Where/subquery_compare", func(db *gorm.DB) gUser { return gU(db).Where("id = (?)", gA(db).Select("max(user_id)")) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id = (?)", addresses(db).Select("max(user_id)")) }, uf),
		gq("Where/subquery_traditional", func(db *gorm.DB) gUser {
			return gU(db).Where("id IN (?)", addresses(db).Select("user_id").Where("id < ?", 3)).Order("id")
		}, nil, uf),
		gq("Where/in_slice", func(db *gorm.DB) gUser { return gU(db).Where("id IN ?", []uint{8, 10}).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id IN ?", []uint{8, 10}).Order("id") }, uf),
		gq("Where/in_empty_slice", func(db *gorm.DB) gUser { return gU(db).Where("id IN ?", []uint{}) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id IN ?", []uint{}) }, uf),
		gq("Where/in_tuples", func(db *gorm.DB) gUser {
			return gU(db).Where("(id, name) IN ?", [][]any{{8, "ed"}, {9, "fred"}, {9, "x"}}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where("(id, name) IN ?", [][]any{{8, "ed"}, {9, "fred"}, {9, "x"}}).Order("id")
		}, uf),
		gq("Where/primary_keys", func(db *gorm.DB) gUser { return gU(db).Where([]int{7, 10}).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where([]int{7, 10}).Order("id") }, uf),
		gq("Where/primary_key_inline", func(db *gorm.DB) gUser { return gU(db).Where(9) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where(9) }, uf),
		gq("Where/nil_var", func(db *gorm.DB) gUser { return gU(db).Where("name = ? OR name = ?", "ed", nil).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("name = ? OR name = ?", "ed", nil).Order("id") }, uf),
		gq("Where/map_expr_value", func(db *gorm.DB) gUser { return gU(db).Where(map[string]any{"id": gorm.Expr("? + 1", 7)}) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"id": gorm.Expr("? + 1", 7)}) }, uf),
		gq("Not/string", func(db *gorm.DB) gUser { return gU(db).Not("name = ?", "ed").Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Not("name = ?", "ed").Order("id") }, uf),
		gq("Not/map", func(db *gorm.DB) gUser { return gU(db).Not(map[string]any{"id": []int{7, 8}}).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Not(map[string]any{"id": []int{7, 8}}).Order("id") }, uf),
		gq("Not/struct", func(db *gorm.DB) gUser { return gU(db).Not(fixture.User{Name: "jack"}).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Not(fixture.User{Name: "jack"}).Order("id") }, uf),
		gq("Not/primary_keys", func(db *gorm.DB) gUser { return gU(db).Not([]int64{7, 8}).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Not([]int64{7, 8}).Order("id") }, uf),
		gq("Not/group", func(db *gorm.DB) gUser { return gU(db).Not(db.Where("id < ?", 8).Or("id > ?", 9)).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Not(db.Where("id < ?", 8).Or("id > ?", 9)).Order("id") }, uf),
		gq("Not/named", func(db *gorm.DB) gUser { return gU(db).Not("name = @n", sql.Named("n", "ed")).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Not("name = @n", sql.Named("n", "ed")).Order("id") }, uf),
		gq("Or/string", func(db *gorm.DB) gUser { return gU(db).Where("id = ?", 7).Or("name = ?", "fred").Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id = ?", 7).Or("name = ?", "fred").Order("id") }, uf),
		gq("Or/map", func(db *gorm.DB) gUser {
			return gU(db).Where("id = ?", 7).Or(map[string]any{"name": "chuck"}).Order("id")
		},
			func(db *gorm.DB) *gorm.DB {
				return users(db).Where("id = ?", 7).Or(map[string]any{"name": "chuck"}).Order("id")
			}, uf),
		gq("Or/struct", func(db *gorm.DB) gUser { return gU(db).Where("id = ?", 7).Or(fixture.User{ID: 9}).Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id = ?", 7).Or(fixture.User{ID: 9}).Order("id") }, uf),
		gq("Or/group", func(db *gorm.DB) gUser {
			return gU(db).Where("id = ?", 7).Or(db.Where("name = ?", "ed").Where("id = ?", 8)).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where("id = ?", 7).Or(db.Where("name = ?", "ed").Where("id = ?", 8)).Order("id")
		}, uf),
		gq("Joins/association", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), left).Where(clause.Eq{Column: clause.Column{Table: "User", Name: "name"}, Value: "ed"}).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("User").Where(clause.Eq{Column: clause.Column{Table: "User", Name: "name"}, Value: "ed"}).Order("addresses.id")
		}, af),
		gq("Joins/association_conditions", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), joinWhere("name <> ?", "ed")).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("User", db.Where("name <> ?", "ed")).Order("addresses.id")
		}, af),
		gq("Joins/association_select", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), func(db gorm.JoinBuilder, _, _ clause.Table) error {
				db.Select("name")
				return nil
			}).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("User", db.Select("name")).Order("addresses.id")
		}, af),
		gq("Joins/association_omit", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), func(db gorm.JoinBuilder, _, _ clause.Table) error {
				db.Omit("name")
				return nil
			}).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB { return addresses(db).Joins("User", db.Omit("name")).Order("addresses.id") }, af),
		gq("Joins/nested_association", func(db *gorm.DB) gNote {
			return gN(db).Joins(clause.LeftJoin.Association("Address"), left).Joins(clause.LeftJoin.Association("Address.User"), left).Order("conf_notes.id")
		}, func(db *gorm.DB) *gorm.DB {
			return notes(db).Joins("Address").Joins("Address.User").Order("conf_notes.id")
		}, nf),
		gq("InnerJoins/association", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.InnerJoin.Association("User"), left).Where("addresses.id < ?", 4).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).InnerJoins("User").Where("addresses.id < ?", 4).Order("addresses.id")
		}, af),
		gq("InnerJoins/has", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.Has("User"), joinWhere(clause.Eq{Column: clause.Column{Table: "User", Name: "id"}, Value: 8})).Order("addresses.id")
		}, nil, af),
		gq("Joins/soft_deleted_association", func(db *gorm.DB) gNote {
			return gN(db).Joins(clause.LeftJoin.Association("Item"), left).Order("conf_notes.id")
		}, func(db *gorm.DB) *gorm.DB { return notes(db).Joins("Item").Order("conf_notes.id") }, nf),
		gq("Joins/has_one", func(db *gorm.DB) gPost {
			return gP(db).Joins(clause.LeftJoin.Association("Cover"), left).Order("conf_posts.id")
		},
			func(db *gorm.DB) *gorm.DB { return posts(db).Joins("Cover").Order("conf_posts.id") }, pf),
		gq("Joins/self_referential", func(db *gorm.DB) gPost {
			return gP(db).Joins(clause.InnerJoin.Association("Parent"), left).Where(clause.Eq{Column: clause.Column{Table: "Parent", Name: "title"}, Value: "first"}).Order("conf_posts.id")
		}, func(db *gorm.DB) *gorm.DB {
			return posts(db).InnerJoins("Parent").Where(clause.Eq{Column: clause.Column{Table: "Parent", Name: "title"}, Value: "first"}).Order("conf_posts.id")
		}, pf),
		gq("Joins/alias", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User").As("u"), joinWhere("u.name <> ?", "x")).Order("addresses.id")
		}, nil, af),
		gq("Group", func(db *gorm.DB) gAddress {
			return gA(db).Select("user_id AS id, count(*) AS n").Group("user_id").Order("user_id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Select("user_id AS id, count(*) AS n").Group("user_id").Order("user_id")
		}, gScan[fixture.Address](func() any { return &[]struct{ ID, N int }{} })),
		gq("Group/two", func(db *gorm.DB) gUser { return gU(db).Select("id, name").Group("id").Group("name").Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Select("id, name").Group("id").Group("name").Order("id") }, uf),
		gq("Having", func(db *gorm.DB) gAddress {
			return gA(db).Select("user_id AS id, count(*) AS n").Group("user_id").Having("count(*) > ?", 1)
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Select("user_id AS id, count(*) AS n").Group("user_id").Having("count(*) > ?", 1)
		}, gScan[fixture.Address](func() any { return &[]struct{ ID, N int }{} })),
		gq("Having/map", func(db *gorm.DB) gAddress {
			return gA(db).Select("user_id").Group("user_id").Having(map[string]any{"user_id": 9})
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Select("user_id").Group("user_id").Having(map[string]any{"user_id": 9})
		}, gScan[fixture.Address](destUints)),
		gq("Having/subquery", func(db *gorm.DB) gAddress {
			return gA(db).Select("user_id").Group("user_id").Having("count(*) >= (?)", gU(db).Select("count(*)").Where("id = ?", 8)).Order("user_id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Select("user_id").Group("user_id").Having("count(*) >= (?)", users(db).Select("count(*)").Where("id = ?", 8)).Order("user_id")
		}, gScan[fixture.Address](destUints)),
		gq("Order/string", func(db *gorm.DB) gUser { return gU(db).Order("name desc, id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("name desc, id") }, uf),
		gq("Order/two_calls", func(db *gorm.DB) gUser { return gU(db).Order("name").Order("id desc") },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("name").Order("id desc") }, uf),
		gq("Order/column", func(db *gorm.DB) gUser {
			return gU(db).Order(clause.OrderByColumn{Column: clause.Column{Name: "name"}, Desc: true})
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Order(clause.OrderByColumn{Column: clause.Column{Name: "name"}, Desc: true})
		}, uf),
		gq("Order/order_by_expression", func(db *gorm.DB) gUser {
			return gU(db).Order(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN name = ? THEN 0 ELSE 1 END, id", Vars: []any{"fred"}, WithoutParentheses: true}})
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Order(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN name = ? THEN 0 ELSE 1 END, id", Vars: []any{"fred"}, WithoutParentheses: true}})
		}, uf),
		gq("Limit", func(db *gorm.DB) gUser { return gU(db).Order("id").Limit(2) },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(2) }, uf),
		gq("Limit/cancelled", func(db *gorm.DB) gUser { return gU(db).Order("id").Limit(1).Limit(-1) },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(1).Limit(-1) }, uf),
		gq("Offset", func(db *gorm.DB) gUser { return gU(db).Order("id").Offset(2).Limit(10) },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Offset(2).Limit(10) }, uf),
		gq("Offset/alone", func(db *gorm.DB) gUser { return gU(db).Order("id").Offset(3) },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Offset(3) }, uf, mariaNoOffset),
		gq("Scopes", func(db *gorm.DB) gUser {
			big := func(s *gorm.Statement) { s.Where("id > ?", 7) }
			page := func(s *gorm.Statement) { s.Order("id").Offset(1).Limit(2) }
			return gU(db).Scopes(big, page)
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where("id > ?", 7).Order("id").Offset(1).Limit(2)
		}, uf),
		gq("Scopes/unscoped", func(db *gorm.DB) gorm.ChainInterface[item] {
			return gI(db).Scopes(func(s *gorm.Statement) { s.Unscoped = true }).Order("id")
		}, func(db *gorm.DB) *gorm.DB { return items(db).Unscoped().Order("id") }, gFind[item]()),
		gq("Scopes/first", func(db *gorm.DB) gAddress {
			return gA(db).Scopes(func(s *gorm.Statement) { s.Where("user_id = ?", 8) }).Joins(clause.LeftJoin.Association("User"), left).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Where("user_id = ?", 8).Joins("User").Order("addresses.id")
		}, af),
		gq("Unscoped/soft_delete_scope", func(db *gorm.DB) gItem { return gI(db).Order("id") },
			func(db *gorm.DB) *gorm.DB { return items(db).Order("id") }, gFind[item]()),
		gq("Where/subquery_soft_deleted", func(db *gorm.DB) gNote {
			return gN(db).Where("item_id IN (?)", gI(db).Select("id")).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return notes(db).Where("item_id IN (?)", items(db).Select("id")).Order("id")
		}, nf),
		gq("Where/subquery_join_table", func(db *gorm.DB) gPost {
			return gP(db).Where("id IN (?)", db.Table("conf_post_tags").Select("conf_post_id").Where("conf_tag_id = ?", 3)).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return posts(db).Where("id IN (?)", db.Table("conf_post_tags").Select("conf_post_id").Where("conf_tag_id = ?", 3)).Order("id")
		}, pf),
		gq("Where/values_edge", func(db *gorm.DB) gUser {
			var nilPtr *int
			return gU(db).Where("id <> ? AND id > ? AND name <> ?", uint64(1<<40), int64(-1<<40), "ünïcødé ✓").
				Or("id = ?", nilPtr).Or("name = ?", sql.NullString{}).Order("id")
		}, nil, uf),
	}
}
