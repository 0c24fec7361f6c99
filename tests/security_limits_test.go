package tests

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// Class 7 of issue #14: amplification under the default limits. An
// accepted payload renders at most 16 bytes of SQL per payload byte plus
// 16 KiB, runs a bounded number of queries (one per preload segment, at
// most 32 of them, and the statement itself), and loads quickly.
const (
	sqlPerByte   = 16
	sqlBase      = 16 << 10
	maxQueries   = 1 + 32
	maxLoadAndGo = 2 * time.Second
)

// path is segment repeated n times, dot-separated.
func path(segment string, n int) string {
	return strings.TrimSuffix(strings.Repeat(segment+".", n), ".")
}

// internedColumns groups by n columns whose table is one long identifier,
// written once and then referenced by its one-byte index.
func internedColumns(n int) []byte {
	cols := []pv{pCol(colFieldRef, pStr(path("abcdefgh", 1000)), pStr("Name"))}
	for range n - 1 {
		cols = append(cols, pCol(colFieldRef, pInt(1), pInt(2))) // interned strings: 0 "user", 1 the table, 2 "Name"
	}
	return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseGroupBy, pGroupBy(cols...)))))
}

// nestedPreloadFuncs preloads Children five levels deep, inside a preload
// function that does the same, depth times.
func nestedPreloadFuncs(depth int) []byte {
	entry := pStr(path("Children", 5))
	for range depth - 1 {
		entry = pPreload(path("Children", 5), pFunc(ePreloads(entry)))
	}
	return secPayload(pStmt(eModel("node"), ePreloads(entry)))
}

// TestSecurityAmplification: payloads whose SQL or query count grows
// faster than their size must be refused, or stay within the bounds.
func TestSecurityAmplification(t *testing.T) {
	cases := []struct {
		name string
		data []byte
	}{
		{"nested self joins", secPayload(pStmt(eModel("node"), eJoins(pArr(pStr(path("Parent", 100))))))},
		{"interned identifier", internedColumns(1000)},
		{"nested preloads", secPayload(pStmt(eModel("node"), ePreloads(pStr(path("Children", chainLength-1)))))},
		{"nested preload functions", nestedPreloadFuncs(8)},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			for _, p := range e.everyPolicy() {
				t.Run(c.name+"/"+p.name, func(t *testing.T) { p.checkBounds(t, c.data) })
			}
		}
	})
}

// checkBounds loads data and, if it is accepted, checks its rendered size,
// the queries its Find runs and the time both take.
func (p secPolicy) checkBounds(t *testing.T, data []byte) {
	t.Helper()
	start := time.Now()
	q, err := secLoads(t, data, p.db)
	if err != nil {
		p.checkRefusal(t, err)
		if p.limitsOnly && !errors.Is(err, gormpickle.ErrLimit) {
			t.Errorf("without a policy only a limit may refuse it: %v", err)
		}
		return
	}
	if q == nil {
		return
	}
	r := renderDry(q.Session(&gorm.Session{DryRun: true}))
	if n, bound := len(r.sql), sqlPerByte*len(data)+sqlBase; n > bound {
		t.Errorf("a %d-byte payload renders %d bytes of SQL (bound %d)", len(data), n, bound)
		return // running it would take as long as the SQL is big
	}
	if errors.Is(r.err, errRenderPanic) {
		t.Errorf("%v", r.err)
	}
	var queries atomic.Int64
	counted := q.Session(&gorm.Session{})
	name := "sec:count:" + t.Name()
	if err := counted.Callback().Query().Before("gorm:query").Register(name, func(*gorm.DB) { queries.Add(1) }); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = counted.Callback().Query().Remove(name) }()
	if _, panicked, err := secRun(secFindModels, counted); panicked != nil {
		t.Errorf("Find panicked: %v", panicked)
	} else if err != nil {
		t.Logf("Find: %v", err)
	}
	if n := queries.Load(); n > maxQueries {
		t.Errorf("a %d-byte payload runs %d queries (at most %d)", len(data), n, maxQueries)
	}
	if elapsed := time.Since(start); elapsed > maxLoadAndGo {
		t.Errorf("loading, rendering and running took %v", elapsed)
	}
}
