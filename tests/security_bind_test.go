package tests

import (
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// TestSecurityBindShift (class 6): a standalone sql.NamedArg value makes
// GORM add a bind value without a placeholder; on '?' dialects every later
// value shifts by one, so the application's own guard binds the
// attacker's value. Here user 7 ("me") must only ever see their address.
// The payloads empty a NOT IN list to keep the SQL valid, which only SQLite
// accepts: MySQL refuses "NOT IN ()", and PostgreSQL's numbered binds keep
// each value in its place.
func TestSecurityBindShift(t *testing.T) {
	const me, victim = 7, 8
	shifted := pSliceOf(0, pNamedArg("x", pInt(victim)))
	cases := []struct {
		name string
		cond pv
	}{
		{"Neq list", pNeq(pField("ID"), shifted)},
		{"Not of an Eq list", pNot(pEq(pField("ID"), shifted))},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			data := secPayload(pStmt(eModel("address"), eClauses(pClause(clauseWhere, pWhere(c.cond)))))
			for _, p := range e.policies() {
				t.Run(c.name+"/"+p.name, func(t *testing.T) {
					q, err := secLoads(t, data, p.db)
					if err != nil {
						p.checkRefusal(t, err)
						return
					}
					if q != nil {
						checkGuard(t, q.Where("user_id = ?", me), me)
					}
				})
			}
		}
	})
}

// checkGuard runs a chain guarded to user me and fails on any row of
// another user.
func checkGuard(t *testing.T, guarded *gorm.DB, me uint) {
	t.Helper()
	var rows []fixture.Address
	if err := guarded.Find(&rows).Error; err != nil {
		t.Logf("Find: %v", err)
	}
	for _, r := range rows {
		if r.UserID != me {
			t.Errorf("the guard user_id = %d returned address %d of user %d", me, r.ID, r.UserID)
		}
	}
	var maps []map[string]any
	if err := guarded.Find(&maps).Error; err != nil {
		t.Logf("Find maps: %v", err)
	}
	for _, m := range maps {
		if uid, ok := m["user_id"]; ok && secUint(uid) != me {
			t.Errorf("the guard user_id = %d returned row %v", me, m)
		}
	}
}

// secUint reads an integer column however the driver returned it.
func secUint(v any) uint {
	switch n := v.(type) {
	case int64:
		return uint(n)
	case int32:
		return uint(n)
	case uint64:
		return uint(n)
	case []byte:
		var u uint
		for _, c := range n {
			u = u*10 + uint(c-'0')
		}
		return u
	}
	return 0
}
