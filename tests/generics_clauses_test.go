package tests

import (
	"database/sql"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/fixture"
)

// gWhere is the generics form of where: the expressions as gorm.G's opts.
func gWhere(exprs ...clause.Expression) func(db *gorm.DB) gUser {
	return func(db *gorm.DB) gUser { return gorm.G[fixture.User](db, exprs...).Order("id") }
}

func gLocked(strength, options string, table clause.Table) func(db *gorm.DB) gUser {
	return func(db *gorm.DB) gUser {
		return gorm.G[fixture.User](db, clause.Locking{Strength: strength, Options: options, Table: table}).Where("id = ?", 8)
	}
}

// gClauses: the clause types of the traditional suite, given to gorm.G as
// opts (its Clauses).
func gClauses() []gCase {
	uf := gFind[fixture.User]()
	return []gCase{
		gq("clause.Select/columns", func(db *gorm.DB) gUser {
			return gorm.G[fixture.User](db, clause.Select{Columns: []clause.Column{col("id"), col("name")}}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Clauses(clause.Select{Columns: []clause.Column{col("id"), col("name")}}).Order("id")
		}, uf),
		gq("clause.Where", gWhere(clause.Where{Exprs: []clause.Expression{clause.Gt{Column: clause.PrimaryColumn, Value: 7}}}),
			where(clause.Where{Exprs: []clause.Expression{clause.Gt{Column: clause.PrimaryColumn, Value: 7}}}), uf),
		gq("clause.Limit", gWhere(clause.Limit{Limit: ptrInt(2), Offset: 1}), where(clause.Limit{Limit: ptrInt(2), Offset: 1}), uf),
		gq("clause.Locking/update", gLocked(clause.LockingStrengthUpdate, "", clause.Table{}),
			lockedUserRow(clause.LockingStrengthUpdate, "", clause.Table{}), uf),
		gq("clause.Locking/share", gLocked(clause.LockingStrengthShare, "", clause.Table{}),
			lockedUserRow(clause.LockingStrengthShare, "", clause.Table{}), uf, mariaNoShare),
		gq("clause.Locking/nowait", gLocked(clause.LockingStrengthUpdate, clause.LockingOptionsNoWait, clause.Table{}),
			lockedUserRow(clause.LockingStrengthUpdate, clause.LockingOptionsNoWait, clause.Table{}), uf),
		gq("clause.Locking/skip_locked", gLocked(clause.LockingStrengthUpdate, clause.LockingOptionsSkipLocked, clause.Table{}),
			lockedUserRow(clause.LockingStrengthUpdate, clause.LockingOptionsSkipLocked, clause.Table{}), uf),
		gq("clause.Locking/of_table", gLocked(clause.LockingStrengthUpdate, "", clause.Table{Name: clause.CurrentTable}),
			lockedUserRow(clause.LockingStrengthUpdate, "", clause.Table{Name: clause.CurrentTable}), uf, mariaNoOf),
		gq("clause.Expr", gWhere(clause.Expr{SQL: "id > ? AND name <> ?", Vars: []any{7, "fred"}}),
			where(clause.Expr{SQL: "id > ? AND name <> ?", Vars: []any{7, "fred"}}), uf),
		gq("clause.NamedExpr", gWhere(clause.NamedExpr{SQL: "name = @n OR id = @i", Vars: []any{sql.Named("n", "ed"), sql.Named("i", 7)}}),
			where(clause.NamedExpr{SQL: "name = @n OR id = @i", Vars: []any{sql.Named("n", "ed"), sql.Named("i", 7)}}), uf),
		gq("clause.Eq", gWhere(clause.Eq{Column: col("name"), Value: "ed"}), where(clause.Eq{Column: col("name"), Value: "ed"}), uf),
		gq("clause.Eq/nil", gWhere(clause.Eq{Column: col("name"), Value: nil}), where(clause.Eq{Column: col("name"), Value: nil}), uf),
		gq("clause.Neq", gWhere(clause.Neq{Column: col("name"), Value: "ed"}), where(clause.Neq{Column: col("name"), Value: "ed"}), uf),
		gq("clause.Gt", gWhere(clause.Gt{Column: clause.PrimaryColumn, Value: 8}), where(clause.Gt{Column: clause.PrimaryColumn, Value: 8}), uf),
		gq("clause.Gte", gWhere(clause.Gte{Column: clause.PrimaryColumn, Value: 8}), where(clause.Gte{Column: clause.PrimaryColumn, Value: 8}), uf),
		gq("clause.Lt", gWhere(clause.Lt{Column: colOf(clause.CurrentTable, "id"), Value: 9}), where(clause.Lt{Column: colOf(clause.CurrentTable, "id"), Value: 9}), uf),
		gq("clause.Lte", gWhere(clause.Lte{Column: colOf(clause.CurrentTable, "id"), Value: 9}), where(clause.Lte{Column: colOf(clause.CurrentTable, "id"), Value: 9}), uf),
		gq("clause.Like", gWhere(clause.Like{Column: col("name"), Value: "%ed"}), where(clause.Like{Column: col("name"), Value: "%ed"}), uf),
		gq("clause.IN", gWhere(clause.IN{Column: col("id"), Values: []any{7, 10}}), where(clause.IN{Column: col("id"), Values: []any{7, 10}}), uf),
		gq("clause.IN/empty", gWhere(clause.IN{Column: col("id"), Values: []any{}}), where(clause.IN{Column: col("id"), Values: []any{}}), uf),
		gq("clause.IN/subquery_value", func(db *gorm.DB) gUser {
			return gU(db).Where(clause.IN{Column: col("id"), Values: []any{gA(db).Select("user_id").Where("id < ?", 3)}}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where(clause.IN{Column: col("id"), Values: []any{addresses(db).Select("user_id").Where("id < ?", 3)}}).Order("id")
		}, uf),
		gq("clause.Eq/subquery_value", func(db *gorm.DB) gUser {
			return gU(db).Where(clause.Eq{Column: col("id"), Value: gA(db).Select("max(user_id)")})
		}, func(db *gorm.DB) *gorm.DB {
			return users(db).Where(clause.Eq{Column: col("id"), Value: addresses(db).Select("max(user_id)")})
		}, uf),
		gq("clause.AndConditions", gWhere(clause.And(clause.Gt{Column: col("id"), Value: 7}, clause.Lt{Column: col("id"), Value: 10})),
			where(clause.And(clause.Gt{Column: col("id"), Value: 7}, clause.Lt{Column: col("id"), Value: 10})), uf),
		gq("clause.OrConditions", gWhere(clause.Or(clause.Eq{Column: col("id"), Value: 7}, clause.Eq{Column: col("name"), Value: "chuck"})),
			where(clause.Or(clause.Eq{Column: col("id"), Value: 7}, clause.Eq{Column: col("name"), Value: "chuck"})), uf),
		gq("clause.NotConditions", gWhere(clause.Not(clause.Eq{Column: col("name"), Value: "ed"})),
			where(clause.Not(clause.Eq{Column: col("name"), Value: "ed"})), uf),
		gq("clause.Column/raw", gWhere(clause.Gt{Column: clause.Column{Name: "id * 2", Raw: true}, Value: 17}),
			where(clause.Gt{Column: clause.Column{Name: "id * 2", Raw: true}, Value: 17}), uf),
		// No clause.Returning on a generics Update: GORM panics on the
		// chain built by hand (it scans RETURNING into Model(T), a value).
	}
}
