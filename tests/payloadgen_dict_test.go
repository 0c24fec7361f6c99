package tests

import "strings"

// The generator's dictionary. Legal names come from the models
// (fzModels); the lists here add what an attacker writes instead: names
// that escape GORM's quoting (leading or trailing dots, leading doubled
// quotes, empty), SQL text in identifier slots, names of what no policy
// covers, keywords and very long names. No entry holds a canary.
var (
	fzHostileNames = []string{
		"", " ", ".", "..", ".x", "x.", "x..y", `"`, `""x`, `x"`, "`", "``x", "x`", "'", "[x]", "a b",
		"a.b.c", "users.", ".users", "admin_tokens", "admin_tokens.token", "token", "fz_vaults", "secret",
		"password", "Password", "fz_accounts.password", "SELECT", "FROM", "UNION", "WHERE", "NULL", "*",
		"?", "@p", "$1", "--", "/*", ";", "(", ")", "x ?", "users AS u", "users u", "1=1",
		"0=1 UNION SELECT id, token, token FROM admin_tokens WHERE admin_tokens",
		"(SELECT id, 1 user_id, token email FROM admin_tokens) AS addresses",
		"x\" FROM admin_tokens --", "x` FROM admin_tokens --", "~~~ct~~~", "~~~py~~~", "~~~as~~~", "测试",
		"users\x00", "Parent__password", "a$b", strings.Repeat("l", 65), strings.Repeat("long_identifier_", 20),
	}
	// fzAliases are alias slots' values: legal, then hostile.
	fzAliases = []string{"", "u", "a", "Parent", "Owner", "t1", "users", "Account", "x y", `"`, ".a", "a.", "admin_tokens"}
	// fzSQL is text for raw SQL slots (Raw, Expr, Table(sql), string
	// conditions): mostly what a policy must refuse.
	fzSQL = []string{
		"id = ?", "1=1", "id IN ?", "name = @name", "? AS t", "x ?", "users AS u", "users u", "", "?",
		"(SELECT token FROM admin_tokens)", "0=1 UNION SELECT id, token FROM admin_tokens",
		"(SELECT id, 1 user_id, token email FROM admin_tokens) AS addresses", "JOIN admin_tokens ON 1=1",
		"id > ? AND id < ?", "sqlite_version()", "SELECT * FROM users WHERE id = ?", "@name", "COUNT(*)",
		"login AS password", "password LIKE ?", "LEFT JOIN admin_tokens ON 1=1 LEFT",
	}
	// fzClauseNames are clause keys: GORM's, sorted by name as payloads
	// write them, then names a policy must refuse.
	fzClauseNames = []string{
		"WHERE", "ORDER BY", "LIMIT", "SELECT", "FROM", "GROUP BY", "FOR", "RETURNING", "ON CONFLICT",
		"SET", "INSERT", "VALUES", "UPDATE", "DELETE", "x", "", "admin_tokens", "WHERE 1=1 UNION SELECT token FROM admin_tokens --",
	}
	fzJoinTypes   = []string{"LEFT", "INNER", "CROSS", "RIGHT", "FULL", "LEFT JOIN admin_tokens ON 1=1 LEFT", ""}
	fzLockings    = []string{"UPDATE", "SHARE", "NO KEY UPDATE", "KEY SHARE", "", "UPDATE OF admin_tokens"}
	fzLockOptions = []string{"", "SKIP LOCKED", "NOWAIT", "NOWAIT; DROP TABLE admin_tokens"}
	fzModifiers   = []string{"", "IGNORE", "OR REPLACE", "LOW_PRIORITY"}
	fzSettingKeys = []string{"gorm:query_option", "gorm:table_options", "x", "", "gorm:update_track_time"}
	fzZones       = []string{"UTC", "Local", "Europe/Paris", "America/New_York", "Nowhere/Zone", "", "../../etc/passwd", strings.Repeat("Z", 70)}
	fzNamedArgs   = []string{"name", "id", "", "p1", "name2", "@x", "?"}
	fzStrings     = []string{"ed", "jack", "alice", "%ed%", "", "x", "1", "phone", "fresh", "' OR 1=1 --"}
	fzInts        = []int64{0, 1, 7, 8, 2, 3, -1, 10, 1 << 31, -1 << 40, 1<<63 - 1}
)

// fzPick returns an element of list chosen by the generator.
func fzPick[T any](g *fzGen, list []T) T { return list[g.pick(len(list))] }
