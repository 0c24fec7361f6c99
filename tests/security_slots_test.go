package tests

import (
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// Class 4 of issue #14: identifiers that escape their quotes. GORM's
// dialect quoting writes a name that starts with '.' as the quoted name
// "." followed by the rest of the name unquoted, so everything after the
// dot is SQL; a trailing "-- " comments out the stray quote and the rest of
// the statement. "." must then be a valid name where it lands: an alias
// anywhere, and on PostgreSQL a whole-row reference to a FROM item
// aliased "." (which the payload adds with a FROM clause).

// escape is a name GORM writes as "." followed by sql.
func escape(sql string) string { return "." + sql + " -- " }

// dotAliased is a FROM clause listing users, also under the alias ".".
func dotAliased(table string) pv {
	return pClause(clauseFrom, pFrom([]pv{pTableRef(pStr(table), ""), pTableRef(pStr(table), ".")}))
}

// wholeRowUnion escapes into a condition on the "." row and a UNION
// reading admin_tokens as rows of users (two columns per FROM item).
var wholeRowUnion = escape(" IS NOT NULL UNION SELECT id, token, id, token FROM admin_tokens")

// TestSecurityIdentifierEscapes (class 4): each identifier slot, given a
// name that escapes GORM's quoting, must be refused or stay a name.
func TestSecurityIdentifierEscapes(t *testing.T) {
	cases := []secCase{
		{"column alias", secPayload(pStmt(eModel("user"), eClauses(pClause(clauseSelect, pSelect(
			pCol(colFieldRef|colAlias, pNil, pStr("ID"), escape(", (SELECT token FROM admin_tokens) AS leaked FROM users"))))))),
		},
		{"table alias", secPayload(pStmt(eModel("user"), eClauses(pClause(clauseFrom, pFrom([]pv{
			pTableRef(pStr("users"), escape(" UNION SELECT id, token FROM admin_tokens"))})))))},
		{"table name", secPayload(pStmt(eModel("user"), eClauses(pClause(clauseFrom, pFrom([]pv{
			pTableRef(pStr(escape(" UNION SELECT id, token FROM admin_tokens")), "")})))))},
		{"column table", secPayload(pStmt(eModel("user"), eClauses(dotAliased("users"),
			pClause(clauseWhere, pWhere(pEq(pCol(colFieldRef, pStr(wholeRowUnion), pStr("ID")), pNil))))))},
		{"column name", secPayload(pStmt(eModel("user"), eClauses(dotAliased("users"),
			pClause(clauseWhere, pWhere(pEq(pCol(0, pNil, pStr(wholeRowUnion)), pNil))))))},
		{"string column of Eq", secPayload(pStmt(eModel("user"), eClauses(dotAliased("users"),
			pClause(clauseWhere, pWhere(pEq(pStr(wholeRowUnion), pNil))))))},
		{"join alias", secPayload(pStmt(eModel("address"), eJoins(pArr(pStr("User"),
			pStr(escape(" IS NOT NULL FROM addresses UNION SELECT id, token, id, id, token FROM admin_tokens"))))))},
		{"locking table", secPayload(pStmt(eModel("user"), eClauses(dotAliased("users"), pClause(clauseFor,
			pTag(tagLocking, pStr("UPDATE"), pTableRef(pStr(escape(", admin_tokens")), ""), pStr("")))))),
		},
		{"Table(name)", secPayload(pStmt(eModel("user"), eTable(escape(" UNION SELECT id, token FROM admin_tokens"))))},
		// Beyond the list: the keys of a map passed as a preload
		// argument are columns GORM quotes the same way.
		{"preload map key", secPayload(pStmt(eModel("user"), ePreloads(pPreload("Addresses",
			pFunc(eClauses(dotAliased("addresses"))),
			pTag(15, pInt(15), pInt(0), pStr(escape(" IS NOT NULL UNION SELECT id, token, 7, id, token, 7 FROM admin_tokens")), pNil)))))},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { e.attack(t, c.data) })
		}
	})
}
