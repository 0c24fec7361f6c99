package tests

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// Writing finishers. Each case runs on the seeded rows in a transaction
// rolled back afterwards; the harness compares rows affected, what the
// finisher filled in, and every table afterwards. The targets' NowFunc is
// fixed (confNow) so soft-delete markers and timestamps compare equal.

// confWriteCoverage lists the writing finishers; each has a case below.
var confWriteCoverage = []string{"FirstOrCreate", "Update", "Updates", "UpdateColumn", "UpdateColumns", "Delete", "Exec",
	"Create", "CreateInBatches", "Save"}

// finWrite runs do and returns the rows it affected and dest as it left
// it (RETURNING, primary keys, FirstOrCreate's row).
func finWrite(name string, dest func() any, do func(tx *gorm.DB, dest any) *gorm.DB) confFinisher {
	return confFinisher{name: name, write: true, run: func(tx *gorm.DB) (any, error) {
		var d any
		if dest != nil {
			d = dest()
		}
		r := do(tx, d)
		return []any{r.RowsAffected, d}, r.Error
	}}
}

func finUpdate(column string, value any) confFinisher {
	return finWrite("Update", nil, func(tx *gorm.DB, _ any) *gorm.DB { return tx.Update(column, value) })
}

func finUpdates(values any) confFinisher {
	return finWrite("Updates", nil, func(tx *gorm.DB, _ any) *gorm.DB { return tx.Updates(values) })
}

func finUpdateColumn(column string, value any) confFinisher {
	return finWrite("UpdateColumn", nil, func(tx *gorm.DB, _ any) *gorm.DB { return tx.UpdateColumn(column, value) })
}

func finUpdateColumns(values any) confFinisher {
	return finWrite("UpdateColumns", nil, func(tx *gorm.DB, _ any) *gorm.DB { return tx.UpdateColumns(values) })
}

func finDelete(dest func() any, conds ...any) confFinisher {
	return finWrite("Delete", dest, func(tx *gorm.DB, d any) *gorm.DB { return tx.Delete(d, conds...) })
}

func finCreate(dest func() any) confFinisher {
	return finWrite("Create", dest, func(tx *gorm.DB, d any) *gorm.DB { return tx.Create(d) })
}

func finFirstOrCreate(conds ...any) confFinisher {
	return finWrite("FirstOrCreate", destUser, func(tx *gorm.DB, d any) *gorm.DB { return tx.FirstOrCreate(d, conds...) })
}

// finExec runs a restored Raw statement as Exec would: through GORM's Raw
// callbacks, with the SQL and vars the chain holds (db.Exec itself takes
// new SQL text, so a loaded chain cannot be passed to it).
func finExec() confFinisher {
	return finWrite("Exec", nil, func(tx *gorm.DB, _ any) *gorm.DB { return tx.Callback().Raw().Execute(tx) })
}

func newUser(id uint, name string) func() any {
	return func() any { return &fixture.User{ID: id, Name: name} }
}

func usersAbove(n int) func(db *gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", n) }
}

// omitAddresses is a chain with no model, as Save is used.
func omitAddresses(db *gorm.DB) *gorm.DB { return db.Omit("Addresses") }

