package tests

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/serializer"
)

// Classes 8 and 9 of issue #14: payloads that abort the process or make a
// finisher panic.

// abortChildEnv marks the child process TestSecurityProcessAbort runs in.
const abortChildEnv = "GORMPICKLE_SECURITY_ABORT_CHILD"

// tableExpr is the payload Table("x ?", v).
func tableExpr(v pv) []byte {
	return secPayload(pStmt(pEntry{keyTable, pArr(pInt(1), pStr("x ?"), pArr(v))}))
}

// TestSecurityProcessAbort (class 8): a table expression whose var names
// the current table makes GORM recurse until the runtime aborts with a
// stack overflow, which no recover catches. Loads, under any policy, and
// serializer.Describe must refuse it. The test runs in a child process so
// that an abort fails it instead of killing the whole test binary.
func TestSecurityProcessAbort(t *testing.T) {
	if os.Getenv(abortChildEnv) == "" {
		runInChild(t)
		return
	}
	debug.SetMaxStack(64 << 20) // overflow in a fraction of a second, not after 1 GB
	current := pTableRef(pInt(refCurrent), "")
	payloads := []secCase{
		{"locking the current table", tableExpr(pTag(tagLocking, pStr("UPDATE"), current, pStr("")))},
		{"the current table", tableExpr(current)},
		{"the current table in a slice", tableExpr(pSliceOf(0, current))},
		{"the current table in an expression", tableExpr(pTag(21, pStr("(?)"), pArr(current)))},
		// Tables and columns by name are accepted there; not those of the
		// current table.
		{"a column of the current table", tableExpr(pCol(0, pInt(refCurrent), pStr("id")))},
		{"the current table by its name", tableExpr(pTableRef(pStr("~~~ct~~~"), ""))},
		{"a column of the current table by its name", tableExpr(pCol(0, pStr("~~~ct~~~"), pStr("id")))},
	}
	db := dbtest.Open(t, dbtest.SQLite)
	policies := []secPolicy{
		{name: "open", db: secTarget(t, db, secModels()), limitsOnly: true},
		{name: "rawless", db: secTarget(t, db, secModels(), gormpickle.WithoutRawSQL())},
		{name: "strict", db: secTarget(t, db, secStrictOptions()...)},
	}
	reg := gormpickle.New(secModels()).Registry()
	for _, c := range payloads {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range policies {
				if _, err := gormpickle.Loads(c.data, p.db); !secRefused(err) {
					t.Errorf("Loads under the %s policy: error %v, want a refusal", p.name, err)
				}
			}
			desc, err := serializer.Describe(c.data, reg, db)
			if err == nil && (desc.SQLError == "" || desc.SQL != "") {
				t.Errorf("Describe rendered %q without refusing the payload", desc.SQL)
			}
		})
	}
}

// runInChild runs the calling test alone in a child process of the test
// binary and fails it with the child's output if the child fails or dies.
func runInChild(t *testing.T) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), abortChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child process failed (%v):\n%s", err, keyLines(out, 20))
	}
}

// keyLine matches the lines of a child test's output that say which test
// ran and how it failed or died, not those of goroutine dumps.
var keyLine = regexp.MustCompile(`^(=== RUN|\s+\w+_test\.go:\d+: |fatal error|panic:)`)

// keyLines keeps the first n key lines of out.
func keyLines(out []byte, n int) []byte {
	var keep [][]byte
	for _, line := range bytes.SplitAfter(out, []byte("\n")) {
		if len(keep) < n && keyLine.Match(line) {
			keep = append(keep, line)
		}
	}
	return bytes.Join(keep, nil)
}

// TestSecurityFinisherPanics (class 9): payloads that every check lets
// through but on which a finisher panics.
func TestSecurityFinisherPanics(t *testing.T) {
	// GORM renders and runs a joined has-many for Count and Scan, and
	// panics scanning it into the model, as it does on the chain that was
	// dumped: without a policy the restored chain behaves as that one did
	// (issue #15), so only the policies must refuse it.
	joins := []secCase{
		{"Joins on a has-many relation", secPayload(pStmt(eModel("user"), eJoins(pArr(pStr("Addresses")))))},
		{"Joins on a has-many self relation", secPayload(pStmt(eModel("node"), eJoins(pArr(pStr("Children")))))},
		{"Joins through a has-many relation", secPayload(pStmt(eModel("node"), eJoins(pArr(pStr("Parent.Children")))))},
	}
	cases := []secCase{
		{"nil expression as a preload argument", secPayload(pStmt(eModel("user"), ePreloads(
			pPreload("Addresses", pSliceOf(typExpression, pNil)))))},
		{"nil expression after a preload function", secPayload(pStmt(eModel("user"), ePreloads(
			pPreload("Addresses", pFunc(), pSliceOf(typExpression, pNil)))))},
	}
	// Beyond the list: GORM's Pluck keeps a SELECT clause of
	// several columns and panics scanning them into one slice. GORM holds
	// such a clause after a chain with Select has run, and Pluck panics on
	// that chain too: without a policy the restored chain behaves as the
	// dumped one did, so only the policies must refuse it.
	selectClause := secPayload(pStmt(eModel("user"), eClauses(
		pClause(clauseSelect, pSelect(pField("ID"), pField("Name"))))))
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { secAttack(t, e.everyPolicy(), c.data, 0) })
		}
		for _, c := range joins {
			t.Run(c.name, func(t *testing.T) { secAttack(t, e.policies(), c.data, 0) })
		}
		t.Run("SELECT clause of two fields", func(t *testing.T) { secAttack(t, e.policies(), selectClause, 0) })
	})
}
