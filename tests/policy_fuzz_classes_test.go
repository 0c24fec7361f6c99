package tests

import "strings"

// Seed builders: a clause.Column ([35, flags, table, name, alias?]; flags
// 1 raw, 2 field reference, 4 alias; table -1 is clause.CurrentTable), a
// WHERE of expressions, a clause.Eq and a clause entry.
func fzCol(flags int, table, name any, alias ...any) fzL {
	return append(fzL{35, flags, table, name}, alias...)
}
func fzWhere(exprs ...any) fzL               { return fzL{31, fzL(exprs)} }
func fzEq(col fzL, v any) fzL                { return fzL{23, col, v} }
func fzClause(code int, x any) fzL           { return fzL{code, x} }
func fzWhereOf(exprs ...any) fzL             { return fzL{fzClause(3, fzWhere(exprs...))} }
func fzPreload(name string, args ...any) fzL { return fzL{name, fzL(args)} }

// fzUnion is SQL that turns the statement it lands in into a read of
// admin_tokens.
const fzUnion = "0=1 UNION SELECT id, token FROM admin_tokens WHERE admin_tokens"

// fzClassSeeds are the attacks of issue 14 against FuzzPolicy's models,
// one or more per class, in the order of the issue; those that panic or
// abort the process today come last.
func fzClassSeeds() []fzM {
	seeds := fzRawColumnSeeds()
	seeds = append(seeds, fzPreloadSeeds()...)
	seeds = append(seeds, fzIdentifierSeeds()...)
	seeds = append(seeds, fzAllowListSeeds()...)
	seeds = append(seeds, fzAmplificationSeeds()...)
	return append(seeds,
		// 9. A join on a has-many relation; a nil expression in a preload
		// argument value.
		fzM{1, "account", 8, fzL{fzL{"Sessions"}}},
		fzM{1, "account", 9, fzL{fzPreload("Sessions", fzL{13, 18, nil})}},
		// 8. Table("x ?", clause.Locking{Table: clause.CurrentTable}): GORM
		// recurses forever rendering it (Describe renders every payload).
		fzM{2, fzL{1, "x ?", fzL{fzL{45, "UPDATE", fzL{36, -1, "", false}, ""}}}},
	)
}

// fzRawColumnSeeds: class 1, raw columns whose table or alias is SQL, in
// WHERE, ORDER BY, GROUP BY, a SELECT alias, a subquery and a preload
// function; class 6, a named argument inside Not's IN list.
func fzRawColumnSeeds() []fzM {
	rawID := fzCol(3, fzUnion, "ID")
	return []fzM{
		{1, "fixture.User", 7, fzWhereOf(fzEq(rawID, 1))},
		{1, "fixture.User", 7, fzL{fzClause(5, fzL{42, fzL{fzL{fzCol(3, "(SELECT token FROM admin_tokens LIMIT 1) = 'x', users", "ID")}}})}},
		{1, "fixture.User", 7, fzL{fzClause(4, fzL{41, fzL{fzCol(3, "(SELECT token FROM admin_tokens LIMIT 1), users", "ID")}, fzL{}})}},
		{1, "fixture.User", 7, fzL{fzClause(1, fzL{37, false, fzL{fzCol(7, -1, "Name", "n, (SELECT token FROM admin_tokens LIMIT 1) AS t")}, nil})}},
		{1, "fixture.User", 7, fzWhereOf(fzL{30, fzCol(2, -1, "ID"), fzL{fzL{19, fzM{1, "fixture.Address", 4, fzL{fzL{"UserID"}},
			7, fzWhereOf(fzEq(fzCol(3, "0=1 UNION SELECT id FROM admin_tokens WHERE admin_tokens", "ID"), 1))}}}})},
		{1, "account", 9, fzL{fzPreload("Sessions", fzL{20, fzM{7, fzWhereOf(fzEq(fzCol(3, "0=1 UNION SELECT id, 1, token FROM admin_tokens WHERE admin_tokens", "ID"), 1))}})}},
		{1, "fixture.User", 7, fzWhereOf(fzL{34, fzL{fzL{30, fzCol(2, -1, "ID"), fzL{fzL{18, "x", 1}, 7}}}})},
	}
}

