package tests

import (
	"database/sql"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// confNote belongs to an address, which belongs to a user: two levels of
// belongs-to for nested association joins (Joins("Address.User")), and
// to an item, a soft-deleted model (item 2 is deleted).
type confNote struct {
	ID        uint `gorm:"primaryKey;autoIncrement:false"`
	Body      string
	AddressID uint
	Address   *fixture.Address `gorm:"constraint:OnDelete:CASCADE"`
	ItemID    *uint
	Item      *item `gorm:"constraint:OnDelete:SET NULL"`
}

// confPost has one of each remaining relation kind: has-one (Cover),
// many2many (Tags), polymorphic has-many (Comments) and a self-referential
// belongs-to (Parent).
type confPost struct {
	ID       uint `gorm:"primaryKey;autoIncrement:false"`
	Title    string
	ParentID *uint
	Parent   *confPost
	Cover    *confCover
	Tags     []confTag     `gorm:"many2many:conf_post_tags"`
	Comments []confComment `gorm:"polymorphic:Owner"`
}

type confCover struct {
	ID         uint `gorm:"primaryKey;autoIncrement:false"`
	ConfPostID uint
	URL        string
}

type confTag struct {
	ID   uint `gorm:"primaryKey;autoIncrement:false"`
	Name string
}

type confComment struct {
	ID        uint `gorm:"primaryKey;autoIncrement:false"`
	OwnerID   uint
	OwnerType string
	Body      string
}

func confModels() []any {
	return []any{&confNote{}, &confTag{}, &confPost{}, &confCover{}, &confComment{}}
}

func posts(db *gorm.DB) *gorm.DB { return db.Model(&confPost{}) }
func destPosts() any             { return &[]confPost{} }

func seedConf(db *gorm.DB) error {
	if err := db.AutoMigrate(confModels()...); err != nil {
		return err
	}
	tags := []confTag{{ID: 1, Name: "go"}, {ID: 2, Name: "sql"}, {ID: 3, Name: "orm"}}
	one := uint(1)
	all := []confPost{
		{ID: 1, Title: "first", Cover: &confCover{ID: 1, URL: "a.png"}, Tags: tags[:2], Comments: []confComment{{ID: 1, Body: "nice"}, {ID: 2, Body: "meh"}}},
		{ID: 2, Title: "second", ParentID: &one, Tags: tags[1:], Comments: []confComment{{ID: 3, Body: "ok"}}},
		{ID: 3, Title: "third", ParentID: &one, Cover: &confCover{ID: 2, URL: "c.png"}},
	}
	if err := db.Create(&all).Error; err != nil {
		return err
	}
	one, two := uint(1), uint(2)
	return db.Create(&[]confNote{{ID: 1, Body: "hi", AddressID: 2, ItemID: &one}, {ID: 2, Body: "yo", AddressID: 5, ItemID: &two}, {ID: 3, Body: "ok", AddressID: 3}}).Error
}

func notes(db *gorm.DB) *gorm.DB { return db.Model(&confNote{}) }
func destNotes() any             { return &[]confNote{} }

// confChainableCoverage lists GORM's chainable methods; each has a case
// named after it below (Attrs and Assign: TestConformanceAttrsAssign).
var confChainableCoverage = []string{"Model", "Table", "Distinct", "Select", "Omit", "MapColumns", "Where", "Not", "Or",
	"Joins", "InnerJoins", "Group", "Having", "Order", "Limit", "Offset", "Scopes", "Preload", "Unscoped", "Raw", "Clauses"}

func idGt(n int) func(db *gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", n).Order("id") }
}

// confChainable covers the chainable methods, finished with Find unless
// the case says otherwise.
var confChainable = []confCase{
	{name: "Model", build: users},
	{name: "Model/addresses", build: addresses, fin: finFind(destAddresses)},
	{name: "Table/name", build: func(db *gorm.DB) *gorm.DB { return db.Table("users").Where("id > ?", 8) }, fin: finFind(destIDNames)},
	{name: "Table/with_model", build: func(db *gorm.DB) *gorm.DB { return users(db).Table("users").Where("id < ?", 9) }},
	{name: "Table/alias", build: func(db *gorm.DB) *gorm.DB {
		return db.Table("users AS u").Select("u.id, u.name").Where("u.id > ?", 8).Order("u.id")
	}, fin: finFind(destIDNames)},
	{name: "Table/alias_model", build: func(db *gorm.DB) *gorm.DB { return users(db).Table("users u").Where("u.name <> ?", "ed") }},
	{name: "Table/subquery", build: func(db *gorm.DB) *gorm.DB {
		return db.Table("(?) AS t", users(db).Select("id, name").Where("id > ?", 7)).Where("t.id < ?", 10).Order("t.id")
	}, fin: finFind(destIDNames)},
	{name: "Table/two_subqueries", build: func(db *gorm.DB) *gorm.DB {
		return db.Table("(?) AS a, (?) AS b", users(db).Select("id").Where("id = ?", 8), addresses(db).Select("user_id").Where("id = ?", 2)).
			Select("a.id").Where("a.id = b.user_id")
	}, fin: finPluck("a.id", destUints)},
	{name: "Distinct", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct("user_id").Order("user_id") }, fin: finPluck("user_id", destUints)},
	{name: "Distinct/columns", build: func(db *gorm.DB) *gorm.DB { return users(db).Distinct("id", "name").Order("name") }},
	{name: "Distinct/no_args_select", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct().Select("user_id").Order("user_id") }, fin: finFind(destAddresses)},
	{name: "Select/names", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("id", "name") }},
	{name: "Select/slice", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select([]string{"name"}) }},
	{name: "Select/expression", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("name, id * 2 AS n") }, fin: finFind(destNameCount)},
	{name: "Select/with_vars", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("name, id + ? AS n", 100) }, fin: finFind(destNameCount)},
	{name: "Select/named_vars", build: func(db *gorm.DB) *gorm.DB {
		return idGt(7)(db).Select("name, id + @k AS n", sql.Named("k", 5))
	}, fin: finFind(destNameCount)},
	// Select(clause.Expr{...}) is refused by GORM itself ("unsupported
	// select args"); a clause.Expr travels as a var of a string select.
	{name: "Select/clause_expr", build: func(db *gorm.DB) *gorm.DB {
		return idGt(7)(db).Select("?", clause.Expr{SQL: "name, id - ? AS n", Vars: []any{1}})
	}, fin: finFind(destNameCount)},
	{name: "Select/subquery", build: func(db *gorm.DB) *gorm.DB {
		return idGt(6)(db).Select("name, (?) AS n", db.Table("addresses").Select("count(*)").Where("addresses.user_id = users.id"))
	}, fin: finFind(destNameCount)},
	{name: "Select/star", build: func(db *gorm.DB) *gorm.DB { return idGt(8)(db).Select("*") }},
	{name: "Omit", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Omit("name") }},
	{name: "Omit/after_select", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("*").Omit("id") }},
	{name: "MapColumns", build: func(db *gorm.DB) *gorm.DB {
		return idGt(7)(db).Select("id, name AS nick").MapColumns(map[string]string{"nick": "name"})
	}},
	{name: "Where/string", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("name = ? OR id > ?", "ed", 9).Order("id") }},
	{name: "Where/no_vars", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id > 8").Order("id") }},
	{name: "Where/map", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"name": "ed", "id": 8}) }},
	{name: "Where/map_in", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"id": []int{7, 9}}).Order("id") }},
	{name: "Where/map_nil", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"name": nil}) }},
	{name: "Where/struct", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(fixture.User{Name: "fred"}) }},
	{name: "Where/struct_pointer", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(&fixture.User{ID: 8, Name: "ed"}) }},
	{name: "Where/struct_selected_fields", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(&fixture.User{Name: "ed"}, "name", "id") }},
	{name: "Where/slice_of_struct", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where([]fixture.User{{Name: "ed"}, {ID: 8}})
	}},
	{name: "Where/clause_exprs", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(clause.Gt{Column: clause.Column{Name: "id"}, Value: 7}, clause.Neq{Column: "name", Value: "fred"}).Order("id")
	}},
	{name: "Where/named_sql_named", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("name = @n OR id = @i", sql.Named("n", "ed"), sql.Named("i", 10)).Order("id")
	}},
	{name: "Where/named_map", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("name = @n OR name = @n2", map[string]any{"n": "jack", "n2": "chuck"}).Order("id")
	}},
	{name: "Where/named_struct", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("name = @Name", fixture.User{Name: "fred"}) }},
	{name: "Where/nested_groups", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(db.Where("name = ?", "ed").Or(db.Where("id > ?", 8).Where("id < ?", 10))).
			Or(db.Not("id <> ?", 7)).Order("id")
	}},
	{name: "Where/subquery_in", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id IN (?)", addresses(db).Select("user_id").Where("email LIKE ?", "%ed%")).Order("id")
	}},
	{name: "Where/subquery_exists", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("EXISTS (?)", db.Table("addresses").Select("1").Where("addresses.user_id = users.id")).Order("id")
	}},
	{name: "Where/subquery_compare", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = (?)", addresses(db).Select("max(user_id)"))
	}},
	{name: "Where/in_slice", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id IN ?", []uint{8, 10}).Order("id") }},
	{name: "Where/in_empty_slice", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id IN ?", []uint{}) }},
	{name: "Where/in_tuples", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("(id, name) IN ?", [][]any{{8, "ed"}, {9, "fred"}, {9, "x"}}).Order("id")
	}},
	{name: "Where/primary_keys", build: func(db *gorm.DB) *gorm.DB { return users(db).Where([]int{7, 10}).Order("id") }},
	{name: "Where/primary_key_inline", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(9) }},
	{name: "Not/string", build: func(db *gorm.DB) *gorm.DB { return users(db).Not("name = ?", "ed").Order("id") }},
	{name: "Not/map", build: func(db *gorm.DB) *gorm.DB { return users(db).Not(map[string]any{"id": []int{7, 8}}).Order("id") }},
	{name: "Not/struct", build: func(db *gorm.DB) *gorm.DB { return users(db).Not(fixture.User{Name: "jack"}).Order("id") }},
	{name: "Not/primary_keys", build: func(db *gorm.DB) *gorm.DB { return users(db).Not([]int64{7, 8}).Order("id") }},
	{name: "Not/group", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Not(db.Where("id < ?", 8).Or("id > ?", 9)).Order("id")
	}},
	{name: "Or/string", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id = ?", 7).Or("name = ?", "fred").Order("id") }},
	{name: "Or/map", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 7).Or(map[string]any{"name": "chuck"}).Order("id")
	}},
	{name: "Or/struct", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id = ?", 7).Or(fixture.User{ID: 9}).Order("id") }},
	{name: "Or/group", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 7).Or(db.Where("name = ?", "ed").Where("id = ?", 8)).Order("id")
	}},
	{name: "Joins/association", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User").Where(clause.Eq{Column: clause.Column{Table: "User", Name: "name"}, Value: "ed"}).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Joins/association_conditions", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", db.Where(&fixture.User{Name: "fred"})).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Joins/association_string_conditions", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", db.Where("name <> ?", "ed")).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Joins/association_select", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", db.Select("name")).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Joins/nested_association", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Joins("Address").Joins("Address.User").Order("conf_notes.id")
	}, fin: finFind(destNotes)},
	{name: "Joins/nested_association_only", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Joins("Address.User").Where(clause.Eq{Column: clause.Column{Table: "Address__User", Name: "name"}, Value: "ed"}).Order("conf_notes.id")
	}, fin: finFind(destNotes)},
	{name: "Joins/raw", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Joins("JOIN addresses ON addresses.user_id = users.id").Order("addresses.id")
	}},
	{name: "Joins/raw_vars", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Joins("LEFT JOIN addresses ON addresses.user_id = users.id AND addresses.email LIKE ?", "%ed%").
			Select("users.id, users.name").Where("addresses.id IS NULL").Order("users.id")
	}},
	{name: "Joins/raw_subquery", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Joins("JOIN (?) AS a ON a.user_id = users.id", addresses(db).Select("user_id").Where("id > ?", 3)).Order("users.id")
	}},
	{name: "InnerJoins/association", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).InnerJoins("User").Where("addresses.id < ?", 4).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "InnerJoins/association_conditions", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).InnerJoins("User", db.Where(&fixture.User{ID: 8})).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "InnerJoins/nested_association", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).InnerJoins("Address").InnerJoins("Address.User").Order("conf_notes.id")
	}, fin: finFind(destNotes)},
	{name: "Group", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id AS id, count(*) AS n").Group("user_id").Order("user_id")
	}, fin: finScan(func() any { return &[]struct{ ID, N int }{} })},
	{name: "Group/two", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("id, name").Group("id").Group("name").Order("id")
	}},
	{name: "Having", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id AS id, count(*) AS n").Group("user_id").Having("count(*) > ?", 1)
	}, fin: finScan(func() any { return &[]struct{ ID, N int }{} })},
	{name: "Having/map", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id").Group("user_id").Having(map[string]any{"user_id": 9})
	}, fin: finPluck("user_id", destUints)},
	{name: "Having/clause", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id").Group("user_id").Having(clause.Gte{Column: "user_id", Value: 8}).Order("user_id")
	}, fin: finPluck("user_id", destUints)},
	{name: "Order/string", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("name desc, id") }},
	{name: "Order/two_calls", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("name").Order("id desc") }},
	{name: "Order/column", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order(clause.OrderByColumn{Column: clause.Column{Name: "name"}, Desc: true})
	}},
	{name: "Order/column_reorder", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order("name").Order(clause.OrderByColumn{Column: clause.Column{Name: "id"}, Desc: true, Reorder: true})
	}},
	{name: "Order/order_by_expression", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN name = ? THEN 0 ELSE 1 END, id", Vars: []any{"fred"}, WithoutParentheses: true}})
	}},
	{name: "Order/order_by_columns", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order(clause.OrderBy{Columns: []clause.OrderByColumn{{Column: clause.Column{Name: "name"}}, {Column: clause.PrimaryColumn, Desc: true}}})
	}},
	{name: "Limit", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(2) }},
	{name: "Limit/zero", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(0) }},
	{name: "Limit/cancelled", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(1).Limit(-1) }},
	{name: "Offset", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Offset(2).Limit(10) }},
	{name: "Offset/alone", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Offset(3) }, noRun: mariaNoOffset},
	{name: "Scopes", build: func(db *gorm.DB) *gorm.DB {
		big := func(tx *gorm.DB) *gorm.DB { return tx.Where("id > ?", 7) }
		page := func(tx *gorm.DB) *gorm.DB { return tx.Order("id").Offset(1).Limit(2) }
		return users(db).Scopes(big, page)
	}},
	{name: "Scopes/nested", build: func(db *gorm.DB) *gorm.DB {
		inner := func(tx *gorm.DB) *gorm.DB { return tx.Where("name <> ?", "ed") }
		outer := func(tx *gorm.DB) *gorm.DB { return tx.Scopes(inner).Order("id") }
		return users(db).Scopes(outer)
	}},
	{name: "Preload", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Preload("Addresses") }},
	{name: "Preload/belongs_to", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Preload("User").Order("id") }, fin: finFind(destAddresses)},
	{name: "Preload/nested", build: func(db *gorm.DB) *gorm.DB { return notes(db).Preload("Address.User.Addresses").Order("id") }, fin: finFind(destNotes)},
	{name: "Preload/associations", build: func(db *gorm.DB) *gorm.DB { return notes(db).Preload(clause.Associations).Order("id") }, fin: finFind(destNotes)},
	{name: "Preload/conditions", build: func(db *gorm.DB) *gorm.DB { return idGt(6)(db).Preload("Addresses", "email LIKE ?", "%ed%") }},
	{name: "Preload/struct_conditions", build: func(db *gorm.DB) *gorm.DB {
		return idGt(6)(db).Preload("Addresses", &fixture.Address{Email: "ed@lala.com"})
	}},
	{name: "Preload/function", build: func(db *gorm.DB) *gorm.DB {
		return idGt(6)(db).Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Order("email DESC").Where("id <> ?", 3) })
	}},
	{name: "Preload/with_joins", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Joins("Address").Preload("Address.User").Order("conf_notes.id")
	}, fin: finFind(destNotes)},
	{name: "Unscoped", build: func(db *gorm.DB) *gorm.DB { return items(db).Unscoped().Order("id") }, fin: finFind(destItems)},
	{name: "Unscoped/soft_delete_scope", build: func(db *gorm.DB) *gorm.DB { return items(db).Order("id") }, fin: finFind(destItems)},
	{name: "Raw", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE id > ? ORDER BY id", 7)
	}, fin: finScan(destIDNames)},
	{name: "Raw/named", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE name = @n OR id = @i ORDER BY id", sql.Named("n", "ed"), sql.Named("i", 7))
	}, fin: finScan(destIDNames)},
	{name: "Raw/named_map", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE id > @a ORDER BY id", map[string]any{"a": 8})
	}, fin: finScan(destIDNames)},
	{name: "Raw/subquery", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE id IN (?) ORDER BY id", addresses(db).Select("user_id"))
	}, fin: finScan(destIDNames)},
	{name: "Raw/dollar_literal", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE name <> '$2' AND id > ? AND id < ? ORDER BY id", 7, 10)
	}, fin: finScan(destIDNames)},
	{name: "Raw/find", build: func(db *gorm.DB) *gorm.DB { return db.Raw("SELECT * FROM users WHERE id IN ?", []int{8, 9}) }},
	{name: "Clauses/where_and_limit", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Where{Exprs: []clause.Expression{clause.Gt{Column: clause.PrimaryColumn, Value: 7}}}, clause.Limit{Limit: ptrInt(2)}).Order("id")
	}},
	{name: "Clauses/where_merged_with_where", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id > ?", 7).Clauses(clause.Where{Exprs: []clause.Expression{clause.Neq{Column: "name", Value: "ed"}}}).Order("id")
	}},
	{name: "Where/map_expr_value", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"id": gorm.Expr("? + 1", 7)}) }},
	{name: "Where/group_with_model", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(users(db).Where("name = ?", "ed").Or("name = ?", "fred")).Order("id")
	}},
	{name: "Where/subquery_with_joins", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("EXISTS (?)", addresses(db).Select("1").Joins("User").
			Where("addresses.user_id = users.id").Where(clause.Eq{Column: clause.Column{Table: "User", Name: "name"}, Value: "fred"})).Order("id")
	}},
	{name: "Where/subquery_limit_order_group", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id IN (?)", addresses(db).Select("user_id").Group("user_id").Having("count(*) > ?", 0).Order("user_id desc").Limit(2)).Order("id")
	}, noRun: map[string]string{dbtest.MySQL: "MariaDB refuses LIMIT in an IN subquery"}},
	{name: "Preload/function_nested_preload_joins", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Preload("Address", func(tx *gorm.DB) *gorm.DB {
			return tx.Joins("User").Preload("User.Addresses", "id > ?", 1).Where(clause.Neq{Column: clause.Column{Table: "User", Name: "name"}, Value: "x"})
		}).Order("id")
	}, fin: finFind(destNotes)},
	{name: "Preload/associations_function", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Preload(clause.Associations, func(tx *gorm.DB) *gorm.DB { return tx.Where("id <> ?", 3) }).Order("id")
	}, fin: finFind(destNotes)},
	{name: "Joins/raw_named", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("users.*").Joins("JOIN addresses ON addresses.user_id = users.id AND addresses.email = @e", sql.Named("e", "ed@wood.com"))
	}},
	{name: "Group/expression", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("lower(name) AS name, count(*) AS n").Group("lower(name)").Order("name")
	}, fin: finScan(destNameCount)},
	{name: "Having/named_map", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id").Group("user_id").Having("count(*) >= @min", map[string]any{"min": 1}).Order("user_id")
	}, fin: finPluck("user_id", destUints)},
	{name: "Table/vars", build: func(db *gorm.DB) *gorm.DB {
		return db.Table("(SELECT * FROM users WHERE id > ?) AS u", 7).Select("u.id, u.name").Order("u.id")
	}, fin: finFind(destIDNames)},
	{name: "Model/none_struct_where", build: func(db *gorm.DB) *gorm.DB { return db.Where(&fixture.User{Name: "ed"}) }},
	{name: "Model/slice", build: func(db *gorm.DB) *gorm.DB { return db.Model(&[]fixture.Address{}).Joins("User").Order("addresses.id") }, fin: finFind(destAddresses)},
	{name: "Model/reused_after_count", build: func(db *gorm.DB) *gorm.DB {
		q := users(db).Where("id > ?", 7)
		var n int64
		q.Count(&n)
		return q.Order("id")
	}},
	{name: "Model/reused_after_first", build: func(db *gorm.DB) *gorm.DB {
		q := users(db).Where("id > ?", 7)
		q.First(&fixture.User{})
		return q
	}},
	{name: "Model/reused_after_pluck", build: func(db *gorm.DB) *gorm.DB {
		q := addresses(db).Where("user_id = ?", 8)
		q.Pluck("email", &[]string{})
		return q.Order("id")
	}, fin: finFind(destAddresses)},
	{name: "Model/reused_after_find_preload", build: func(db *gorm.DB) *gorm.DB {
		q := users(db).Preload("Addresses").Where("id < ?", 9)
		q.Find(&[]fixture.User{})
		return q
	}},
	{name: "Table/struct_where", build: func(db *gorm.DB) *gorm.DB { return db.Table("users").Where(&fixture.User{Name: "fred"}) }, fin: finFind(destIDNames)},
	{name: "Table/unicode_model", build: func(db *gorm.DB) *gorm.DB { return db.Model(&unicodeRow{}).Where(&unicodeRow{ID: 6}) }, fin: finFind(func() any { return &[]unicodeRow{} })},
	{name: "Where/embedded_struct", build: func(db *gorm.DB) *gorm.DB {
		return db.Model(&person{}).Where(&person{Contact: contact{Email: "bob@y.org"}})
	}, fin: finFind(func() any { return &[]person{} })},
	{name: "Where/registered_type_in", build: func(db *gorm.DB) *gorm.DB {
		return items(db).Unscoped().Where("status IN ?", []status{"fresh", "old"}).Order("id")
	}, fin: finFind(destItems)},
	{name: "Where/time_and_pointer", build: func(db *gorm.DB) *gorm.DB {
		at := baseTime.Add(30 * time.Minute)
		return items(db).Where("created_at > ?", &at).Order("id")
	}, fin: finFind(destItems)},
	{name: "Scopes/table_and_model", build: func(db *gorm.DB) *gorm.DB {
		onAddresses := func(tx *gorm.DB) *gorm.DB { return tx.Model(&fixture.Address{}).Where("user_id = ?", 8) }
		return db.Scopes(onAddresses).Order("id")
	}, fin: finFind(destAddresses)},
	{name: "Unscoped/no_soft_delete", build: func(db *gorm.DB) *gorm.DB { return users(db).Unscoped().Where("id = ?", 7) }},
	{name: "Clauses/locking_preload", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 8).Preload("Addresses").Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}},
	{name: "Joins/association_or_conditions", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", db.Where(&fixture.User{Name: "ed"}).Or(&fixture.User{Name: "jack"})).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Joins/association_unscoped", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", db.Unscoped()).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Order/joined_column", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User").Order(clause.OrderByColumn{Column: clause.Column{Table: "User", Name: "name"}, Desc: true}).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Select/column_var", build: func(db *gorm.DB) *gorm.DB {
		return idGt(7)(db).Select("?, ?", clause.Column{Table: clause.CurrentTable, Name: "id"}, clause.Column{Name: "name"})
	}},
	{name: "Where/mixed_slice_map", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(map[string]any{"name": []any{"ed", "jack"}}).Order("id")
	}},
	{name: "Where/nil_var", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("name = ? OR name = ?", "ed", nil).Order("id") }},
	{name: "Where/empty_map_in", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"name": []string{}}) }},
	{name: "Not/string_several_vars", build: func(db *gorm.DB) *gorm.DB { return users(db).Not("name = ? AND id = ?", "ed", 8).Order("id") }},
	{name: "Not/string_keys", build: func(db *gorm.DB) *gorm.DB { return users(db).Not([]string{"7", "8"}).Order("id") }},
	{name: "Preload/function_limit", build: func(db *gorm.DB) *gorm.DB {
		return idGt(6)(db).Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Order("id").Limit(2).Offset(1) })
	}},
	{name: "Preload/omit", build: func(db *gorm.DB) *gorm.DB {
		return idGt(6)(db).Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Omit("email") })
	}},
	{name: "MapColumns/scan", build: func(db *gorm.DB) *gorm.DB {
		return idGt(7)(db).Select("id AS k, name AS label").MapColumns(map[string]string{"k": "id", "label": "name"})
	}, fin: finScan(destIDNames)},
	{name: "Joins/soft_deleted_association", build: func(db *gorm.DB) *gorm.DB { return notes(db).Joins("Item").Order("conf_notes.id") }, fin: finFind(destNotes)},
	{name: "Joins/soft_deleted_association_unscoped", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Joins("Item", db.Unscoped()).Order("conf_notes.id")
	}, fin: finFind(destNotes)},
	{name: "Joins/soft_deleted_association_conditions", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).InnerJoins("Item", db.Where(&item{Status: "fresh"})).Order("conf_notes.id")
	}, fin: finFind(destNotes)},
	{name: "Preload/soft_deleted", build: func(db *gorm.DB) *gorm.DB { return notes(db).Preload("Item").Order("id") }, fin: finFind(destNotes)},
	{name: "Preload/soft_deleted_unscoped", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Preload("Item", func(tx *gorm.DB) *gorm.DB { return tx.Unscoped() }).Order("id")
	}, fin: finFind(destNotes)},
	{name: "Unscoped/chain_with_soft_deleted_join", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Unscoped().Joins("Item").Preload("Item").Order("conf_notes.id")
	}, fin: finFind(destNotes)},
	{name: "Where/subquery_soft_deleted", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Where("item_id IN (?)", items(db).Select("id")).Order("id")
	}, fin: finFind(destNotes)},
	{name: "Where/subquery_soft_deleted_unscoped", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Where("item_id IN (?)", items(db).Unscoped().Select("id")).Order("id")
	}, fin: finFind(destNotes)},
	{name: "Joins/conditions_subquery", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", db.Where("\"User\".\"id\" IN (?)", db.Table("addresses").Select("user_id").Where("id > ?", 3))).Order("addresses.id")
	}, fin: finFind(destAddresses), skip: map[string]string{dbtest.MySQL: "the condition quotes with double quotes; MariaDB reads them as strings"}},
	{name: "Order/subquery_expression", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order(clause.OrderBy{Expression: clause.Expr{SQL: "(?) DESC, id", Vars: []any{db.Table("addresses").Select("count(*)").Where("addresses.user_id = users.id")}, WithoutParentheses: true}})
	}},
	{name: "Having/subquery", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id").Group("user_id").Having("count(*) >= (?)", db.Table("users").Select("count(*)").Where("id = ?", 8)).Order("user_id")
	}, fin: finPluck("user_id", destUints)},
	{name: "Select/subquery_named", build: func(db *gorm.DB) *gorm.DB {
		return idGt(6)(db).Select("name, (@sub) AS n", sql.Named("sub", db.Table("addresses").Select("count(*)").Where("addresses.user_id = users.id AND email <> @e", sql.Named("e", "x"))))
	}, fin: finFind(destNameCount)},
	{name: "Count/soft_delete", build: func(db *gorm.DB) *gorm.DB { return items(db).Where("qty > ?", 1) }, fin: finCount()},
	{name: "Model/reused_after_update", build: func(db *gorm.DB) *gorm.DB {
		q := users(db).Where("id > ?", 1000)
		q.Update("name", "never")
		return q.Or("id = ?", 8)
	}},
	{name: "Model/reused_after_soft_delete", build: func(db *gorm.DB) *gorm.DB {
		q := items(db).Where("qty > ?", 1000)
		q.Delete(&item{})
		return q.Or("id = ?", 3)
	}, fin: finFind(destItems)},
	{name: "Model/reused_after_find_soft_delete", build: func(db *gorm.DB) *gorm.DB {
		q := items(db).Where("qty > ?", 1)
		q.Find(&[]item{})
		return q.Or("id = ?", 2)
	}, fin: finFind(destItems)},
	{name: "Where/values_edge", build: func(db *gorm.DB) *gorm.DB {
		var nilPtr *int
		return users(db).Where("id <> ? AND id > ? AND name <> ? AND name <> ?", uint64(1<<40), int64(-1<<40), "ünïcødé ✓", string([]byte{'a', 0x7f})).
			Or("id = ?", nilPtr).Or("name = ?", sql.NullString{}).Order("id")
	}},
	{name: "Where/values_times", build: func(db *gorm.DB) *gorm.DB {
		at := time.Date(2024, 3, 10, 13, 0, 0, 0, time.FixedZone("X", -5*3600))
		return items(db).Unscoped().Where("created_at > ? OR created_at = ?", at, time.Time{}).Order("id")
	}, fin: finFind(destItems)},
	{name: "Where/values_bytes_named_type", build: func(db *gorm.DB) *gorm.DB {
		blob := clause.Column{Name: "blob"} // quoted: BLOB is a keyword on MariaDB
		return items(db).Where(clause.Or(clause.Eq{Column: blob, Value: []byte{1, 2}}, clause.Eq{Column: blob, Value: []byte{}})).Order("id")
	}, fin: finFind(destItems)},
	// GORM itself panics scanning a has-many join into the model
	// (reflect: call of reflect.Value.Field on slice Value), on the
	// original and the restored chain alike; it runs it for Count and Scan.
	{name: "Joins/has_many_count", build: func(db *gorm.DB) *gorm.DB { return users(db).Joins("Addresses").Where("users.id > ?", 7) }, fin: finCount()},
	{name: "Joins/has_many_scan", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("users.id, users.name").Joins("Addresses").Where("users.id > ?", 7).Order("users.id")
	}, fin: finScan(destIDNames)},
	{name: "Preload/named_conditions", build: func(db *gorm.DB) *gorm.DB {
		return idGt(6)(db).Preload("Addresses", "email <> @e", sql.Named("e", "ed@lala.com"))
	}},
	{name: "Joins/association_inline_conditions", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", "addresses.id > ?", 2).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Having/named", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id").Group("user_id").Having("count(*) >= @min", sql.Named("min", 2))
	}, fin: finPluck("user_id", destUints)},
	{name: "Not/named", build: func(db *gorm.DB) *gorm.DB { return users(db).Not("name = @n", sql.Named("n", "ed")).Order("id") }},
	{name: "Or/named", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 7).Or("name = @n", map[string]any{"n": "fred"}).Order("id")
	}},
	{name: "Limit/large", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(1 << 40).Offset(1) }},
	{name: "Offset/large", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Limit(5).Offset(1 << 33) }},
	{name: "Joins/has_one", build: func(db *gorm.DB) *gorm.DB { return posts(db).Joins("Cover").Order("conf_posts.id") }, fin: finFind(destPosts)},
	{name: "Joins/self_referential", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).InnerJoins("Parent").Where(clause.Eq{Column: clause.Column{Table: "Parent", Name: "title"}, Value: "first"}).Order("conf_posts.id")
	}, fin: finFind(destPosts)},
	{name: "Joins/nested_self_has_one", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).Joins("Parent").Joins("Parent.Cover").Order("conf_posts.id")
	}, fin: finFind(destPosts)},
	{name: "Preload/has_one", build: func(db *gorm.DB) *gorm.DB { return posts(db).Preload("Cover").Order("id") }, fin: finFind(destPosts)},
	{name: "Preload/many2many", build: func(db *gorm.DB) *gorm.DB { return posts(db).Preload("Tags").Order("id") }, fin: finFind(destPosts)},
	{name: "Preload/many2many_conditions", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).Preload("Tags", "name <> ?", "go").Preload("Tags", func(tx *gorm.DB) *gorm.DB { return tx.Order("name") }).Order("id")
	}, fin: finFind(destPosts)},
	{name: "Preload/polymorphic", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).Preload("Comments", func(tx *gorm.DB) *gorm.DB { return tx.Order("id desc") }).Order("id")
	}, fin: finFind(destPosts)},
	{name: "Preload/self_referential_nested", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).Preload("Parent.Tags").Preload("Parent.Cover").Order("id")
	}, fin: finFind(destPosts)},
	{name: "Preload/associations_all_kinds", build: func(db *gorm.DB) *gorm.DB { return posts(db).Preload(clause.Associations).Order("id") }, fin: finFind(destPosts)},
	{name: "Where/subquery_join_table", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).Where("id IN (?)", db.Table("conf_post_tags").Select("conf_post_id").Where("conf_tag_id = ?", 3)).Order("id")
	}, fin: finFind(destPosts)},
	{name: "Select/twice", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Select("id").Select("name") }},
	{name: "Select/after_distinct", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct().Select("user_id").Order("user_id") }, fin: finFind(destAddresses)},
	{name: "Select/distinct_expression_vars", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Distinct("user_id + ? AS user_id", 0).Order("user_id")
	}, fin: finFind(destAddresses)},
	{name: "Omit/then_select_star", build: func(db *gorm.DB) *gorm.DB { return idGt(7)(db).Omit("name").Select("*") }},
	{name: "Omit/joins", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Omit("email").Joins("User").Order("addresses.id") }, fin: finFind(destAddresses)},
	{name: "Where/struct_pointer_field", build: func(db *gorm.DB) *gorm.DB {
		one := uint(1)
		return posts(db).Where(&confPost{ParentID: &one, Cover: &confCover{URL: "ignored"}}).Order("id")
	}, fin: finFind(destPosts)},
	{name: "Where/map_pointer_value", build: func(db *gorm.DB) *gorm.DB {
		one := uint(1)
		return posts(db).Where(map[string]any{"parent_id": &one}).Order("id")
	}, fin: finFind(destPosts)},
	{name: "Joins/self_referential_select_conditions", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).Joins("Parent", db.Select("title").Where(&confPost{Title: "first"})).Order("conf_posts.id")
	}, fin: finFind(destPosts)},
	{name: "Preload/associations_and_nested", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).Preload(clause.Associations).Preload("Parent.Tags", "name <> ?", "go").Order("id")
	}, fin: finFind(destPosts)},
	{name: "Preload/many2many_joins_inside", build: func(db *gorm.DB) *gorm.DB {
		return posts(db).Preload("Tags", func(tx *gorm.DB) *gorm.DB { return tx.Where("conf_tags.id > ?", 1).Order("conf_tags.id desc") }).Order("id")
	}, fin: finFind(destPosts)},
	{name: "Model/value_with_key", build: func(db *gorm.DB) *gorm.DB { return db.Model(&fixture.User{ID: 8}).Where("name <> ?", "x") }},
	{name: "Where/clause_expr_subquery_var", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(clause.Expr{SQL: "id IN (?)", Vars: []any{addresses(db).Select("user_id").Where("id < ?", 3)}}).Order("id")
	}},
	{name: "Not/struct_selected_fields", build: func(db *gorm.DB) *gorm.DB { return users(db).Not(&fixture.User{Name: "ed"}, "name").Order("id") }},
	{name: "Or/nested_or_groups", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(db.Where("id = ?", 7).Or(db.Where("id = ?", 8).Or("id = ?", 9))).Or("name = ?", "chuck").Order("id")
	}},
	{name: "Joins/nested_association_conditions", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Joins("Address").Joins("Address.User", db.Where(&fixture.User{Name: "ed"})).Order("conf_notes.id")
	}, fin: finFind(destNotes)},
	{name: "Joins/association_omit", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User", db.Omit("name")).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Joins/association_with_select", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("addresses.id", "addresses.email").Joins("User").Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Joins/association_and_preload", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User").Preload("User.Addresses").Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Joins/association_alias_table", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Table("addresses AS a").Joins("User").Order("a.id")
	}, fin: finFind(destAddresses)},
	{name: "InnerJoins/with_preload", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).InnerJoins("User").Preload("User").Where("addresses.id > ?", 1).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Preload/function_limit_unscoped", build: func(db *gorm.DB) *gorm.DB {
		return idGt(6)(db).Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Unscoped().Select("id", "user_id").Order("id desc") })
	}},
	{name: "Preload/nested_each_with_conditions", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Preload("Address", "email <> ?", "x").Preload("Address.User", func(tx *gorm.DB) *gorm.DB { return tx.Select("id", "name") }).Order("id")
	}, fin: finFind(destNotes)},
	{name: "Preload/associations_nested", build: func(db *gorm.DB) *gorm.DB {
		return notes(db).Preload("Address." + clause.Associations).Order("id")
	}, fin: finFind(destNotes)},
	{name: "Preload/with_find_in_batches", build: func(db *gorm.DB) *gorm.DB { return users(db).Preload("Addresses") }, fin: finBatches(2)},
	{name: "Unscoped/preload_soft_deleted", build: func(db *gorm.DB) *gorm.DB {
		return items(db).Unscoped().Where("price > ?", 1).Order("id")
	}, fin: finCount()},
	{name: "Raw/with_model", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Raw("SELECT * FROM users WHERE name LIKE ? ORDER BY id", "%e%")
	}},
	{name: "Raw/preload", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT * FROM users WHERE id > ? ORDER BY id", 7).Preload("Addresses")
	}},
	{name: "Scopes/with_joins_and_preload", build: func(db *gorm.DB) *gorm.DB {
		withUser := func(tx *gorm.DB) *gorm.DB { return tx.Joins("User").Preload("User.Addresses") }
		return addresses(db).Scopes(withUser).Order("addresses.id")
	}, fin: finFind(destAddresses)},
	{name: "Table/subquery_preload", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Table("(?) AS users", users(db).Where("id > ?", 8)).Preload("Addresses").Order("id")
	}},
	{name: "Distinct/count_pluck", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct("user_id").Where("id > ?", 1) }, fin: finCount()},
}

