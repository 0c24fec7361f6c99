package tests

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// The amplification shapes of issue #14, class 7, each grown as far as the
// limits let it: the SQL an accepted payload renders must stay under the
// stated bound (docs/security.md), and a larger payload of the same shape
// must be refused with ErrLimit or stay under it too.

// sqlBound is the stated bound on the SQL an accepted payload renders.
func sqlBound(payload int) int { return 16*payload + 16<<10 }

// ampShape builds a payload of one shape at size n (what n counts is the
// shape's own unit: references, subqueries, join entries).
type ampShape struct {
	name   string
	strict bool // load under the strict policy (else under none)
	build  func(n int) []byte
}

var ampShapes = []ampShape{
	{"nested_self_joins", true, func(n int) []byte {
		// Joins("Parent", "Parent.Parent", ...): the deepest path the
		// limits accept, then as many entries as there are segments.
		var joins []pv
		for i := 1; i <= n; i++ {
			depth := (i-1)%5 + 1
			joins = append(joins, pArr(pStr(strings.TrimSuffix(strings.Repeat("Parent.", depth), "."))))
		}
		return secPayload(pStmt(eModel("node"), eJoins(joins...)))
	}},
	{"interned_identifier", false, func(n int) []byte {
		// One long name (interned second, after the model's ID), then n
		// columns naming it twice by reference.
		long := strings.Repeat("x", 60)
		cols := []pv{pCol(0, pStr(long), pInt(1))}
		for range n {
			cols = append(cols, pCol(0, pInt(1), pInt(1)))
		}
		return secPayload(pStmt(eModel("node"), eClauses(pClause(clauseOrderBy, pOrderBy(cols...)))))
	}},
	{"field_references", true, func(n int) []byte {
		cols := []pv{pCol(colFieldRef, pInt(refCurrent), pStr("Name"))}
		for range n {
			cols = append(cols, pCol(colFieldRef, pInt(refCurrent), pInt(1)))
		}
		return secPayload(pStmt(eModel("node"), eClauses(pClause(clauseOrderBy, pOrderBy(cols...)))))
	}},
	{"subqueries", true, func(n int) []byte {
		subs := make([]pv, n)
		for i := range subs {
			subs[i] = pIN(pField("ID"), pSub(eModel("node"), eSelects(pArr(pStr("ID")))))
		}
		return secPayload(pStmt(eModel("node"), eClauses(pClause(clauseWhere, pWhere(subs...)))))
	}},
}

// TestAmplificationBounds grows each shape until it is refused, checking
// every accepted size against the bound on every dialect.
func TestAmplificationBounds(t *testing.T) {
	for _, backend := range dbtest.Backends {
		strict, open := ampTarget(t, backend, true), ampTarget(t, backend, false)
		for _, s := range ampShapes {
			t.Run(backend+"/"+s.name, func(t *testing.T) {
				target := open
				if s.strict {
					target = strict
				}
				accepted := 0
				for n := 1; n <= 1<<12; n *= 2 {
					data := s.build(n)
					q, err := gormpickle.Loads(data, target)
					if errors.Is(err, gormpickle.ErrLimit) {
						break
					}
					if err != nil {
						t.Fatalf("n=%d: %v", n, err)
					}
					size := renderedSize(t, q)
					if size > sqlBound(len(data)) {
						t.Fatalf("n=%d: %d payload bytes render %d bytes of SQL, over the bound %d", n, len(data), size, sqlBound(len(data)))
					}
					accepted = n
				}
				if accepted == 0 {
					t.Fatal("the smallest payload of the shape was refused")
				}
			})
		}
	}
}

// renderedSize renders q's SELECT without running it.
func renderedSize(t *testing.T, q *gorm.DB) int {
	t.Helper()
	var rows []secNode
	tx := q.Session(&gorm.Session{DryRun: true}).Find(&rows)
	if tx.Error != nil {
		t.Fatalf("render: %v", tx.Error)
	}
	return tx.Statement.SQL.Len()
}

