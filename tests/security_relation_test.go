package tests

import (
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// TestSecurityStatementsStayOnTheirModel: under the strict policy a
// statement applied to a relation (a Preload function's) may not name
// another model, whose table GORM would then read into the relation's
// fields; and a subquery must select its columns, or SELECT * compared with
// a row of allowed columns would test the ones the allow-list keeps out.
func TestSecurityStatementsStayOnTheirModel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		refused := map[string][]byte{
			"preload function naming another model": secPayload(pStmt(eModel("user"), ePreloads(
				pPreload("Addresses", pFunc(eModel("account")))))),
			"subquery selecting every column": secPayload(pStmt(eModel("account"), eClauses(pClause(clauseWhere,
				pWhere(pIN(pField("ID"), pSub(eModel("account")))))))),
		}
		for name, data := range refused {
			t.Run(name, func(t *testing.T) {
				_, err := gormpickle.Loads(data, e.strict)
				if !errors.Is(err, gormpickle.ErrNotAllowed) {
					t.Fatalf("error = %v, want ErrNotAllowed", err)
				}
				secAttack(t, e.policies(), data, 0)
			})
		}
		// A Preload function on its own model loads and runs. (A
		// structured subquery with a Select is accepted too, but GORM
		// writes a subquery value without parentheses: only raw SQL,
		// "IN (?)", makes it valid SQL.)
		ok := secPayload(pStmt(eModel("user"), ePreloads(pPreload("Addresses", pFunc(eModel("address"))))))
		q, err := gormpickle.Loads(ok, e.strict)
		if err != nil {
			t.Fatalf("a preload function on its own model: %v", err)
		}
		var users []fixture.User
		if err := q.Find(&users).Error; err != nil {
			t.Fatal(err)
		}
		addresses := 0
		for _, u := range users {
			addresses += len(u.Addresses)
		}
		if addresses != 5 {
			t.Fatalf("%d addresses preloaded, want 5", addresses)
		}
		withSelect := secPayload(pStmt(eModel("user"), eClauses(pClause(clauseWhere,
			pWhere(pIN(pField("ID"), pSub(eModel("address"), eSelects(pArr(pStr("UserID"))))))))))
		if _, err := gormpickle.Loads(withSelect, e.strict); err != nil {
			t.Fatalf("a subquery with a Select: %v", err)
		}
	})
}
