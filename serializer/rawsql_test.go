package serializer

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var (
	pgSyntax     = rawSyntax{open: '"', close: '"', postgres: true}
	mysqlSyntax  = rawSyntax{open: '`', close: '`', backslash: true}
	sqliteSyntax = rawSyntax{open: '`', close: '`', sqlite: true}
)

// col and text build the slots the tests expect.
func col(table, name string) rawSlot { return rawSlot{bind: -1, table: table, name: name} }
func text(s string) rawSlot          { return rawSlot{bind: -1, text: s} }
func bound(i int) rawSlot            { return rawSlot{bind: i} }

func TestRawRewrite(t *testing.T) {
	cases := []struct {
		name    string
		syn     rawSyntax
		sql     string
		binds   []string
		want    string
		slots   []rawSlot
		unbound int
	}{
		{"pg subquery", pgSyntax, `SELECT * FROM (SELECT name, age FROM "users" WHERE age > $1) AS t WHERE t.age > $2`, []string{"$1", "$2"},
			`SELECT * FROM (SELECT name, age FROM ? WHERE age > ?) AS t WHERE t.age > ?`, []rawSlot{col("", "users"), bound(0), bound(1)}, 0},
		{"pg qualified", pgSyntax, `SELECT "users"."name" FROM "users"`, nil,
			`SELECT ? FROM ?`, []rawSlot{col("users", "name"), col("", "users")}, 0},
		{"pg three parts", pgSyntax, `SELECT "s"."t"."c"`, nil, `SELECT ?.?`, []rawSlot{col("s", "t"), col("", "c")}, 0},
		{"pg $10 is not $1", pgSyntax, `SELECT $10, "a"`, []string{"$1"}, `SELECT $10, ?`, []rawSlot{col("", "a")}, 1},
		{"pg strings and comments", pgSyntax,
			`SELECT 'it''s "x"?', E'\'"y"', $q$ "z" ? $q$, $$"w"$$ /* "c" /* ? */ "d" */ -- "e" ?` + "\n" + `, "f", $1`, []string{"$1"},
			`SELECT ?, E'\'"y"', ?, $$"w"$$ ? ?` + "\n" + `, ?, ?`,
			[]rawSlot{text(`'it''s "x"?'`), text(`$q$ "z" ? $q$`), text(`/* "c" /* ? */ "d" */`), text(`-- "e" ?`), col("", "f"), bound(0)}, 0},
		{"pg ? operator before a placeholder", pgSyntax, `SELECT data ? 'k', "a" FROM t`, nil,
			`SELECT data ? 'k', ? FROM t`, []rawSlot{text("?"), col("", "a")}, 0},
		{"pg stray ? after the last placeholder stays", pgSyntax, `SELECT "a" FROM t WHERE data ? 'k?'`, nil,
			`SELECT ? FROM t WHERE data ? 'k?'`, []rawSlot{col("", "a")}, 0},
		{"mysql", mysqlSyntax, "SELECT `users`.`name` FROM `users` WHERE name <> 'a\\'`b`?' AND note = \"`c`\" AND id = ? # `d`", []string{"?"},
			"SELECT ? FROM ? WHERE name <> ? AND note = \"`c`\" AND id = ? # `d`",
			[]rawSlot{col("users", "name"), col("", "users"), text("'a\\'`b`?'"), bound(0)}, 0},
		{"mysql -- needs a space", mysqlSyntax, "SELECT 1--`a`\n", nil, "SELECT 1--?\n", []rawSlot{col("", "a")}, 0},
		{"sqlite", sqliteSyntax, "SELECT `a`, \"b\", [c?] FROM `t` WHERE x = ? AND y = 'it''s?'", []string{"?"},
			"SELECT ?, \"b\", ? FROM ? WHERE x = ? AND y = 'it''s?'", []rawSlot{col("", "a"), text("[c?]"), col("", "t"), bound(0)}, 0},
		{"sqlite backslash is no escape", sqliteSyntax, "SELECT '\\', `a`", nil, "SELECT '\\', ?", []rawSlot{col("", "a")}, 0},
		{"no identifiers", pgSyntax, `SELECT 'x?' WHERE id = $1`, []string{"$1"}, `SELECT ? WHERE id = ?`, []rawSlot{text(`'x?'`), bound(0)}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rw, err := c.syn.rewrite(c.sql, c.binds)
			if err != nil {
				t.Fatal(err)
			}
			if rw.sql != c.want {
				t.Errorf("sql\n got %s\nwant %s", rw.sql, c.want)
			}
			if !reflect.DeepEqual(rw.slots, c.slots) {
				t.Errorf("slots\n got %+v\nwant %+v", rw.slots, c.slots)
			}
			if rw.unbound != c.unbound {
				t.Errorf("unbound %d, want %d", rw.unbound, c.unbound)
			}
			if back := c.syn.rebuild(rw, c.binds); back != c.sql {
				t.Errorf("rebuilt with the source's quotes\n got %s\nwant %s", back, c.sql)
			}
		})
	}
}