// confWrites covers the writing finishers on restored chains.
var confWrites = []confCase{
	{name: "FirstOrCreate/found", build: usersAbove(7), fin: finFirstOrCreate()},
	{name: "FirstOrCreate/created", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(&fixture.User{ID: 20, Name: "zed"}) }, fin: finFirstOrCreate()},
	{name: "FirstOrCreate/inline_conds", build: users, fin: finFirstOrCreate(fixture.User{ID: 21, Name: "amy"})},
	{name: "FirstOrCreate/map_where", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"id": 22, "name": "bo"}) }, fin: finFirstOrCreate()},
	{name: "Update", build: usersAbove(8), fin: finUpdate("name", "x")},
	{name: "Update/expr", build: usersAbove(8), fin: finUpdate("name", gorm.Expr("UPPER(name)"))},
	{name: "Update/model_with_key", build: func(db *gorm.DB) *gorm.DB { return db.Model(&fixture.User{ID: 9}) }, fin: finUpdate("name", "freddy")},
	{name: "Update/soft_delete_model", build: func(db *gorm.DB) *gorm.DB { return items(db).Where("price > ?", 0.5) }, fin: finUpdate("qty", 9)},
	{name: "Update/unscoped", build: func(db *gorm.DB) *gorm.DB { return items(db).Unscoped().Where("price > ?", 0.5) }, fin: finUpdate("qty", 9)},
	{name: "Update/no_where", build: users, fin: finUpdate("name", "all")},
	{name: "Update/joins_subquery_value", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id IN ?", []int{7, 8}) },
		fin: finWrite("Update", nil, func(tx *gorm.DB, _ any) *gorm.DB {
			sub := tx.Session(&gorm.Session{NewDB: true}).Table("addresses").Select("max(email)").Where("addresses.user_id = users.id")
			return tx.Update("name", sub)
		})},
	{name: "Updates/map", build: usersAbove(8), fin: finUpdates(map[string]any{"name": "y"})},
	{name: "Updates/struct", build: usersAbove(8), fin: finUpdates(fixture.User{Name: "z"})},
	{name: "Updates/struct_zero_selected", build: func(db *gorm.DB) *gorm.DB { return usersAbove(8)(db).Select("name") }, fin: finUpdates(fixture.User{})},
	{name: "Updates/omit", build: func(db *gorm.DB) *gorm.DB { return items(db).Where("id = ?", 1).Omit("qty") }, fin: finUpdates(map[string]any{"qty": 1, "name": "fig"})},
	{name: "Updates/select_star", build: func(db *gorm.DB) *gorm.DB { return db.Model(&fixture.User{ID: 7}).Select("*") }, fin: finUpdates(fixture.User{ID: 7, Name: "jackie"})},
	{name: "UpdateColumn", build: usersAbove(9), fin: finUpdateColumn("name", "c")},
	{name: "UpdateColumn/soft_delete_model", build: func(db *gorm.DB) *gorm.DB { return items(db).Where("id < ?", 3) }, fin: finUpdateColumn("qty", gorm.Expr("qty + ?", 1))},
	{name: "UpdateColumns/map", build: usersAbove(9), fin: finUpdateColumns(map[string]any{"name": "d"})},
	{name: "UpdateColumns/struct", build: usersAbove(9), fin: finUpdateColumns(fixture.User{Name: "e"})},
	{name: "Delete/soft", build: func(db *gorm.DB) *gorm.DB { return items(db).Where("id = ?", 1) }, fin: finDelete(func() any { return &item{} })},
	{name: "Delete/soft_inline_key", build: items, fin: finDelete(func() any { return &item{} }, 3)},
	{name: "Delete/unscoped_hard", build: func(db *gorm.DB) *gorm.DB { return items(db).Unscoped().Where("id IN ?", []int{1, 2}) }, fin: finDelete(func() any { return &item{} })},
	{name: "Delete/hard_model", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Where("user_id = ?", 8) }, fin: finDelete(destAddress)},
	{name: "Delete/inline_conds", build: addresses, fin: finDelete(destAddress, "email LIKE ?", "%ed%")},
	{name: "Delete/model_with_key", build: func(db *gorm.DB) *gorm.DB { return db.Model(&fixture.Address{ID: 5}) }, fin: finDelete(destAddress)},
	{name: "Delete/no_where", build: addresses, fin: finDelete(destAddress)},
	{name: "Exec/update", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("UPDATE users SET name = ? WHERE id IN ?", "raw", []int{7, 8})
	}, fin: finExec()},
	{name: "Exec/delete_named", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("DELETE FROM addresses WHERE user_id = @u", map[string]any{"u": 8})
	}, fin: finExec()},
	{name: "Create", build: users, fin: finCreate(newUser(40, "new"))},
	{name: "Create/omit", build: func(db *gorm.DB) *gorm.DB { return users(db).Omit("name") }, fin: finCreate(newUser(41, "dropped"))},
	{name: "Create/select", build: func(db *gorm.DB) *gorm.DB { return users(db).Select("id") }, fin: finCreate(newUser(42, "dropped"))},
	{name: "Create/with_associations", build: users, fin: finCreate(func() any {
		return &fixture.User{ID: 43, Name: "al", Addresses: []fixture.Address{{ID: 40, Email: "al@x"}}}
	})},
	{name: "Create/omit_associations", build: func(db *gorm.DB) *gorm.DB { return users(db).Omit("Addresses") }, fin: finCreate(func() any {
		return &fixture.User{ID: 44, Name: "al", Addresses: []fixture.Address{{ID: 41, Email: "al@x"}}}
	})},
	{name: "CreateInBatches", build: users, fin: finWrite("CreateInBatches", func() any {
		return &[]fixture.User{{ID: 50, Name: "a"}, {ID: 51, Name: "b"}, {ID: 52, Name: "c"}}
	}, func(tx *gorm.DB, d any) *gorm.DB { return tx.CreateInBatches(d, 2) })},
	{name: "Create/map", build: users, fin: finWrite("Create", nil, func(tx *gorm.DB, _ any) *gorm.DB {
		return tx.Create(map[string]any{"id": 80, "name": "m"})
	})},
	{name: "Create/maps", build: users, fin: finWrite("Create", nil, func(tx *gorm.DB, _ any) *gorm.DB {
		return tx.Create([]map[string]any{{"id": 81, "name": "m1"}, {"id": 82, "name": "m2"}})
	})},
	{name: "Create/soft_delete_model", build: items, fin: finCreate(func() any { return &item{ID: 9, Name: "kiwi", Blob: []byte{9}, Status: "new"} })},
	{name: "Updates/select_omit", build: func(db *gorm.DB) *gorm.DB {
		return items(db).Where("id = ?", 1).Select("name", "qty", "price").Omit("price")
	},
		fin: finUpdates(&item{Name: "fig", Qty: 0, Price: 9})},
	{name: "Updates/expr_map", build: func(db *gorm.DB) *gorm.DB { return items(db).Where("qty > ?", 3) }, fin: finUpdates(map[string]any{"qty": gorm.Expr("qty * ?", 2)})},
	{name: "UpdateColumn/unscoped", build: func(db *gorm.DB) *gorm.DB { return items(db).Unscoped().Where("id = ?", 2) }, fin: finUpdateColumn("name", "ghost")},
	{name: "Update/joins_where_subquery", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id IN (?)", db.Table("addresses").Select("user_id").Where("email LIKE ?", "%ed%"))
	}, fin: finUpdate("name", "sub")},
	{name: "Delete/soft_returning", build: func(db *gorm.DB) *gorm.DB {
		return items(db).Where("id = ?", 3).Clauses(clause.Returning{})
	}, fin: finDelete(func() any { return &[]item{} }), noRun: map[string]string{dbtest.MySQL: "MariaDB has RETURNING on INSERT and DELETE only, and a soft delete is an UPDATE"}},
	{name: "Delete/unscoped_inline_conds", build: func(db *gorm.DB) *gorm.DB { return items(db).Unscoped() }, fin: finDelete(func() any { return &item{} }, "name = ?", "pear")},
	{name: "FirstOrCreate/clause_where", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(clause.Eq{Column: clause.Column{Name: "name"}, Value: "kim"}).Where(clause.Eq{Column: "id", Value: 23})
	}, fin: finFirstOrCreate()},
	{name: "FirstOrInit/map_where", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(map[string]any{"name": "lee", "id": 24}) }, fin: finOne("FirstOrInit", destUser)},
	{name: "Updates/struct_with_associations", build: func(db *gorm.DB) *gorm.DB { return db.Model(&fixture.User{ID: 7}) },
		fin: finUpdates(&fixture.User{ID: 7, Name: "jj", Addresses: []fixture.Address{{ID: 1, UserID: 7, Email: "changed"}, {ID: 30, UserID: 7, Email: "new"}}})},
	{name: "Create/select_association", build: func(db *gorm.DB) *gorm.DB { return users(db).Select("ID", "Name", "Addresses") }, fin: finCreate(func() any {
		return &fixture.User{ID: 45, Name: "al", Addresses: []fixture.Address{{ID: 42, Email: "al@y"}}}
	})},
	{name: "Create/omit_all_associations", build: func(db *gorm.DB) *gorm.DB { return users(db).Omit(clause.Associations) }, fin: finCreate(func() any {
		return &fixture.User{ID: 46, Name: "al", Addresses: []fixture.Address{{ID: 43, Email: "al@z"}}}
	})},
	{name: "Create/on_conflict_returning", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OnConflict{UpdateAll: true}, clause.Returning{Columns: []clause.Column{{Name: "name"}}})
	}, fin: finCreate(func() any { return &[]fixture.User{{ID: 8, Name: "e2"}, {ID: 47, Name: "n"}} })},
	{name: "Delete/model_rows", build: func(db *gorm.DB) *gorm.DB {
		return db.Model(&[]fixture.Address{{ID: 1}, {ID: 2}})
	}, fin: finDelete(destAddress)},
	{name: "Update/reused_after_update", build: func(db *gorm.DB) *gorm.DB {
		q := users(db).Where("id > ?", 1000)
		q.Update("name", "never")
		return q.Or("id = ?", 8)
	}, fin: finUpdate("name", "again")},
	{name: "Delete/reused_after_soft_delete", build: func(db *gorm.DB) *gorm.DB {
		q := items(db).Where("qty > ?", 1000)
		q.Delete(&item{})
		return q.Or("id = ?", 3)
	}, fin: finDelete(func() any { return &item{} })},
	{name: "Create/many2many", build: posts, fin: finCreate(func() any {
		return &confPost{ID: 9, Title: "new", Tags: []confTag{{ID: 1, Name: "go"}, {ID: 9, Name: "new"}}, Comments: []confComment{{ID: 9, Body: "c"}}}
	})},
	{name: "Create/has_one_omit_tags", build: func(db *gorm.DB) *gorm.DB { return posts(db).Omit("Tags") }, fin: finCreate(func() any {
		return &confPost{ID: 10, Title: "n", Cover: &confCover{ID: 10, URL: "x"}, Tags: []confTag{{ID: 10, Name: "dropped"}}}
	})},
	{name: "Delete/select_associations", build: func(db *gorm.DB) *gorm.DB { return db.Select("Tags", "Cover", "Comments") }, fin: finWrite("Delete", nil, func(tx *gorm.DB, _ any) *gorm.DB {
		return tx.Delete(&confPost{ID: 3})
	}), unordered: true},
	{name: "Updates/many2many_replace", build: func(db *gorm.DB) *gorm.DB { return db.Model(&confPost{ID: 2}) }, fin: finUpdates(&confPost{Title: "re", Tags: []confTag{{ID: 1, Name: "go"}}})},
	{name: "Exec/subquery_var", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("UPDATE users SET name = ? WHERE id IN (?)", "sub", db.Table("addresses").Select("user_id").Where("id > ?", 3))
	}, fin: finExec()},
	{name: "FirstOrCreate/omit", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(&fixture.User{ID: 25, Name: "q"}).Omit("name")
	}, fin: finFirstOrCreate()},
	{name: "Delete/unscoped_model_key_returning", build: func(db *gorm.DB) *gorm.DB {
		return db.Model(&item{ID: 1}).Unscoped().Clauses(clause.Returning{Columns: []clause.Column{{Name: "name"}}})
	}, fin: finDelete(func() any { return &[]item{} })},
	{name: "Save/update", build: omitAddresses, fin: finWrite("Save", newUser(7, "jackie"), func(tx *gorm.DB, d any) *gorm.DB { return tx.Save(d) })},
	{name: "Save/create", build: omitAddresses, fin: finWrite("Save", newUser(60, "sam"), func(tx *gorm.DB, d any) *gorm.DB { return tx.Save(d) })},
}
