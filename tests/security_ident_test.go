package tests

import (
	"errors"
	"fmt"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// The exhaustive identifier test (issue #14, class 4): every string of up
// to four symbols over identAlphabet, in every identifier slot, is either
// refused or reaches SQL quoted intact. Rendered with DryRun, without a
// server.

// identAlphabet holds the characters that quote, escape, comment, nest or
// separate in one of the three dialects, and one letter.
const identAlphabet = ".\"'\\`[]();- a"

// identMaxLen is the longest string tried.
const identMaxLen = 4

// identSlot is one place of a payload where a name reaches SQL.
type identSlot struct {
	name string
	// placeholder is a name the slot holds in ordinary payloads.
	placeholder string
	// qualified slots take dotted names as qualified names ("t.c" is
	// written "t"."c"); in the others a name is one identifier.
	qualified bool
	payload   func(name string) []byte
}

// identSlots lists the identifier slots of the format.
var identSlots = []identSlot{
	{"column table", "users", true, func(n string) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseWhere, pWhere(pEq(pCol(colFieldRef, pStr(n), pStr("Name")), pStr("v")))))))
	}},
	{"column name", "name", true, func(n string) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseWhere, pWhere(pEq(pCol(0, pNil, pStr(n)), pStr("v")))))))
	}},
	{"column alias", "qqq", false, func(n string) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseSelect, pSelect(pCol(colFieldRef|colAlias, pNil, pStr("Name"), n))))))
	}},
	{"table name", "users", true, func(n string) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseFrom, pFrom([]pv{pTableRef(pStr(n), "")})))))
	}},
	{"table alias", "qqq", false, func(n string) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseFrom, pFrom([]pv{pTableRef(pStr("users"), n)})))))
	}},
	{"join alias", "qqq", false, func(n string) []byte {
		return secPayload(pStmt(eModel("address"), eJoins(pArr(pStr("User"), pStr(n)))))
	}},
	{"locking table", "users", true, func(n string) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseFor,
			pTag(tagLocking, pStr("UPDATE"), pTableRef(pStr(n), ""), pStr(""))))))
	}},
	{"Table(name)", "users", true, func(n string) []byte { return secPayload(pStmt(eModel("user"), eTable(n))) }},
	{"Select name", "name", true, func(n string) []byte { return secPayload(pStmt(eModel("user"), eSelects(pStr(n)))) }},
	{"string column of Eq", "name", true, func(n string) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseWhere, pWhere(pEq(pStr(n), pStr("v")))))))
	}},
}

// identStrings is every string of at most n symbols over alphabet.
func identStrings(alphabet string, n int) []string {
	out := []string{""}
	level := []string{""}
	for range n {
		var next []string
		for _, prefix := range level {
			for i := 0; i < len(alphabet); i++ {
				next = append(next, prefix+alphabet[i:i+1])
			}
		}
		out = append(out, next...)
		level = next
	}
	return out
}

// dryTarget is a DryRun database of the backend with the plugin.
func dryTarget(t *testing.T, backend string, opts ...gormpickle.Option) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(dbtest.Dialector(backend), &gorm.Config{DryRun: true, DisableAutomaticPing: true, Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Use(shadowtest.New(t, opts...)); err != nil {
		t.Fatal(err)
	}
	return db
}

// rendering is a statement as DryRun renders it.
type rendering struct {
	sql, vars string
	err       error
}

// errRenderPanic marks a rendering that panicked.
var errRenderPanic = errors.New("rendering panicked")

// renderDry renders q's Find, recovering a panic as an error.
func renderDry(q *gorm.DB) (r rendering) {
	defer func() {
		if p := recover(); p != nil {
			r.err = fmt.Errorf("%w: %v", errRenderPanic, p)
		}
	}()
	tx := q.Session(&gorm.Session{}).Find(secDest(q, true))
	return rendering{sql: tx.Statement.SQL.String(), vars: fmt.Sprint(tx.Statement.Vars), err: tx.Error}
}

// TestSecurityIdentifiers: 30 941 names in 10 slots on 3 dialects under
// the strict policy and under WithoutRawSQL alone.
func TestSecurityIdentifiers(t *testing.T) {
	names := identStrings(identAlphabet, identMaxLen)
	if len(names) != 1+13+13*13+13*13*13+13*13*13*13 {
		t.Fatalf("%d names, want 30 941", len(names))
	}
	for _, backend := range dbtest.Backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			reference := dryTarget(t, backend, secModels())
			policies := []secPolicy{
				{name: "strict", db: dryTarget(t, backend, secStrictOptions()...)},
				{name: "rawless", db: dryTarget(t, backend, secModels(), gormpickle.WithoutRawSQL())},
			}
			quote := identQuote(reference)
			for _, slot := range identSlots {
				t.Run(slot.name, func(t *testing.T) {
					checkSlot(t, slot, policies, names, slot.expect(t, reference, quote))
				})
			}
		})
	}
}

// maxSlotFailures stops a slot's report after this many names.
const maxSlotFailures = 10

// checkSlot loads every name in the slot under each policy and fails on a
// name accepted but not rendered as verify wants.
func checkSlot(t *testing.T, slot identSlot, policies []secPolicy, names []string, verify verifier) {
	t.Helper()
	for _, p := range policies {
		failures := 0
		for _, name := range names {
			if msg := checkName(slot, p, name, verify); msg != "" {
				t.Errorf("%s: %q %s", p.name, name, msg)
				failures++
			}
			if failures >= maxSlotFailures {
				t.Errorf("%s: stopped after %d names", p.name, failures)
				break
			}
		}
	}
}

// checkName loads name in the slot and says what is wrong, or "".
func checkName(slot identSlot, p secPolicy, name string, verify verifier) string {
	q, err := gormpickle.Loads(slot.payload(name), p.db)
	if err == nil {
		return verify(name, renderDry(q))
	}
	if !secRefused(err) {
		return fmt.Sprintf("refused with an untyped error: %v", err)
	}
	return ""
}