func TestRawRewriteRefuses(t *testing.T) {
	for _, c := range []struct {
		syn rawSyntax
		sql string
	}{
		{pgSyntax, `SELECT "a.b" FROM t`},
		{pgSyntax, `SELECT "x"."a.b" FROM t`},
		{pgSyntax, `SELECT "" FROM t`},
		{pgSyntax, `SELECT "we""ird" FROM t`},
		{pgSyntax, `SELECT "~~~ct~~~" FROM t`},
		{pgSyntax, `SELECT "unclosed FROM t`},
		{pgSyntax, `SELECT U&"d\0061t" FROM t`},
		{mysqlSyntax, "SELECT `a\"b` FROM t"},
		{mysqlSyntax, "SELECT `a``b` FROM t"},
	} {
		_, err := c.syn.rewrite(c.sql, nil)
		var ute *UnsupportedTypeError
		if !errors.Is(err, ErrNotSerializable) || !errors.As(err, &ute) || !strings.Contains(err.Error(), "quoted identifier") {
			t.Errorf("%s: got %v, want an *UnsupportedTypeError naming the quoted identifier", c.sql, err)
		}
	}
}

// rebuild renders a rewrite back with the source's syntax, as GORM's
// clause.Expr builds it: each '?' takes the next slot while slots are
// left; an identifier is quoted with the source's quotes, a bind variable
// written as it was.
func (s rawSyntax) rebuild(rw rawRewrite, binds []string) string {
	var b strings.Builder
	quote := func(name string) {
		b.WriteByte(s.open)
		b.WriteString(strings.ReplaceAll(name, string(s.close), string([]byte{s.close, s.close})))
		b.WriteByte(s.close)
	}
	next := 0
	for i := 0; i < len(rw.sql); i++ {
		if rw.sql[i] != '?' || next == len(rw.slots) {
			b.WriteByte(rw.sql[i])
			continue
		}
		slot := rw.slots[next]
		next++
		switch {
		case slot.bind >= 0:
			b.WriteString(binds[slot.bind])
		case slot.isIdent():
			if slot.table != "" {
				quote(slot.table)
				b.WriteByte('.')
			}
			quote(slot.name)
		default:
			b.WriteString(slot.text)
		}
	}
	return b.String()
}

// FuzzRawRewrite: the lexer never panics; a text without the source's
// identifier quotes and bind variables comes back unchanged; and whatever it rewrites
// builds back, with the source's quotes, into the text it was.
func FuzzRawRewrite(f *testing.F) {
	for _, s := range []string{
		`SELECT * FROM (SELECT "name" FROM "users" WHERE age > $1) t WHERE t.age > $2`,
		"SELECT `a`.`b` FROM `t` WHERE x = ? AND y = 'it''s ?' -- `c`\n",
		`SELECT E'\'', $tag$ "x" $tag$, /* /* "y" */ */ "z"`,
		`SELECT "unclosed`, `SELECT 'unclosed`, `$$`, `"a"."`, "[x?", "#?\n`a`",
	} {
		for syn := 0; syn < 3; syn++ {
			f.Add(s, uint8(syn), uint8(2))
		}
	}
	f.Fuzz(func(t *testing.T, sql string, which, nbinds uint8) {
		syn := []rawSyntax{pgSyntax, mysqlSyntax, sqliteSyntax}[which%3]
		binds := make([]string, nbinds%4)
		for i := range binds {
			binds[i] = "?"
			if syn.postgres {
				binds[i] = "$" + string(rune('1'+i))
			}
		}
		rw, err := syn.rewrite(sql, binds)
		if err != nil {
			if !errors.Is(err, ErrNotSerializable) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(binds) == 0 && strings.IndexByte(sql, syn.open) < 0 && rw.sql != sql {
			t.Fatalf("text without identifiers changed:\n%q\n%q", sql, rw.sql)
		}
		if back := syn.rebuild(rw, binds); back != sql {
			t.Fatalf("rebuilt text differs:\n%q\n%q", sql, back)
		}
	})
}
