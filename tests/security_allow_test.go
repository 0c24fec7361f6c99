package tests

import (
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// Class 5 of issue #14: allow-lists that do not bound what is read.

// TestSecurityAllowListReads: tables outside the policy reached with only
// structured entries: explicit tables, FROM clauses, relations of models
// that are not allowed, a join whose expression names another table.
func TestSecurityAllowListReads(t *testing.T) {
	cases := []secCase{
		{"Table without a model", secPayload(pStmt(eTable("admin_tokens")))},
		{"Table with a model", secPayload(pStmt(eModel("user"), eTable("admin_tokens")))},
		{"FROM clause", secPayload(pStmt(eModel("user"), eClauses(pClause(clauseFrom, pFrom([]pv{pTableRef(pStr("admin_tokens"), "")})))))},
		{"FROM clause under the model's name", secPayload(pStmt(eModel("user"),
			eClauses(pClause(clauseFrom, pFrom([]pv{pTableRef(pStr("admin_tokens"), "users")})))))},
		{"FROM clause of another model's table", secPayload(pStmt(eModel("user"),
			eClauses(pClause(clauseFrom, pFrom([]pv{pTableRef(pStr("sec_accounts"), "users")})))))},
		{"Joins of a model not allowed", secPayload(pStmt(eModel("account"), eJoins(pArr(pStr("Vault")))))},
		{"Preload of a model not allowed", secPayload(pStmt(eModel("account"), ePreloads(pStr("Secrets"))))},
		{"join expression onto another table", secPayload(pStmt(eModel("node"), eJoins(pArr(
			pStr("Parent"), pStr(""), pInt(2), pArr(), pNil, pArr(pStr("ID"), pStr("Name")), pArr(),
			pTag(tagJoin, pInt(2), pTableRef(pStr("sec_secrets"), "Parent"), pWhere(), pArr(), pNil)))))},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { e.attack(t, c.data) })
		}
	})
}

// tokenLike is a payload counting addresses whose ID is that of an
// admin token matching pattern: a yes/no answer about admin_tokens.
func tokenLike(pattern string) []byte {
	return secPayload(pStmt(eModel("address"), eClauses(pClause(clauseWhere, pWhere(pEq(pField("ID"), pSliceOf(0,
		pSub(eTable("admin_tokens"), eClauses(
			pClause(clauseSelect, pSelect(pCol(0, pNil, pStr("id")))),
			pClause(clauseWhere, pWhere(pTag(tagLike, pStr("token"), pStr(pattern)))),
		)))))))))
}

// joinedTokenLike counts users joined (INNER) to the admin tokens
// matching pattern, through a FROM clause.
func joinedTokenLike(pattern string) []byte {
	return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseFrom, pFrom(
		[]pv{pTableRef(pStr("users"), "")},
		pTag(tagJoin, pInt(1), pTableRef(pStr("admin_tokens"), ""),
			pWhere(pTag(tagLike, pStr("admin_tokens.token"), pStr(pattern))), pArr(), pNil))))))
}

// passwordIs counts addresses of the user whose account password is
// guess, through a subquery that names no model (modelless) or names the
// account model and a plain column (plain).
func passwordIs(guess string, modelless bool) []byte {
	head := eTable("sec_accounts")
	if !modelless {
		head = eModel("account")
	}
	return secPayload(pStmt(eModel("address"), eClauses(pClause(clauseWhere, pWhere(pEq(pField("UserID"), pSliceOf(0,
		pSub(head, eClauses(
			pClause(clauseSelect, pSelect(pCol(0, pNil, pStr("user_id")))),
			pClause(clauseWhere, pWhere(pEq(pCol(0, pNil, pStr("password")), pStr(guess)))),
		)))))))))
}

// TestSecurityAllowListOracles: a payload whose row count answers a
// question about data outside the policy. Each pair differs only in the
// guess; if both load, their counts must not differ.
func TestSecurityAllowListOracles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, p := range e.policies() {
			t.Run(p.name, func(t *testing.T) {
				p.oracle(t, "token prefix, subquery", tokenLike(e.token[:10]+"%"), tokenLike("zz%"))
				p.oracle(t, "token prefix, FROM join", joinedTokenLike(e.token[:10]+"%"), joinedTokenLike("zz%"))
				if p.name != "strict" {
					return // every field of an allowed model may be read
				}
				p.oracle(t, "password, subquery without a model", passwordIs(e.password, true), passwordIs("wrong", true))
				p.oracle(t, "password, plain column", passwordIs(e.password, false), passwordIs("wrong", false))
			})
		}
	})
}

// oracle fails t when right and wrong both load and count differently.
func (p secPolicy) oracle(t *testing.T, name string, right, wrong []byte) {
	t.Helper()
	var counts [2]int64
	for i, data := range [][]byte{right, wrong} {
		q, err := secLoads(t, data, p.db)
		if err != nil {
			p.checkRefusal(t, err)
			return
		}
		if q == nil {
			return
		}
		if err := q.Count(&counts[i]).Error; err != nil {
			t.Logf("%s: Count: %v", name, err)
		}
	}
	if counts[0] != counts[1] {
		t.Errorf("%s: the right guess counts %d rows, a wrong one %d: the payload reads outside the policy", name, counts[0], counts[1])
	}
}
