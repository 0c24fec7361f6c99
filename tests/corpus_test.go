package tests

import (
	"database/sql"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/fixture"
)

func users(db *gorm.DB) *gorm.DB     { return db.Model(&fixture.User{}) }
func addresses(db *gorm.DB) *gorm.DB { return db.Model(&fixture.Address{}) }
func items(db *gorm.DB) *gorm.DB     { return db.Model(&item{}) }

func destAddresses() any { return &[]fixture.Address{} }
func destItems() any     { return &[]item{} }
func destPairs() any     { return &[]pairRow{} }
func destNameCount() any { return &[]nameCount{} }

var noSQLiteLocking = map[string]string{"sqlite": "SQLite has no row locking clause"}

// conformance is the corpus: SQLAlchemy's serializer scenarios ported to
// GORM on the same fixture, then one case (at least) per coverage item.
var conformance = []roundTrip{
	// test_expression: users joined with addresses, limit 5.
	{name: "sqla/expression", build: func(db *gorm.DB) *gorm.DB {
		return db.Table("users").Select("users.id, users.name").
			Joins("JOIN addresses ON users.id = addresses.user_id").Order("addresses.id").Limit(5)
	}},
	// test_query_one, part a: filter + eager load ordered by id.
	{name: "sqla/query_one_preload", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(&fixture.User{Name: "ed"}).
			Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Order("id") })
	}},
	// test_query_one, part b: many-to-one comparison to an instance, desc.
	{name: "sqla/query_one_instance", dest: destAddresses, build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Where(&fixture.Address{UserID: 8}).Order(clause.OrderByColumn{Column: clause.Column{Name: "email"}, Desc: true})
	}},
	// test_query_two: join along the relation + LIKE.
	{name: "sqla/query_two", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Joins("JOIN addresses ON addresses.user_id = users.id").Where("addresses.email LIKE ?", "%fred%")
	}},
	// test_query_three: aliased entity joined along the relation.
	{name: "sqla/query_three_alias", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Table("users AS u").Select("u.id, u.name").
			Joins("JOIN addresses ON u.id = addresses.user_id").Where("addresses.email LIKE ?", "%fred%")
	}},
	// test_aliases: self join with a non-equality ON, filter, order.
	{name: "sqla/aliases", dest: destPairs, build: func(db *gorm.DB) *gorm.DB {
		return db.Table("users").Select("users.id, users.name, u2.id AS other_id").
			Joins("JOIN users AS u2 ON users.id < u2.id").Where("users.id < ?", 9).Order("users.id, u2.id")
	}},
	// test_any: EXISTS subquery.
	{name: "sqla/any", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("EXISTS (?)", db.Table("addresses").Select("1").
			Where("addresses.user_id = users.id AND addresses.email = ?", "ed@wood.com"))
	}},
	// test_unicode: unicode table and column names.
	{name: "sqla/unicode", dest: func() any { return &[]unicodeRow{} }, build: func(db *gorm.DB) *gorm.DB {
		return db.Model(&unicodeRow{}).Where(&unicodeRow{ID: 5})
	}},
	// test_over: window functions.
	{name: "sqla/over", dest: destNameCount, build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("name, COUNT(*) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n").Order("id")
	}},
	{name: "sqla/over_range", dest: destNameCount, build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("name, COUNT(*) OVER (ORDER BY id RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS n").Order("id")
	}},
	// test_deserailize_colprop: one bound value used twice.
	{name: "sqla/colprop_bind_twice", dest: destNameCount, build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("name, id + ? AS n", 6).Where("id + ? = ?", 6, 14)
	}},

	{name: "model", build: users},
	{name: "table/plain", build: func(db *gorm.DB) *gorm.DB { return db.Table("users").Where("id > ?", 7) }},
	{name: "table/subquery", build: func(db *gorm.DB) *gorm.DB {
		return db.Table("(?) AS t", users(db).Select("id, name").Where("id > ?", 8)).Where("t.id < ?", 10)
	}},
	{name: "select/list", build: func(db *gorm.DB) *gorm.DB { return users(db).Select([]string{"id", "name"}) }},
	{name: "select/names", build: func(db *gorm.DB) *gorm.DB { return users(db).Select("id", "name").Where("id <> ?", 7) }},
	{name: "select/expr_args", dest: destNameCount, build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("name, id * ? AS n", 2).Order("name")
	}},
	{name: "select/subquery_column", dest: destNameCount, build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("name, (?) AS n", db.Table("addresses").Select("count(*)").Where("addresses.user_id = users.id")).Order("id")
	}},
	{name: "omit", build: func(db *gorm.DB) *gorm.DB { return users(db).Omit("name").Order("id") }},
	{name: "distinct", build: func(db *gorm.DB) *gorm.DB { return users(db).Distinct("name").Order("name") }},
	{name: "where/string_args", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("name = ? OR id > ?", "ed", 9) }},
	{name: "where/named_sql_named", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("name = @name", sql.Named("name", "ed"))
	}},
	{name: "where/named_map", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("name = @a OR name = @b", map[string]any{"a": "ed", "b": "fred"}).Order("id")
	}},
	{name: "where/named_struct", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("name = @Name", fixture.User{Name: "jack"})
	}},
	{name: "where/struct", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(&fixture.User{Name: "fred", ID: 9}) }},
	{name: "where/struct_zero_field_named", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(&fixture.User{Name: "ed"}, "name", "id")
	}},
	{name: "where/embedded_struct", dest: func() any { return &[]person{} }, build: func(db *gorm.DB) *gorm.DB {
		return db.Model(&person{}).Where(&person{Contact: contact{Email: "ann@x.org"}})
	}},
	{name: "where/map", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(map[string]any{"name": "ed", "id": 8})
	}},
	{name: "where/map_slice_in", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(map[string]any{"name": []string{"ed", "fred"}}).Order("id")
	}},
	{name: "where/primary_keys", build: func(db *gorm.DB) *gorm.DB { return users(db).Where([]int{7, 9}).Order("id") }},
	{name: "where/slice_in", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id IN ?", []uint{8, 10}) }},
	{name: "where/or_not", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id > ?", 7).Or("name = ?", "jack").Not("name = ?", "fred").Order("id")
	}},
	{name: "where/not_map", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Not(map[string]any{"id": []int{7, 8}}).Order("id")
	}},
	{name: "where/nested_groups", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(db.Where("name = ?", "ed").Or("name = ?", "jack")).
			Where(db.Where("id > ?", 1).Where(db.Where("id < ?", 100).Or("id = ?", 0))).Order("id")
	}},
	{name: "where/leading_or", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Or("name = ?", "ed").Where("id > ?", 7)
	}},
	{name: "clause/comparisons", build: func(db *gorm.DB) *gorm.DB {
		col := func(n string) clause.Column { return clause.Column{Table: clause.CurrentTable, Name: n} }
		return users(db).Where(clause.Gt{Column: col("id"), Value: 6}, clause.Gte{Column: col("id"), Value: 7},
			clause.Lt{Column: col("id"), Value: 11}, clause.Lte{Column: col("id"), Value: 10},
			clause.Neq{Column: col("name"), Value: "chuck"}, clause.Like{Column: col("name"), Value: "%e%"}).Order("id")
	}},
	{name: "clause/eq_in", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(clause.Eq{Column: "name", Value: "ed"}).
			Or(clause.IN{Column: clause.Column{Name: "id"}, Values: []any{9, 10}}).Order("id")
	}},
	{name: "clause/and_or_not", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(clause.Or(
			clause.And(clause.Eq{Column: clause.Column{Name: "name"}, Value: "ed"}, clause.Gt{Column: clause.PrimaryColumn, Value: 1}),
			clause.Not(clause.Lt{Column: clause.PrimaryColumn, Value: 10}))).Order("id")
	}},
	{name: "clause/expr_named_expr", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(clause.Expr{SQL: "id > ?", Vars: []any{7}}).
			Where(clause.NamedExpr{SQL: "name <> @n", Vars: []any{sql.Named("n", "chuck")}}).Order("id")
	}},
	{name: "clause/column_values", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("? = ?", clause.Column{Table: "users", Name: "id"}, 8)
	}},
	{name: "order/columns", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order(clause.OrderBy{Columns: []clause.OrderByColumn{{Column: clause.Column{Name: "name"}, Desc: true}, {Column: clause.Column{Name: "id"}}}})
	}},
	{name: "order/expression", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN name = ? THEN 0 ELSE 1 END, id", Vars: []any{"fred"}, WithoutParentheses: true}})
	}},
	{name: "group_having", dest: destNameCount, build: func(db *gorm.DB) *gorm.DB {
		return db.Table("addresses").Select("users.name, count(*) AS n").Joins("JOIN users ON users.id = addresses.user_id").
			Group("users.name").Having("count(*) > ?", 1)
	}},
	{name: "limit_offset", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(2).Offset(1) }},
	{name: "locking", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 8).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}, skip: noSQLiteLocking},
	{name: "clause/select_from_join", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(
			clause.Select{Columns: []clause.Column{{Table: "users", Name: "id"}, {Table: "users", Name: "name"}}},
			clause.From{Tables: []clause.Table{{Name: "users"}}, Joins: []clause.Join{{
				Type: clause.InnerJoin, Table: clause.Table{Name: "addresses"},
				ON: clause.Where{Exprs: []clause.Expression{clause.Eq{Column: clause.Column{Table: "users", Name: "id"}, Value: clause.Column{Table: "addresses", Name: "user_id"}}}},
			}}}).Where("addresses.email LIKE ?", "%o%").Order("addresses.id")
	}},
	{name: "clause/comma_expression", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Select{Expression: clause.CommaExpression{Exprs: []clause.Expression{
			clause.Expr{SQL: "id"}, clause.Expr{SQL: "name"}}}}).Order("id")
	}},
	{name: "clause/custom_hint", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(optimizerHint{Text: "saved search 42"}).Where("id > ?", 8)
	}},
	{name: "joins/association", dest: destAddresses, build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User").Where(clause.Eq{Column: clause.Column{Table: "User", Name: "name"}, Value: "ed"}).Order("addresses.id")
	}},
	{name: "joins/association_conditions", dest: destAddresses, build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", db.Where(&fixture.User{Name: "fred"})).Order("addresses.id")
	}},
	{name: "joins/inner_association", dest: destAddresses, build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).InnerJoins("User").Where("addresses.id < ?", 4).Order("addresses.id")
	}},
	{name: "joins/raw_args", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Joins("JOIN addresses ON addresses.user_id = users.id AND addresses.email LIKE ?", "%ed%").Order("addresses.id")
	}},
	{name: "joins/subquery", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Joins("JOIN (?) AS a ON a.user_id = users.id", db.Table("addresses").Select("user_id").Where("email LIKE ?", "%bean%"))
	}},
	{name: "preload/nested", dest: destAddresses, build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Preload("User.Addresses").Order("id")
	}},
	{name: "preload/inline_conditions", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Preload("Addresses", "email LIKE ?", "%ed%").Order("id")
	}},
	{name: "preload/function", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Preload("Addresses", func(tx *gorm.DB) *gorm.DB {
			return tx.Where("email <> ?", "ed@lala.com").Order(clause.OrderByColumn{Column: clause.Column{Name: "email"}, Desc: true})
		}).Order("id")
	}},
	{name: "preload/associations", dest: destAddresses, build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Preload(clause.Associations).Order("id")
	}},
	{name: "scopes", build: func(db *gorm.DB) *gorm.DB {
		adults := func(tx *gorm.DB) *gorm.DB { return tx.Where("id > ?", 7) }
		named := func(tx *gorm.DB) *gorm.DB { return tx.Where(tx.Where("name = ?", "ed").Or("name = ?", "chuck")) }
		return users(db).Scopes(adults, named).Order("id")
	}},
	{name: "soft_delete", dest: destItems, build: func(db *gorm.DB) *gorm.DB { return items(db).Where("price > ?", 0.5).Order("id") }},
	{name: "unscoped", dest: destItems, build: func(db *gorm.DB) *gorm.DB { return items(db).Unscoped().Order("id") }},
	{name: "raw", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE id > ? AND name <> ? ORDER BY id", 7, "fred")
	}},
	{name: "raw_named", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE name = @name OR id = @id", sql.Named("name", "ed"), sql.Named("id", 10))
	}},
	{name: "raw_in_list", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE id IN ? ORDER BY id", []int{7, 9})
	}},
	{name: "values/int_kinds", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id IN ?", []any{int8(7), int16(8), int32(9), int64(10)}).Where("id <> ?", int(0)).Order("id")
	}},
	{name: "values/uint_kinds", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id IN ?", []any{uint(7), uint8(8), uint16(9), uint32(10), uint64(11)}).Order("id")
	}},
	{name: "values/typed_slices", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id IN ?", []int64{7, 8}).Or("name IN ?", []string{"chuck"}).Order("id")
	}},
	{name: "values/floats", dest: destItems, build: func(db *gorm.DB) *gorm.DB {
		return items(db).Where("price > ?", float32(1.25)).Where("price < ?", 99.5)
	}},
	{name: "values/bool", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("(id > 8) = ?", true).Order("id")
	}},
	{name: "values/time_with_location", dest: destItems, build: func(db *gorm.DB) *gorm.DB {
		paris := time.FixedZone("CET", 3600)
		return items(db).Where("created_at > ?", baseTime.Add(time.Hour).In(paris))
	}},
	{name: "values/bytes", dest: destItems, build: func(db *gorm.DB) *gorm.DB {
		return items(db).Where(clause.Eq{Column: clause.Column{Name: "blob"}, Value: []byte{1, 2}})
	}},
	{name: "values/sql_null", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("name = ?", sql.NullString{String: "ed", Valid: true}).Or("id = ?", sql.NullInt64{Int64: 9, Valid: true})
	}},
	{name: "values/valuer_and_registered_type", dest: destItems, build: func(db *gorm.DB) *gorm.DB {
		return items(db).Where("status = ?", status("fresh")).Where("UPPER(name) = ?", upper("apple"))
	}},
	{name: "values/gorm_expr", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", gorm.Expr("? * 2", 4))
	}},
	{name: "values/map_in_named_args", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id > @min AND id < @max", map[string]any{"max": 10, "min": int64(7)})
	}},
}
