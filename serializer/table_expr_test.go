package serializer

import (
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// TestSetTableMatchesGORM checks that restoring Table(name) through the
// quoted-table cache leaves a statement exactly as GORM's Table leaves it,
// on every dialect, including on a second (cached) restore.
func TestSetTableMatchesGORM(t *testing.T) {
	names := []string{"users", "public.users", "a.b.c", "weird\"name", "Mixed_Case", ""}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, name := range names {
			want := db.Table(name).Statement
			for round := range 2 {
				got := newSession(db)
				setTableName(got.Statement, name)
				if got.Statement.Table != want.Table {
					t.Errorf("%q round %d: Table = %q, GORM sets %q", name, round, got.Statement.Table, want.Table)
				}
				switch {
				case want.TableExpr == nil && got.Statement.TableExpr != nil:
					t.Errorf("%q round %d: TableExpr = %+v, GORM sets none", name, round, *got.Statement.TableExpr)
				case want.TableExpr != nil && (got.Statement.TableExpr == nil || got.Statement.TableExpr.SQL != want.TableExpr.SQL || len(got.Statement.TableExpr.Vars) != 0):
					t.Errorf("%q round %d: TableExpr = %+v, GORM sets %+v", name, round, got.Statement.TableExpr, *want.TableExpr)
				}
			}
		}
	})
}

// TestSetTableExprMatchesGORM does the same for table expressions.
func TestSetTableExprMatchesGORM(t *testing.T) {
	cases := []struct {
		sql  string
		vars []any
	}{
		{"users AS u", nil},
		{"users u", nil},
		{"(SELECT * FROM users WHERE id > ?) AS big", []any{3}},
		{"`users`", nil},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, c := range cases {
			want := db.Table(c.sql, c.vars...).Statement
			for round := range 2 {
				got := newSession(db)
				setTableExpr(got.Statement, c.sql, c.vars)
				if got.Statement.Table != want.Table || got.Statement.TableExpr.SQL != want.TableExpr.SQL || len(got.Statement.TableExpr.Vars) != len(c.vars) {
					t.Errorf("%q round %d: got %q %+v, GORM sets %q %+v", c.sql, round, got.Statement.Table, *got.Statement.TableExpr, want.Table, *want.TableExpr)
				}
			}
		}
	})
}

func TestStringCacheBounds(t *testing.T) {
	var c stringCache[int]
	long := string(make([]byte, maxCachedKey+1))
	c.put(long, 1)
	if _, ok := c.getString(long); ok {
		t.Fatal("a key longer than maxCachedKey was kept")
	}
	key := []byte("k")
	c.put(string(key), 7)
	key[0] = 'x' // the cache must hold its own copy
	if v, ok := c.getString("k"); !ok || v != 7 {
		t.Fatalf("get(k) = %d, %v; want 7, true", v, ok)
	}
	if got := c.get([]byte("k")); got != 7 {
		t.Fatalf("get bytes = %d, want 7", got)
	}
	for i := range maxCachedKeys + 10 {
		c.put(string(rune(i+1000)), i)
	}
	if n := len(*c.m.Load()); n != maxCachedKeys {
		t.Fatalf("cache holds %d keys, bound is %d", n, maxCachedKeys)
	}
}