func ptrInt(n int) *int { return &n }

// TestConformanceAttrsAssign: Attrs and Assign hold values only
// FirstOrInit and FirstOrCreate read; Dumps refuses a chain holding them
// with ErrNotSerializable naming them rather than dropping them.
func TestConformanceAttrsAssign(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.Use(shadowtest.New(t, pluginOptions()...)); err != nil {
			t.Fatal(err)
		}
		for name, chain := range map[string]*gorm.DB{
			"attrs":   users(db).Where("name = ?", "zed").Attrs(fixture.User{ID: 30}),
			"assigns": users(db).Where("name = ?", "zed").Assign(map[string]any{"id": 30}),
			"both":    users(db).Attrs(&fixture.User{ID: 31}).Assign(fixture.User{Name: "x"}),
		} {
			_, err := gormpickle.Dumps(chain)
			if !errors.Is(err, gormpickle.ErrNotSerializable) {
				t.Fatalf("%s: Dumps error %v, want ErrNotSerializable", name, err)
			}
		}
	})
}

// confSubqueries are chains an application may load and then use as a
// subquery of its own chain (they select one column of ids).
var confSubqueries = map[string]func(db *gorm.DB) *gorm.DB{
	"where":    func(db *gorm.DB) *gorm.DB { return addresses(db).Select("user_id").Where("email LIKE ?", "%ed%") },
	"distinct": func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct("user_id") },
	"joins": func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("addresses.user_id").InnerJoins("User", db.Where(&fixture.User{Name: "fred"}))
	},
	"soft": func(db *gorm.DB) *gorm.DB { return items(db).Select("id").Where("qty > ?", 1) },
	"raw":  func(db *gorm.DB) *gorm.DB { return db.Raw("SELECT user_id FROM addresses WHERE id > ?", 2) },
	"table": func(db *gorm.DB) *gorm.DB {
		return db.Table("addresses").Select("user_id").Where(map[string]any{"id": []int{1, 5}})
	},
	"named": func(db *gorm.DB) *gorm.DB { return users(db).Select("id").Where("name = @n", sql.Named("n", "jack")) },
	"subqueried": func(db *gorm.DB) *gorm.DB {
		return users(db).Select("id").Where("id IN (?)", addresses(db).Select("user_id"))
	},
}

// TestConformanceLoadedAsSubquery: a restored chain used as a subquery of
// a new chain renders and returns what the original used there does, and
// still does once that new chain is dumped and restored in turn.
func TestConformanceLoadedAsSubquery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seeded, _ := confTargets(t, db)
		for name, sub := range confSubqueries {
			t.Run(name, func(t *testing.T) {
				data := mustDump(t, sub(seeded))
				outer := func(s *gorm.DB) func(db *gorm.DB) *gorm.DB {
					return func(db *gorm.DB) *gorm.DB { return users(db).Where("id IN (?)", s).Or("id = ?", 7).Order("id") }
				}
				want := outer(sub(seeded))(seeded)
				got := outer(mustLoad(t, data, seeded))(seeded)
				sameRun(t, want, got, destUsers, findInto)
				// Dumped again with the restored chain inside, and restored.
				again := mustLoad(t, mustDump(t, outer(mustLoad(t, data, seeded))(seeded)), seeded)
				sameRun(t, want, again, destUsers, findInto)
			})
		}
	})
}
