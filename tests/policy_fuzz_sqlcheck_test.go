package tests

import "testing"

// TestFuzzPolicySQLCheck pins what FuzzPolicy's SQL check (fzSQLProblem)
// calls a read outside the policy: GORM's own statements and aliases that
// spell a forbidden name pass, reads of the tables and the password column
// outside the select list do not.
func TestFuzzPolicySQLCheck(t *testing.T) {
	cases := []struct {
		sql  string
		want bool
	}{
		{"SELECT * FROM `fz_accounts` WHERE `fz_accounts`.`login` = ?", false},
		{"SELECT `fz_accounts`.`id`,`fz_accounts`.`password`,`Parent`.`password` AS `Parent__password` FROM `fz_accounts` LEFT JOIN `fz_accounts` `Parent` ON `fz_accounts`.`parent_id` = `Parent`.`id`", false},
		{"SELECT * FROM `fz_accounts` LEFT JOIN `users` `admin_tokens` ON `fz_accounts`.`owner_id` = `admin_tokens`.`id`", false},
		{"SELECT `users`.`id` AS `password` FROM `users` ORDER BY `users`.`id`", false},
		{"SELECT * FROM `users` WHERE name = 'admin_tokens'", false},
		{"SELECT * FROM `admin_tokens`", true},
		{"SELECT * FROM `users` WHERE 0=1 UNION SELECT id, token FROM admin_tokens WHERE admin_tokens.id = ?", true},
		{"SELECT * FROM `users`, main.`fz_vaults`", true},
		{"SELECT * FROM `users` LEFT JOIN `fz_vaults` `v` ON 1=1", true},
		{"SELECT * FROM `users` WHERE `fz_accounts`.`password` <= ?", true},
		{"SELECT * FROM `fz_accounts` ORDER BY password", true},
		{"SELECT *, (SELECT password FROM fz_accounts LIMIT 1) AS x FROM `users`", true},
		{"SELECT `users`.`id` AS `.` UNION SELECT token FROM admin_tokens --` FROM `users`", true},
	}
	for _, c := range cases {
		if got := fzSQLProblem(c.sql) != ""; got != c.want {
			t.Errorf("fzSQLProblem(%q) = %q, want a problem: %v", c.sql, fzSQLProblem(c.sql), c.want)
		}
	}
}