// fzPreloadSeeds: class 2, a string condition after a preload function;
// class 3, a preload function whose Table is a subquery.
func fzPreloadSeeds() []fzM {
	return []fzM{
		{1, "account", 9, fzL{fzPreload("Sessions", fzL{20, fzM{}}, "1=0 UNION SELECT id, 1, token FROM admin_tokens")}},
		{1, "account", 9, fzL{fzPreload("Sessions", fzL{20, fzM{2, fzL{0, "(SELECT id, 1 account_id, token device FROM admin_tokens) AS fz_sessions"}}})}},
	}
}

// fzIdentifierSeeds: class 4, names that end GORM's quotes early ("."
// is quoted "`.`") in a column alias, a table alias and a join alias.
func fzIdentifierSeeds() []fzM {
	escape := ". UNION SELECT id, token FROM admin_tokens --"
	return []fzM{
		{1, "fixture.User", 7, fzL{fzClause(1, fzL{37, false, fzL{fzCol(6, -1, "ID", ". UNION SELECT token FROM admin_tokens --")}, nil})}},
		{1, "fixture.User", 7, fzL{fzClause(2, fzL{39, fzL{fzL{36, "users", escape, false}}, fzL{}})}},
		{1, "fixture.Address", 8, fzL{fzL{"User", escape}}},
		{1, "fixture.User", 7, fzWhereOf(fzEq(fzCol(2, ".users` UNION SELECT id, token FROM admin_tokens --", "ID"), 1))},
	}
}

// fzAllowListSeeds: class 5, reads the allow-lists do not bound: a table
// and no model, a join and a preload of a model outside the list, a
// disallowed field by column and by field reference, subqueries over
// tables outside the list, and a FROM joining one.
func fzAllowListSeeds() []fzM {
	return []fzM{
		{2, fzL{0, "admin_tokens"}},
		{1, "account", 8, fzL{fzL{"Vault"}}},
		{1, "account", 9, fzL{"Vault"}},
		{1, "account", 7, fzWhereOf(fzEq(fzCol(0, "fz_accounts", "password"), "x"))},
		{1, "account", 7, fzWhereOf(fzEq(fzCol(2, -1, "Password"), "x"))},
		{1, "fixture.User", 7, fzWhereOf(fzL{28, fzCol(0, "fz_accounts", "password"), "x"})},
		{1, "fixture.User", 7, fzWhereOf(fzL{30, fzCol(2, -1, "ID"), fzL{fzL{19, fzM{1, "tests.fzVault", 4, fzL{fzL{"AccountID"}}}}}})},
		{1, "fixture.User", 7, fzWhereOf(fzL{30, fzCol(2, -1, "ID"), fzL{fzL{19, fzM{2, fzL{0, "admin_tokens"}, 4, fzL{"id"}}}}})},
		{1, "fixture.User", 7, fzL{fzClause(2, fzL{39, fzL{fzL{36, -1, "", false}},
			fzL{fzL{40, 1, fzL{36, "admin_tokens", "", false}, fzWhere(), fzL{}, nil}}})}},
	}
}

// fzAmplificationSeeds: class 7, nested self-joins, one long interned
// name referenced thousands of times, nested preloads, a large array type.
func fzAmplificationSeeds() []fzM {
	cols := fzL{fzCol(0, -1, strings.Repeat("n", 200))}
	for range 4000 {
		cols = append(cols, fzCol(0, -1, 1)) // index 1: the long name (0 is the model ID)
	}
	path := strings.Repeat("Parent.", 39) + "Parent"
	return []fzM{
		{1, "account", 8, fzL{fzL{path}}},
		{1, "fixture.User", 7, fzL{fzClause(1, fzL{37, false, cols, nil})}},
		{1, "account", 9, fzL{path}},
		{1, "fixture.User", 7, fzWhereOf(fzL{30, fzCol(2, -1, "ID"), fzL{fzL{14, 0, fzL{2, 60000, 1}}}})},
	}
}
