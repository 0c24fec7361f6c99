package tests

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// Classes 1 to 3 of issue #14: raw SQL that reaches the statement although
// raw SQL is refused.

// unionTokens turns the WHERE it is written into into a UNION reading
// admin_tokens with the given columns; GORM appends ".id = ?" after it.
func unionTokens(cols string) string {
	return "0=1 UNION SELECT " + cols + " FROM admin_tokens WHERE admin_tokens"
}

// rawColumnCases place the class-1 column in every clause that holds
// columns, each turning the statement into a read of admin_tokens.
func rawColumnCases() []secCase {
	where := func(x pv) []byte { return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseWhere, pWhere(x))))) }
	selects := func(col pv) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseSelect, pSelect(col)))))
	}
	return []secCase{
		{"WHERE", where(pEq(pRawField(unionTokens("id, token"), "ID"), pInt(1)))},
		{"GROUP BY", secPayload(pStmt(eModel("user"), eClauses(pClause(clauseGroupBy,
			pGroupBy(pRawField("users.id UNION SELECT id, token FROM admin_tokens GROUP BY admin_tokens", "ID"))))))},
		{"SELECT alias", selects(pCol(colRaw|colFieldRef|colAlias, pNil, pStr("ID"), "id, (SELECT token FROM admin_tokens) AS leaked"))},
		{"SELECT table", selects(pRawField("(SELECT token FROM admin_tokens) AS leaked, users", "ID"))},
		{"subquery", where(pEq(pField("ID"), pSliceOf(0, pSub(eModel("address"), eClauses(
			pClause(clauseSelect, pSelect(pField("UserID"))),
			pClause(clauseWhere, pWhere(pEq(pRawField("0=1) UNION SELECT id, token FROM admin_tokens WHERE (admin_tokens", "ID"), pInt(1)))),
		)))))},
		{"preload function", secPayload(pStmt(eModel("user"), ePreloads(pPreload("Addresses", pFunc(eModel("address"),
			eClauses(pClause(clauseWhere, pWhere(pEq(pRawField(unionTokens("id, token, 7"), "ID"), pInt(1))))))))))},
	}
}

// orderBy is a payload ordering users by the class-1 column with table t.
func orderBy(t string) []byte {
	return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseOrderBy, pOrderBy(pRawField(t, "ID"))))))
}

// orderByErrors make the server quote admin_tokens' token in an error.
var orderByErrors = map[string]string{
	dbtest.Postgres: "CAST((SELECT token FROM admin_tokens) AS integer), users",
	dbtest.MySQL:    "extractvalue(1, concat(0x7e, (SELECT token FROM admin_tokens))), users",
}

// orderByStalls keep the server busy for longer than their threshold:
// 1.5 s of sleep, or on SQLite, which cannot sleep, counting to three
// million (about a second on an idle machine, more under load).
var orderByStalls = map[string]struct {
	table string
	max   time.Duration
}{
	dbtest.Postgres: {"(SELECT 1 FROM pg_sleep(1.5)), users", time.Second},
	dbtest.MySQL:    {"(SELECT SLEEP(1.5)), users", time.Second},
	dbtest.SQLite:   {"(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 3000000) SELECT max(x) FROM c), users", 500 * time.Millisecond},
}

// TestSecurityRawColumns (class 1): a raw column whose name is a field
// reference, its table and alias written verbatim, in every clause that
// holds columns; in ORDER BY, read through an error or timed.
func TestSecurityRawColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range rawColumnCases() {
			t.Run(c.name, func(t *testing.T) { e.attack(t, c.data) })
		}
		t.Run("ORDER BY error", func(t *testing.T) {
			leak, ok := orderByErrors[e.backend]
			if !ok {
				t.Skip("SQLite has no error that quotes a value; ORDER BY sleep covers its ORDER BY")
			}
			e.attack(t, orderBy(leak))
		})
		t.Run("ORDER BY sleep", func(t *testing.T) {
			stall := orderByStalls[e.backend]
			e.attackWithin(t, orderBy(stall.table), stall.max)
		})
	})
}

// unionAddresses reads admin_tokens as rows of addresses of user 7.
const unionAddresses = "1=0 UNION SELECT id, token, 7 FROM admin_tokens"

// TestSecurityPreloadArguments (class 2): preload arguments after the
// first reach GORM as a raw WHERE string.
func TestSecurityPreloadArguments(t *testing.T) {
	empty := pFunc()
	cases := []struct {
		name string
		args []pv
	}{
		{"function then string", []pv{empty, pStr(unionAddresses)}},
		{"two functions then string", []pv{empty, empty, pStr(unionAddresses)}},
		{"function, string with a var", []pv{empty, pStr("id <> ? UNION SELECT id, token, 7 FROM admin_tokens"), pInt(0)}},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.attack(t, secPayload(pStmt(eModel("user"), ePreloads(pPreload("Addresses", c.args...)))))
			})
		}
	})
}

// TestSecurityPreloadFunctionTables (class 3): a preload function's
// Table(name) is replayed through GORM's Table(), which takes a name with
// a space as raw FROM SQL.
func TestSecurityPreloadFunctionTables(t *testing.T) {
	subselect := "(SELECT id, token email, 7 user_id FROM admin_tokens) AS addresses"
	cases := []struct {
		name string
		fn   pv
	}{
		{"derived table", pFunc(eTable(subselect))},
		{"derived table with model", pFunc(eModel("address"), eTable(subselect))},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.attack(t, secPayload(pStmt(eModel("user"), ePreloads(pPreload("Addresses", c.fn)))))
			})
		}
	})
}
