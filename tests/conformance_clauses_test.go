package tests

import (
	"database/sql"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// confClauseCoverage lists the types of gorm.io/gorm/clause a chain can
// hold; each has a case below. clause.With is an empty placeholder GORM
// never builds, and clause.Association/JoinTarget belong to the generics
// API, not to *gorm.DB chains.
var confClauseCoverage = []string{"clause.Select", "clause.From", "clause.Where", "clause.GroupBy", "clause.OrderBy",
	"clause.OrderByColumn", "clause.Limit", "clause.Locking", "clause.Returning", "clause.OnConflict", "clause.Set",
	"clause.Assignment", "clause.Insert", "clause.Values", "clause.Update", "clause.Delete", "clause.Join", "clause.Expr",
	"clause.NamedExpr", "clause.Eq", "clause.Neq", "clause.Gt", "clause.Gte", "clause.Lt", "clause.Lte", "clause.Like",
	"clause.IN", "clause.AndConditions", "clause.OrConditions", "clause.NotConditions", "clause.Column", "clause.Table",
	"clause.CommaExpression", "clause.Interface"}

// confRowLimit is an application's own clause.Interface (registered with
// WithTypes): it takes the LIMIT slot and writes a fixed row limit.
type confRowLimit struct{ Rows int }

// Name is the clause slot it fills.
func (confRowLimit) Name() string { return "LIMIT" }

// Build writes the row count (GORM writes the clause's name before it).
func (l confRowLimit) Build(b clause.Builder) { b.WriteString(strconv.Itoa(l.Rows)) }

// MergeClause replaces whatever LIMIT the chain had.
func (l confRowLimit) MergeClause(c *clause.Clause) { c.Expression = l }

func col(name string) clause.Column { return clause.Column{Name: name} }

func colOf(table, name string) clause.Column { return clause.Column{Table: table, Name: name} }

func eqCols(a, b clause.Column) clause.Where {
	return clause.Where{Exprs: []clause.Expression{clause.Eq{Column: a, Value: b}}}
}

// byDialect picks the modifier each database accepts.
func byDialect(db *gorm.DB, sqlite, postgres, mysql string) string {
	switch backendName(db) {
	case dbtest.Postgres:
		return postgres
	case dbtest.MySQL:
		return mysql
	}
	return sqlite
}

func where(exprs ...clause.Expression) func(db *gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB { return users(db).Clauses(exprs...).Order("id") }
}

var (
	sqliteOwnLimit = map[string]string{dbtest.SQLite: "the SQLite dialect builds LIMIT itself and drops any other LIMIT expression"}
	mariaNoOffset  = map[string]string{dbtest.MySQL: "GORM renders OFFSET without LIMIT, which MariaDB refuses"}
	mariaNoShare   = map[string]string{dbtest.MySQL: "MariaDB has no FOR SHARE (it spells it LOCK IN SHARE MODE)"}
	mariaNoOf      = map[string]string{dbtest.MySQL: "MariaDB has no FOR UPDATE OF"}
	mariaReturning = map[string]string{dbtest.MySQL: "MariaDB has RETURNING on INSERT and DELETE only, not on UPDATE"}
	noConstraint   = map[string]string{dbtest.SQLite: "SQLite has no ON CONFLICT ON CONSTRAINT"}
	pgNoModifier   = map[string]string{dbtest.Postgres: "PostgreSQL has no INSERT modifier (IGNORE, OR IGNORE): the duplicate key fails"}
	withIDVal      = func(id uint, name string) func() any { return newUser(id, name) }
	lockedUserRow  = func(strength, options string, table clause.Table) func(db *gorm.DB) *gorm.DB {
		return func(db *gorm.DB) *gorm.DB {
			return users(db).Where("id = ?", 8).Clauses(clause.Locking{Strength: strength, Options: options, Table: table})
		}
	}
)

// confClauses covers the clause types, through Clauses and as vars.
var confClauses = []confCase{
	{name: "clause.Select/columns", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Select{Columns: []clause.Column{col("id"), col("name")}}).Order("id")
	}},
	{name: "clause.Select/distinct", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Clauses(clause.Select{Distinct: true, Columns: []clause.Column{col("user_id")}}).Order("user_id")
	}, fin: finFind(destAddresses)},
	{name: "clause.Select/expression", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Select{Expression: clause.Expr{SQL: "id, upper(name) AS name"}}).Order("id")
	}},
	{name: "clause.From/alias", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.From{Tables: []clause.Table{{Name: "users", Alias: "u"}}}).Where("u.id > ?", 8)
	}},
	{name: "clause.From/joins", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("users.id, users.name").Clauses(clause.From{Tables: []clause.Table{{Name: clause.CurrentTable}}, Joins: []clause.Join{{
			Type: clause.LeftJoin, Table: clause.Table{Name: "addresses"}, ON: eqCols(colOf("users", "id"), colOf("addresses", "user_id")),
		}}}).Where("addresses.id IS NULL")
	}},
	{name: "clause.Join/using", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("users.name").Clauses(clause.From{Tables: []clause.Table{{Name: "users"}}, Joins: []clause.Join{{
			Type: clause.InnerJoin, Table: clause.Table{Name: "addresses"}, Using: []string{"id"},
		}}}).Order("users.name")
	}, fin: finPluck("users.name", destStrings)},
	{name: "clause.Join/expression", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("users.id, users.name").Clauses(clause.From{Tables: []clause.Table{{Name: "users"}}, Joins: []clause.Join{{
			Expression: clause.Expr{SQL: "JOIN addresses ON addresses.user_id = users.id AND addresses.id > ?", Vars: []any{3}},
		}}}).Order("users.id")
	}},
	{name: "clause.Join/right_alias", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("a.email").Clauses(clause.From{Tables: []clause.Table{{Name: "users", Alias: "u"}}, Joins: []clause.Join{{
			Type: clause.InnerJoin, Table: clause.Table{Name: "addresses", Alias: "a"}, ON: eqCols(colOf("u", "id"), colOf("a", "user_id")),
		}}}).Where("u.name = ?", "ed").Order("a.email")
	}, fin: finPluck("a.email", destStrings)},
	{name: "clause.Where", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Where{Exprs: []clause.Expression{clause.Gt{Column: col("id"), Value: 7},
			clause.Or(clause.Eq{Column: col("name"), Value: "ed"})}}).Order("id")
	}},
	{name: "clause.GroupBy", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id").Clauses(clause.GroupBy{Columns: []clause.Column{col("user_id")},
			Having: []clause.Expression{clause.Expr{SQL: "count(*) > ?", Vars: []any{1}}}})
	}, fin: finPluck("user_id", destUints)},
	{name: "clause.OrderBy", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OrderBy{Columns: []clause.OrderByColumn{{Column: col("name"), Desc: true}}})
	}},
	{name: "clause.OrderByColumn/raw_column", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order(clause.OrderByColumn{Column: clause.Column{Name: "length(name)", Raw: true}}).Order("id")
	}},
	{name: "clause.Limit", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order("id").Clauses(clause.Limit{Limit: ptrInt(2), Offset: 1})
	}},
	{name: "clause.Limit/offset_only", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("id").Clauses(clause.Limit{Offset: 2}) }, noRun: mariaNoOffset},
	{name: "clause.Locking/update", build: lockedUserRow(clause.LockingStrengthUpdate, "", clause.Table{})},
	{name: "clause.Locking/share", build: lockedUserRow(clause.LockingStrengthShare, "", clause.Table{}), noRun: mariaNoShare},
	{name: "clause.Locking/nowait", build: lockedUserRow(clause.LockingStrengthUpdate, clause.LockingOptionsNoWait, clause.Table{})},
	{name: "clause.Locking/skip_locked", build: lockedUserRow(clause.LockingStrengthUpdate, clause.LockingOptionsSkipLocked, clause.Table{})},
	{name: "clause.Locking/of_table", build: lockedUserRow(clause.LockingStrengthUpdate, "", clause.Table{Name: clause.CurrentTable}), noRun: mariaNoOf},
	{name: "clause.Returning/delete", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 10).Clauses(clause.Returning{Columns: []clause.Column{col("id"), col("name")}})
	}, fin: finDelete(destUsers)},
	{name: "clause.Returning/update", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id > ?", 8).Clauses(clause.Returning{})
	}, fin: finWrite("Update", destUsers, func(tx *gorm.DB, d any) *gorm.DB { return tx.Model(d).Update("name", "r") }), noRun: mariaReturning},
	{name: "clause.OnConflict/do_nothing", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OnConflict{DoNothing: true})
	}, fin: finCreate(withIDVal(7, "dup"))},
	{name: "clause.OnConflict/do_updates", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OnConflict{Columns: []clause.Column{col("id")}, DoUpdates: clause.AssignmentColumns([]string{"name"})})
	}, fin: finCreate(withIDVal(8, "eddie"))},
	{name: "clause.OnConflict/update_all", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OnConflict{UpdateAll: true})
	}, fin: finCreate(withIDVal(9, "freddie"))},
	{name: "clause.OnConflict/target_where", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OnConflict{Columns: []clause.Column{col("id")},
			DoUpdates: clause.Assignments(map[string]any{"name": "kept"}),
			Where:     clause.Where{Exprs: []clause.Expression{clause.Neq{Column: colOf("users", "name"), Value: "ed"}}}})
	}, fin: finCreate(withIDVal(10, "x"))},
	{name: "clause.OnConflict/on_constraint", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OnConflict{OnConstraint: "users_pkey", DoNothing: true})
	}, fin: finCreate(withIDVal(7, "dup")), noRun: noConstraint},
	{name: "clause.Set", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 9).Clauses(clause.Set{{Column: col("name"), Value: "freddy"}})
	}, fin: finUpdates(map[string]any{})},
	{name: "clause.Assignment/assignments_map", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id > ?", 8).Clauses(clause.Assignments(map[string]any{"name": gorm.Expr("UPPER(name)")}))
	}, fin: finUpdates(map[string]any{})},
	{name: "clause.Insert/modifier", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Insert{Modifier: byDialect(db, "OR IGNORE", "", "IGNORE")})
	}, fin: finCreate(withIDVal(7, "dup")), noRun: pgNoModifier},
	{name: "clause.Insert/table", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Insert{Table: clause.Table{Name: "users"}})
	}, fin: finCreate(withIDVal(70, "t"))},
	// GORM's create callback replaces any VALUES clause with the rows it is
	// given: the restored clause must be replaced the same way.
	{name: "clause.Values", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Values{Columns: []clause.Column{col("id"), col("name")}, Values: [][]any{{71, "v"}}})
	}, fin: finCreate(withIDVal(72, "w"))},
	{name: "clause.Update/modifier", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 9).Clauses(clause.Update{Modifier: byDialect(db, "OR IGNORE", "ONLY", "LOW_PRIORITY")})
	}, fin: finUpdate("name", "m")},
	{name: "clause.Delete/modifier", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Where("id = ?", 5).Clauses(clause.Delete{Modifier: byDialect(db, "", "", "QUICK")})
	}, fin: finDelete(destAddress)},
	{name: "clause.Expr", build: where(clause.Expr{SQL: "id > ? AND name <> ?", Vars: []any{7, "fred"}})},
	{name: "clause.Expr/without_parentheses", build: where(clause.Expr{SQL: "id IN (?)", Vars: []any{[]int{7, 9}}, WithoutParentheses: true})},
	{name: "clause.Expr/as_value", build: where(clause.Eq{Column: col("id"), Value: clause.Expr{SQL: "? + 1", Vars: []any{7}}})},
	{name: "clause.NamedExpr", build: where(clause.NamedExpr{SQL: "name = @n OR id = @i", Vars: []any{sql.Named("n", "ed"), sql.Named("i", 7)}})},
	{name: "clause.NamedExpr/map", build: where(clause.NamedExpr{SQL: "id BETWEEN @lo AND @hi", Vars: []any{map[string]any{"lo": 8, "hi": 9}}})},
	{name: "clause.Eq", build: where(clause.Eq{Column: col("name"), Value: "ed"})},
	{name: "clause.Eq/nil", build: where(clause.Eq{Column: col("name"), Value: nil})},
	{name: "clause.Eq/slice", build: where(clause.Eq{Column: col("id"), Value: []int{8, 9}})},
	{name: "clause.Eq/string_column", build: where(clause.Eq{Column: "users.name", Value: "jack"})},
	{name: "clause.Neq", build: where(clause.Neq{Column: col("name"), Value: "ed"})},
	{name: "clause.Neq/nil", build: where(clause.Neq{Column: col("name"), Value: nil})},
	{name: "clause.Gt", build: where(clause.Gt{Column: clause.PrimaryColumn, Value: 8})},
	{name: "clause.Gte", build: where(clause.Gte{Column: clause.PrimaryColumn, Value: 8})},
	{name: "clause.Lt", build: where(clause.Lt{Column: colOf(clause.CurrentTable, "id"), Value: 9})},
	{name: "clause.Lte", build: where(clause.Lte{Column: colOf(clause.CurrentTable, "id"), Value: 9})},
	{name: "clause.Like", build: where(clause.Like{Column: col("name"), Value: "%ed"})},
	{name: "clause.IN", build: where(clause.IN{Column: col("id"), Values: []any{7, 10}})},
	{name: "clause.IN/empty", build: where(clause.IN{Column: col("id"), Values: []any{}})},
	{name: "clause.IN/one", build: where(clause.IN{Column: col("id"), Values: []any{8}})},
	{name: "clause.IN/columns", build: where(clause.IN{Column: []clause.Column{col("id"), col("name")}, Values: []any{[]any{8, "ed"}, []any{9, "x"}}})},
	{name: "clause.IN/negated", build: where(clause.Not(clause.IN{Column: col("id"), Values: []any{7, 8}}))},
	{name: "clause.AndConditions", build: where(clause.And(clause.Gt{Column: col("id"), Value: 7}, clause.Lt{Column: col("id"), Value: 10}))},
	{name: "clause.OrConditions", build: where(clause.Or(clause.Eq{Column: col("id"), Value: 7}, clause.Eq{Column: col("name"), Value: "chuck"}))},
	{name: "clause.OrConditions/nested", build: where(clause.Or(
		clause.And(clause.Eq{Column: col("name"), Value: "ed"}, clause.Gt{Column: col("id"), Value: 1}),
		clause.And(clause.Eq{Column: col("name"), Value: "fred"}, clause.Lt{Column: col("id"), Value: 1})))},
	{name: "clause.NotConditions", build: where(clause.Not(clause.Eq{Column: col("name"), Value: "ed"}))},
	{name: "clause.NotConditions/several", build: where(clause.Not(clause.Eq{Column: col("name"), Value: "ed"}, clause.Eq{Column: col("id"), Value: 9}))},
	{name: "clause.NotConditions/expr", build: where(clause.Not(clause.Expr{SQL: "id < ?", Vars: []any{9}}))},
	{name: "clause.Column/as_var", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("? > ?", colOf(clause.CurrentTable, "id"), 8).Order("id")
	}},
	{name: "clause.Column/alias", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Select{Columns: []clause.Column{col("id"), {Name: "name", Alias: "name"}}}).Order("id")
	}},
	{name: "clause.Column/raw", build: where(clause.Gt{Column: clause.Column{Name: "id * 2", Raw: true}, Value: 17})},
	{name: "clause.Column/primary_key", build: where(clause.Eq{Column: clause.PrimaryColumn, Value: 10})},
	{name: "clause.Table/as_var", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("?.name", clause.Table{Name: clause.CurrentTable}).Where("id = ?", 8)
	}, fin: finPluck("name", destStrings)},
	{name: "clause.Table/alias", build: func(db *gorm.DB) *gorm.DB {
		return db.Table("?", clause.Table{Name: "users", Alias: "u"}).Select("u.name").Where("u.id = ?", 9)
	}, fin: finPluck("name", destStrings)},
	{name: "clause.CommaExpression", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Select{Expression: clause.CommaExpression{Exprs: []clause.Expression{
			clause.Expr{SQL: "id"}, clause.Expr{SQL: "lower(name) AS name"}}}}).Order("id")
	}},
	{name: "clause.Table/raw_from", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.From{Tables: []clause.Table{{Name: "users u", Raw: true}}}).Where("u.id < ?", 9)
	}},
	{name: "clause.From/cross", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Select("users.id, users.name").Clauses(clause.From{Tables: []clause.Table{{Name: "users"}, {Name: "addresses"}}}).
			Where("addresses.user_id = users.id AND addresses.id > ?", 3).Order("users.id")
	}},
	{name: "clause.Column/select_alias_table", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.Select{Columns: []clause.Column{{Table: "users", Name: "id"}, {Table: "users", Name: "name", Alias: "name"}}}).Order("id")
	}},
	{name: "clause.IN/subquery_value", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(clause.IN{Column: clause.PrimaryColumn, Values: []any{clause.Expr{SQL: "(?)", Vars: []any{db.Table("addresses").Select("user_id")}}, 10}}).Order("id")
	}},
	{name: "clause.Eq/subquery_value", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where(clause.Eq{Column: clause.PrimaryColumn, Value: clause.Expr{SQL: "(?)", Vars: []any{db.Table("addresses").Select("max(user_id)")}}})
	}},
	{name: "clause.Like/expr_value", build: where(clause.Like{Column: col("name"), Value: clause.Expr{SQL: "? || '%'", Vars: []any{"e"}}})},
	{name: "clause.GroupBy/merged_with_group", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id").Group("user_id").Clauses(clause.GroupBy{Having: []clause.Expression{clause.Gt{Column: "user_id", Value: 7}}}).Order("user_id")
	}, fin: finPluck("user_id", destUints)},
	{name: "clause.OrderBy/merged_with_order", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order("name").Clauses(clause.OrderBy{Columns: []clause.OrderByColumn{{Column: clause.PrimaryColumn, Desc: true}}})
	}},
	{name: "clause.Limit/merged_with_limit", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order("id").Limit(2).Clauses(clause.Limit{Offset: 1})
	}},
	{name: "clause.Locking/alias_table", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Table("users u").Where("u.id = ?", 8).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate, Table: clause.Table{Name: "u"}})
	}, noRun: mariaNoOf},
	{name: "clause.Returning/aliased_column", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 10).Clauses(clause.Returning{Columns: []clause.Column{{Name: "id"}, {Name: "name", Alias: "name"}}})
	}, fin: finDelete(destUsers)},
	{name: "clause.OnConflict/target_where_partial", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(clause.OnConflict{Columns: []clause.Column{col("id")}, TargetWhere: clause.Where{Exprs: []clause.Expression{clause.Gt{Column: col("id"), Value: 0}}}, DoNothing: true})
	}, fin: finCreate(withIDVal(7, "dup"))},
	{name: "clause.Set/expr_value", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id < ?", 9).Clauses(clause.Set{{Column: col("name"), Value: clause.Expr{SQL: "name || ?", Vars: []any{"!"}}}})
	}, fin: finUpdates(map[string]any{}), skip: map[string]string{dbtest.MySQL: "|| is OR on MariaDB"}},
	{name: "clause.Interface/custom", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order("id").Limit(3).Clauses(confRowLimit{Rows: 2})
	}, noRun: sqliteOwnLimit},
	{name: "clause.Expr/column_vars", build: where(clause.Expr{SQL: "? = ?", Vars: []any{colOf(clause.CurrentTable, "id"), 8}})},
	{name: "clause.NamedExpr/order_by", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Order(clause.OrderBy{Expression: clause.NamedExpr{SQL: "CASE WHEN name = @n THEN 0 ELSE 1 END, id", Vars: []any{sql.Named("n", "chuck")}}})
	}},
	{name: "clause.NotConditions/in_not", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Not(clause.Eq{Column: col("name"), Value: "ed"}).Or(clause.And(clause.Eq{Column: col("id"), Value: 8})).Order("id")
	}},
	{name: "clause.Interface/statement_modifier", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Clauses(optimizerHint{Text: "conformance"}).Where("id > ?", 8)
	}},
}
