package tests

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/fixture"
)

// gMore: further cases of the traditional suite, written with gorm.G.
func gMore() []gCase {
	uf, af, nf, pf, itf := gFind[fixture.User](), gFind[fixture.Address](), gFind[confNote](), gFind[confPost](), gFind[item]()
	return []gCase{
		gq("Where/slice_of_struct", func(db *gorm.DB) gUser { return gU(db).Where([]fixture.User{{Name: "ed"}, {ID: 8}}) },
			func(db *gorm.DB) *gorm.DB { return users(db).Where([]fixture.User{{Name: "ed"}, {ID: 8}}) }, uf),
		gq("Where/no_vars", func(db *gorm.DB) gUser { return gU(db).Where("id > 8").Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Where("id > 8").Order("id") }, uf),
		gq("Where/struct_pointer_field", func(db *gorm.DB) gPost {
			one := uint(1)
			return gP(db).Where(&confPost{ParentID: &one}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			one := uint(1)
			return posts(db).Where(&confPost{ParentID: &one}).Order("id")
		}, pf),
		gq("Where/map_pointer_value", func(db *gorm.DB) gPost {
			one := uint(1)
			return gP(db).Where(map[string]any{"parent_id": &one}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			one := uint(1)
			return posts(db).Where(map[string]any{"parent_id": &one}).Order("id")
		}, pf),
		gq("Where/registered_type_in", func(db *gorm.DB) gItem {
			return gI(db).Scopes(func(s *gorm.Statement) { s.Unscoped = true }).Where("status IN ?", []status{"fresh", "old"}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return items(db).Unscoped().Where("status IN ?", []status{"fresh", "old"}).Order("id")
		}, itf),
		gq("Where/time_and_pointer", func(db *gorm.DB) gItem {
			at := baseTime.Add(30 * time.Minute)
			return gI(db).Where("created_at > ?", &at).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			at := baseTime.Add(30 * time.Minute)
			return items(db).Where("created_at > ?", &at).Order("id")
		}, itf),
		gq("Where/values_bytes", func(db *gorm.DB) gItem {
			blob := clause.Column{Name: "blob"}
			return gI(db).Where(clause.Or(clause.Eq{Column: blob, Value: []byte{1, 2}}, clause.Eq{Column: blob, Value: []byte{}})).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			blob := clause.Column{Name: "blob"}
			return items(db).Where(clause.Or(clause.Eq{Column: blob, Value: []byte{1, 2}}, clause.Eq{Column: blob, Value: []byte{}})).Order("id")
		}, itf),
		gq("Where/group_with_model", func(db *gorm.DB) gUser {
			return gU(db).Where(users(db).Where("name = ?", "ed").Or("name = ?", "fred")).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where(users(db).Where("name = ?", "ed").Or("name = ?", "fred")).Order("id")
		}, uf),
		gq("Not/struct_selected_fields", func(db *gorm.DB) gUser { return gU(db).Not(&fixture.User{Name: "ed"}, "name").Order("id") },
			func(db *gorm.DB) *gorm.DB { return users(db).Not(&fixture.User{Name: "ed"}, "name").Order("id") }, uf),
		gq("Or/nested_or_groups", func(db *gorm.DB) gUser {
			return gU(db).Where(db.Where("id = ?", 7).Or(db.Where("id = ?", 8).Or("id = ?", 9))).Or("name = ?", "chuck").Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where(db.Where("id = ?", 7).Or(db.Where("id = ?", 8).Or("id = ?", 9))).Or("name = ?", "chuck").Order("id")
		}, uf),
		gq("Joins/nested_association_only", func(db *gorm.DB) gNote {
			return gN(db).Joins(clause.LeftJoin.Association("Address.User"), left).
				Where(clause.Eq{Column: clause.Column{Table: "Address__User", Name: "name"}, Value: "ed"}).Order("conf_notes.id")
		}, func(db *gorm.DB) *gorm.DB {
			return notes(db).Joins("Address.User").Where(clause.Eq{Column: clause.Column{Table: "Address__User", Name: "name"}, Value: "ed"}).Order("conf_notes.id")
		}, nf),
		gq("InnerJoins/nested_association", func(db *gorm.DB) gNote {
			return gN(db).Joins(clause.InnerJoin.Association("Address"), left).Joins(clause.InnerJoin.Association("Address.User"), left).Order("conf_notes.id")
		}, func(db *gorm.DB) *gorm.DB {
			return notes(db).InnerJoins("Address").InnerJoins("Address.User").Order("conf_notes.id")
		}, nf),
		gq("Joins/association_with_select", func(db *gorm.DB) gAddress {
			return gA(db).Select("addresses.id", "addresses.email").Joins(clause.LeftJoin.Association("User"), left).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Select("addresses.id", "addresses.email").Joins("User").Order("addresses.id")
		}, af),
		gq("Joins/association_and_preload", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), left).Preload("User.Addresses", nil).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("User").Preload("User.Addresses").Order("addresses.id")
		}, af),
		gq("Joins/association_alias_table", func(db *gorm.DB) gAddress {
			return gA(db).Table("addresses AS a").Joins(clause.LeftJoin.Association("User"), left).Order("a.id")
		}, func(db *gorm.DB) *gorm.DB { return addresses(db).Table("addresses AS a").Joins("User").Order("a.id") }, af),
		gq("Joins/nested_self_has_one", func(db *gorm.DB) gPost {
			return gP(db).Joins(clause.LeftJoin.Association("Parent"), left).Joins(clause.LeftJoin.Association("Parent.Cover"), left).Order("conf_posts.id")
		}, func(db *gorm.DB) *gorm.DB {
			return posts(db).Joins("Parent").Joins("Parent.Cover").Order("conf_posts.id")
		}, pf),
		gq("Joins/has_many_count", func(db *gorm.DB) gUser {
			return gU(db).Joins(clause.LeftJoin.Association("Addresses"), left).Where("users.id > ?", 7)
		}, func(db *gorm.DB) *gorm.DB { return users(db).Joins("Addresses").Where("users.id > ?", 7) }, gCount[fixture.User]("*")),
		gq("Order/column_reorder", func(db *gorm.DB) gUser {
			return gU(db).Order("name").Order(clause.OrderByColumn{Column: clause.Column{Name: "id"}, Desc: true, Reorder: true})
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Order("name").Order(clause.OrderByColumn{Column: clause.Column{Name: "id"}, Desc: true, Reorder: true})
		}, uf),
		gq("Order/order_by_columns", func(db *gorm.DB) gUser {
			return gU(db).Order(clause.OrderBy{Columns: []clause.OrderByColumn{{Column: clause.Column{Name: "name"}}, {Column: clause.PrimaryColumn, Desc: true}}})
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Order(clause.OrderBy{Columns: []clause.OrderByColumn{{Column: clause.Column{Name: "name"}}, {Column: clause.PrimaryColumn, Desc: true}}})
		}, uf),
		gq("Order/joined_column", func(db *gorm.DB) gAddress {
			return gA(db).Joins(clause.LeftJoin.Association("User"), left).Order(clause.OrderByColumn{Column: clause.Column{Table: "User", Name: "name"}, Desc: true}).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("User").Order(clause.OrderByColumn{Column: clause.Column{Table: "User", Name: "name"}, Desc: true}).Order("addresses.id")
		}, af),
		gq("Order/subquery_expression", func(db *gorm.DB) gUser {
			return gU(db).Order(clause.OrderBy{Expression: clause.Expr{SQL: "(?) DESC, id", Vars: []any{gA(db).Select("count(*)").Where("addresses.user_id = users.id")}, WithoutParentheses: true}})
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Order(clause.OrderBy{Expression: clause.Expr{SQL: "(?) DESC, id", Vars: []any{addresses(db).Select("count(*)").Where("addresses.user_id = users.id")}, WithoutParentheses: true}})
		}, uf),
		gq("Limit/zero", func(db *gorm.DB) gUser { return gU(db).Order("id").Limit(0) },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(0) }, uf),
		gq("Limit/large", func(db *gorm.DB) gUser { return gU(db).Order("id").Limit(1 << 40).Offset(1) },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(1 << 40).Offset(1) }, uf),
		gq("Offset/large", func(db *gorm.DB) gUser { return gU(db).Order("id").Limit(5).Offset(1 << 33) },
			func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(5).Offset(1 << 33) }, uf),
		gq("Select/distinct_expression_vars", func(db *gorm.DB) gAddress {
			return gA(db).Distinct("user_id + ? AS user_id", 0).Order("user_id")
		}, func(db *gorm.DB) *gorm.DB {
			return addresses(db).Distinct("user_id + ? AS user_id", 0).Order("user_id")
		}, af),
		gq("Select/column_var", func(db *gorm.DB) gUser {
			return gIDGt(db, 7).Select("?, ?", clause.Column{Table: clause.CurrentTable, Name: "id"}, clause.Column{Name: "name"})
		}, func(db *gorm.DB) *gorm.DB {
			return idGt(7)(db).Select("?, ?", clause.Column{Table: clause.CurrentTable, Name: "id"}, clause.Column{Name: "name"})
		}, uf),
		gq("Omit/joins", func(db *gorm.DB) gAddress {
			return gA(db).Omit("email").Joins(clause.LeftJoin.Association("User"), left).Order("addresses.id")
		}, func(db *gorm.DB) *gorm.DB { return addresses(db).Omit("email").Joins("User").Order("addresses.id") }, af),
		gq("Preload/nested_each_with_conditions", func(db *gorm.DB) gNote {
			return gN(db).Preload("Address", func(pb gorm.PreloadBuilder) error {
				pb.Where("email <> ?", "x")
				return nil
			}).Preload("Address.User", func(pb gorm.PreloadBuilder) error {
				pb.Select("id", "name")
				return nil
			}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return notes(db).Preload("Address", func(tx *gorm.DB) *gorm.DB { return tx.Where("email <> ?", "x") }).
				Preload("Address.User", func(tx *gorm.DB) *gorm.DB { return tx.Select([]string{"id", "name"}) }).Order("id")
		}, nf),
		gq("Preload/with_joins", func(db *gorm.DB) gNote {
			return gN(db).Joins(clause.LeftJoin.Association("Address"), left).Preload("Address.User", nil).Order("conf_notes.id")
		}, func(db *gorm.DB) *gorm.DB {
			return notes(db).Joins("Address").Preload("Address.User").Order("conf_notes.id")
		}, nf),
		gq("Where/embedded_struct", func(db *gorm.DB) gorm.ChainInterface[person] {
			return gorm.G[person](db).Where(&person{Contact: contact{Email: "bob@y.org"}})
		}, func(db *gorm.DB) *gorm.DB {
			return db.Model(&person{}).Where(&person{Contact: contact{Email: "bob@y.org"}})
		}, gFind[person]()),
		gq("clause.IN/columns", gWhere(clause.IN{Column: []clause.Column{col("id"), col("name")}, Values: []any{[]any{8, "ed"}, []any{9, "x"}}}),
			where(clause.IN{Column: []clause.Column{col("id"), col("name")}, Values: []any{[]any{8, "ed"}, []any{9, "x"}}}), uf),
		gq("clause.IN/negated", gWhere(clause.Not(clause.IN{Column: col("id"), Values: []any{7, 8}})),
			where(clause.Not(clause.IN{Column: col("id"), Values: []any{7, 8}})), uf),
		gq("clause.Column/primary_key", gWhere(clause.Eq{Column: clause.PrimaryColumn, Value: 10}), where(clause.Eq{Column: clause.PrimaryColumn, Value: 10}), uf),
		gq("clause.Like/expr_value", gWhere(clause.Like{Column: col("name"), Value: clause.Expr{SQL: "? || '%'", Vars: []any{"e"}}}),
			where(clause.Like{Column: col("name"), Value: clause.Expr{SQL: "? || '%'", Vars: []any{"e"}}}), uf),
		gq("clause.OrConditions/nested", gWhere(clause.Or(clause.And(clause.Gt{Column: col("id"), Value: 7}, clause.Lt{Column: col("id"), Value: 9}), clause.Eq{Column: col("name"), Value: "chuck"})),
			where(clause.Or(clause.And(clause.Gt{Column: col("id"), Value: 7}, clause.Lt{Column: col("id"), Value: 9}), clause.Eq{Column: col("name"), Value: "chuck"})), uf),
	}
}
