package cache

import (
	"reflect"
	"testing"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		sql    string
		kind   sqlKind
		tables []string
		unsure bool
	}{
		{`SELECT * FROM "users" WHERE "users"."id" = $1`, sqlRead, []string{"users"}, false},
		{"SELECT `users`.`id`,`Addresses`.`id` AS `Addresses__id` FROM `users` LEFT JOIN `addresses` `Addresses` ON `users`.`id` = `Addresses`.`user_id`", sqlRead, []string{"users", "addresses"}, false},
		{`SELECT * FROM a, b AS x, "s"."C" WHERE a.id IN (SELECT id FROM d)`, sqlRead, []string{"a", "b", "c", "d"}, false},
		{`SELECT count(*) FROM (SELECT id FROM users) AS t`, sqlRead, []string{"users"}, false},
		{`WITH t AS (SELECT * FROM users) SELECT * FROM t JOIN addresses ON true`, sqlRead, []string{"users", "t", "addresses"}, false},
		{`SELECT 'FROM x', "col" FROM users -- FROM y`, sqlRead, []string{"users"}, false},
		{`SELECT * FROM generate_series(1, 3)`, sqlRead, nil, true},
		{`SELECT * FROM information_schema.tables`, sqlRead, []string{"tables"}, true},
		{`SELECT * FROM (a JOIN b ON a.x = b.x)`, sqlRead, []string{"b"}, true},
		{`SELECT 'it\'s' FROM users`, sqlRead, nil, true},
		{`SELECT 1`, sqlRead, nil, false},
		{`SELECT * FROM users FOR UPDATE`, sqlOther, nil, true},
		{`SELECT * FROM users WHERE id = 1 FOR SHARE SKIP LOCKED`, sqlOther, nil, true},
		{`SELECT * FROM users LOCK IN SHARE MODE`, sqlOther, nil, true},
		{`SELECT * FROM "for" JOIN "update" ON true`, sqlRead, []string{"for", "update"}, false},
		{`WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d`, sqlWrite, []string{"users", "d"}, false},
		{`SELECT * INTO backup FROM users`, sqlWrite, []string{"backup", "users"}, false},
		{`INSERT INTO "users" ("name") VALUES ($1) RETURNING "id"`, sqlWrite, []string{"users"}, false},
		{"INSERT INTO `users` (`name`) VALUES (?) ON DUPLICATE KEY UPDATE `name`=VALUES(`name`)", sqlWrite, []string{"users", "name"}, false},
		{`INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2`, sqlWrite, []string{"t"}, false},
		{`UPDATE users SET name = 'x' WHERE id IN (SELECT user_id FROM addresses)`, sqlWrite, []string{"users", "addresses"}, false},
		{`UPDATE a JOIN b ON a.id = b.id SET a.x = 1`, sqlWrite, []string{"a", "b"}, false},
		{`DELETE FROM "addresses" WHERE "user_id" = $1`, sqlWrite, []string{"addresses"}, false},
		{`MERGE INTO target t USING source s ON t.id = s.id WHEN MATCHED THEN UPDATE SET x = 1`, sqlWrite, []string{"target", "source"}, false},
		{`TRUNCATE TABLE a, b`, sqlWrite, []string{"a", "b"}, false},
		{`ALTER TABLE users ADD COLUMN age int`, sqlWrite, []string{"users"}, false},
		{`DROP TABLE IF EXISTS users, addresses CASCADE`, sqlWrite, []string{"users", "addresses"}, false},
		{`CREATE INDEX idx ON users (name)`, sqlWrite, []string{"users"}, false},
		{`DROP INDEX idx`, sqlWrite, nil, true},
		{`CREATE VIEW v AS SELECT 1`, sqlWrite, nil, true},
		{`CALL refresh()`, sqlWrite, nil, true},
		{`SELECT refresh(); DELETE FROM x`, sqlWrite, []string{"x"}, false},
		{`DO $$ BEGIN DELETE FROM x; END $$`, sqlWrite, nil, true},
		{`SAVEPOINT sp1`, sqlOther, nil, true},
		{`ROLLBACK TO SAVEPOINT sp1`, sqlOther, nil, true},
		{`PRAGMA table_info(users)`, sqlOther, nil, true},
		{`PRAGMA foreign_keys = ON`, sqlWrite, nil, true},
		{`EXPLAIN ANALYZE DELETE FROM users`, sqlWrite, []string{"users"}, false},
		{``, sqlOther, nil, true},
	}
	for _, c := range cases {
		got := classify(c.sql)
		if got.kind != c.kind || !reflect.DeepEqual(got.tables, c.tables) || got.unsure != c.unsure {
			t.Errorf("classify(%q) = %+v, want kind %d tables %v unsure %v", c.sql, got, c.kind, c.tables, c.unsure)
		}
	}
}

// TestWrittenTables: a write whose tables are unsure invalidates the
// namespace.
func TestWrittenTables(t *testing.T) {
	for sql, want := range map[string][]string{
		`UPDATE users SET a = 1`: {"users"},
		`DROP INDEX idx`:         {namespaceTable},
		`CALL refresh()`:         {namespaceTable},
		`DELETE FROM (`:          {namespaceTable},
	} {
		if got := writtenTables(classify(sql)); !reflect.DeepEqual(got, want) {
			t.Errorf("writtenTables(%q) = %v, want %v", sql, got, want)
		}
	}
}
