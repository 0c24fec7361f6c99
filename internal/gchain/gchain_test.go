package gchain_test

import (
	"reflect"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/gchain"
)

type user struct {
	ID   uint
	Name string
}

func open(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(dbtest.Dialector(dbtest.Postgres), &gorm.Config{DryRun: true, Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestShape fails when GORM changes the layout of its generics chains
// (g[T], createG[T], chainG[T]) that gchain reads.
func TestShape(t *testing.T) {
	db := open(t)
	for name, v := range map[string]any{
		"g":       gorm.G[user](db),
		"createG": gorm.G[user](db).Select("name"),
		"chainG":  gorm.G[user](db, clause.Limit{Limit: new(int)}).Where("id > ?", 1).Order("id"),
	} {
		if !gchain.Is(reflect.TypeOf(v)) {
			t.Fatalf("%s: %T is not recognised", name, v)
		}
		c, ok, err := gchain.Of(v)
		if !ok || err != nil {
			t.Fatalf("%s: Of = %v, %v", name, ok, err)
		}
		if c.DB != db || c.Model != reflect.TypeOf(user{}) {
			t.Fatalf("%s: DB %p (want %p), model %v", name, c.DB, db, c.Model)
		}
		tx := c.Apply()
		if _, isUser := tx.Statement.Model.(*user); !isUser {
			t.Fatalf("%s: model %T", name, tx.Statement.Model)
		}
	}
	c, _, _ := gchain.Of(gorm.G[user](db).Where("id > ?", 1).Order("id"))
	if len(c.Ops) != 2 {
		t.Fatalf("%d ops, want 2", len(c.Ops))
	}
	if tx := c.Apply(); len(tx.Statement.Clauses) != 2 {
		t.Fatalf("applied clauses %v", tx.Statement.Clauses)
	}
	for _, v := range []any{nil, 1, db, user{}, clause.Expr{}} {
		if _, ok, _ := gchain.Of(v); ok {
			t.Fatalf("%T taken for a generics chain", v)
		}
	}
}

// TestApplyLeavesDBAlone: GORM applies a DryRun generics chain to the DB
// given to gorm.G (its Joins and Scopes then write into that DB's
// statement); Apply never does.
func TestApplyLeavesDBAlone(t *testing.T) {
	db := open(t)
	q := gorm.G[user](db).Scopes(func(s *gorm.Statement) { s.Where("id = ?", 1) }).
		Joins(clause.JoinTarget{Type: clause.LeftJoin, Association: "x", Table: "x"}, nil)
	c, _, _ := gchain.Of(q)
	for i := 0; i < 2; i++ {
		tx := c.Apply()
		if len(tx.Statement.Joins) != 1 || len(tx.Statement.Clauses) != 1 {
			t.Fatalf("run %d: joins %d, clauses %v", i, len(tx.Statement.Joins), tx.Statement.Clauses)
		}
	}
	if len(db.Statement.Joins) != 0 || len(db.Statement.Clauses) != 0 {
		t.Fatalf("the chain's DB was written into: joins %d, clauses %v", len(db.Statement.Joins), db.Statement.Clauses)
	}
}

// TestApplyDryRunStatement: in DryRun mode the chain continues the given
// DB's statement unless that DB starts a new one, as GORM's apply does.
func TestApplyDryRunStatement(t *testing.T) {
	db := open(t)
	for name, c := range map[string]struct {
		root  *gorm.DB
		where int
	}{
		"root":              {db, 1},
		"new session":       {db.Where("id = ?", 5).Session(&gorm.Session{NewDB: true}), 1},
		"session":           {db.Where("id = ?", 5).Session(&gorm.Session{}), 2},
		"chain in progress": {db.Where("id = ?", 5), 2},
	} {
		ch, _, _ := gchain.Of(gorm.G[user](c.root).Where("name = ?", "x"))
		w, _ := ch.Apply().Statement.Clauses["WHERE"].Expression.(clause.Where)
		if len(w.Exprs) != c.where {
			t.Errorf("%s: %d conditions, want %d", name, len(w.Exprs), c.where)
		}
	}
}