// ampTarget opens a DryRun DB of backend (no server needed) with the
// plugin, under the strict policy or none.
func ampTarget(t testing.TB, backend string, strict bool) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(dbtest.Dialector(backend), &gorm.Config{DryRun: true, Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	opts := []gormpickle.Option{secModels()}
	if strict {
		opts = secStrictOptions()
	}
	if err := db.Use(shadowtest.New(t, opts...)); err != nil {
		t.Fatal(err)
	}
	return db
}

// BenchmarkAmplification reports, for each shape, the worst ratio of
// rendered SQL bytes to payload bytes over the sizes the limits accept, and
// the allocations per payload byte of loading and rendering the largest
// accepted one (docs/security.md).
func BenchmarkAmplification(b *testing.B) {
	strict, open := ampTarget(b, dbtest.Postgres, true), ampTarget(b, dbtest.Postgres, false)
	for _, s := range ampShapes {
		target := open
		if s.strict {
			target = strict
		}
		data, worst := ampGrow(b, s, target)
		b.Run(fmt.Sprintf("%s/%dB", s.name, len(data)), func(b *testing.B) {
			for b.Loop() {
				q, err := gormpickle.Loads(data, target)
				if err != nil {
					b.Fatal(err)
				}
				var rows []secNode
				q.Session(&gorm.Session{DryRun: true}).Find(&rows)
			}
			allocs := testing.AllocsPerRun(5, func() {
				q, _ := gormpickle.Loads(data, target)
				var rows []secNode
				q.Session(&gorm.Session{DryRun: true}).Find(&rows)
			})
			b.ReportMetric(worst, "worst-sqlB/payloadB")
			b.ReportMetric(allocs/float64(len(data)), "allocs/payloadB")
		})
	}
}

// ampGrow grows shape s (n a power of two) while target accepts it and
// returns the largest accepted payload and the worst SQL/payload ratio
// seen.
func ampGrow(b *testing.B, s ampShape, target *gorm.DB) (last []byte, worst float64) {
	for n := 1; n <= 1<<12; n *= 2 {
		data := s.build(n)
		q, err := gormpickle.Loads(data, target)
		if err != nil {
			break
		}
		var rows []secNode
		size := q.Session(&gorm.Session{DryRun: true}).Find(&rows).Statement.SQL.Len()
		worst = max(worst, float64(size)/float64(len(data)))
		last = data
	}
	return last, worst
}

// TestPreloadQueriesBounded: nested preloads run one query per relation
// segment, so the preload limit bounds the queries a payload runs (33 with
// the defaults: the statement's and one per segment), and one segment more
// is refused.
func TestPreloadQueriesBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		queries := 0
		if err := e.strict.Callback().Query().After("gorm:query").Register("test:count", func(*gorm.DB) { queries++ }); err != nil {
			t.Fatal(err)
		}
		deepest := pStr("Children.Children.Children.Children.Children")
		preloads := func(segments int) []byte {
			var ps []pv
			for ; segments >= 5; segments -= 5 {
				ps = append(ps, deepest)
			}
			if segments > 0 {
				ps = append(ps, pStr(strings.TrimSuffix(strings.Repeat("Parent.", segments), ".")))
			}
			return secPayload(pStmt(eModel("node"), ePreloads(ps...)))
		}
		q, err := gormpickle.Loads(preloads(32), e.strict)
		if err != nil {
			t.Fatalf("32 preloaded segments refused: %v", err)
		}
		var nodes []secNode
		if err := q.Find(&nodes).Error; err != nil {
			t.Fatal(err)
		}
		if queries == 0 || queries > 33 {
			t.Fatalf("a payload of 32 preloaded segments ran %d queries, want 1 to 33", queries)
		}
		if _, err := gormpickle.Loads(preloads(33), e.strict); !errors.Is(err, gormpickle.ErrLimit) {
			t.Fatalf("33 preloaded segments: error = %v, want ErrLimit", err)
		}
		deeper := secPayload(pStmt(eModel("node"), ePreloads(pStr("Children.Children.Children.Children.Children.Children"))))
		if _, err := gormpickle.Loads(deeper, e.strict); !errors.Is(err, gormpickle.ErrLimit) {
			t.Fatalf("a relation path of 6 segments: error = %v, want ErrLimit", err)
		}
	})
}
