package tests

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/serializer"
)

// Attacks on the forms this session added to the format: the preload's
// own query (tag 57) inside a Preload function, field references that
// record a column (column flag 8, [field, column] pairs) and the renamed
// field resolution they feed, and the version-3 header. Each runs against
// the canaries of security_helpers_test.go on every backend.

const (
	tagPreloadTx = 57
	colColumn    = 8
)

// secPayload3 is secPayload under the version-3 header.
func secPayload3(body pv) []byte {
	data := secPayload(body)
	data[3] = 3
	return data
}

// pTx is [tPreloadTx, statement]: the DB GORM passes the Preload function,
// with what the statement adds to it.
func pTx(entries ...pEntry) pv { return pTag(tagPreloadTx, pStmt(entries...)) }

// pSemiJoin is a Preload function whose statement keeps the relation's
// rows whose ID the preload's own query (tx, which holds the key
// condition) selects: WHERE id IN (tx).
func pSemiJoin(tx pv) pv { return pFunc(whereIn(tx)) }

// whereIn is the WHERE clause entry "id IN (x)": clause.Eq over a
// one-element []any, which GORM writes as IN with parentheses (a
// *gorm.DB var has none of its own).
func whereIn(x pv) pEntry {
	return eClauses(pClause(clauseWhere, pWhere(pEq(pField("ID"), pSliceOf(0, x)))))
}

// pFieldCol is a field reference recording a column (flag 8).
func pFieldCol(name, column string) pv {
	return pTag(tagColumn, pInt(colFieldRef|colColumn), pNil, pStr(name), pStr(column))
}

// nodeChildren loads a payload over node (the chain of secSetup) that
// preloads Children with fn, as a version-3 payload.
func nodeChildren(fn pv) []byte {
	return secPayload3(pStmt(eModel("node"), ePreloads(pPreload("Children", fn))))
}

// TestSecuritySessionPreloadTxBaseline: the well-formed shape the attacks
// below vary is accepted under the strict policy and preloads the right
// children, so a refusal of a variant is the policy's doing.
func TestSecuritySessionPreloadTxBaseline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		data := nodeChildren(pSemiJoin(pTx(eSelects(pArr(pStr("ID"))))))
		for _, p := range e.policies() {
			q, err := gormpickle.Loads(data, p.db)
			if err != nil {
				t.Fatalf("%s: Loads = %v", p.name, err)
			}
			var nodes []secNode
			if err := q.Order("id").Find(&nodes).Error; err != nil {
				t.Fatalf("%s: Find = %v", p.name, err)
			}
			if len(nodes) != chainLength {
				t.Fatalf("%s: %d nodes", p.name, len(nodes))
			}
			for i, n := range nodes[:chainLength-1] {
				if len(n.Children) != 1 || n.Children[0].ID != uint(i+2) {
					t.Fatalf("%s: node %d has children %+v, want node %d", p.name, n.ID, n.Children, i+2)
				}
			}
		}
	})
}

// TestSecuritySessionPreloadTxPlacement: tag 57 anywhere but inside a
// Preload function's statement (and not inside another 57) is corrupt.
func TestSecuritySessionPreloadTxPlacement(t *testing.T) {
	sel := eSelects(pArr(pStr("ID")))
	where := func(x pv) pEntry { return eClauses(pClause(clauseWhere, pWhere(x))) }
	cases := []struct {
		name string
		data []byte
	}{
		{"top-level condition", secPayload3(pStmt(eModel("node"), where(pIN(pField("ID"), pTx(sel)))))},
		{"subquery outside a preload", secPayload3(pStmt(eModel("node"),
			where(pIN(pField("ID"), pSub(eModel("node"), sel, where(pIN(pField("ID"), pTx(sel))))))))},
		{"preload argument itself", nodeChildren(pTx(sel))},
		{"preload argument condition", nodeChildren(pIN(pField("ID"), pTx(sel)))},
		{"inside another 57", nodeChildren(pSemiJoin(pTx(sel, where(pIN(pField("ID"), pTx(sel))))))},
		{"join condition", secPayload3(pStmt(eModel("address"),
			eJoins(pArr(pStr("User"), pStr("User"), pInt(0), pArr(pIN(pField("ID"), pTx(sel))))),
		))},
		{"model value field", secPayload3(pStmt(pEntry{keyModel, pArr(pStr("node"), pStr("Name"), pTx(sel))}))},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				for _, p := range e.everyPolicy() {
					_, err := secLoads(t, c.data, p.db)
					if !errors.Is(err, gormpickle.ErrCorrupt) && !errors.Is(err, gormpickle.ErrNotAllowed) {
						t.Errorf("%s: Loads = %v, want ErrCorrupt", p.name, err)
					}
				}
			})
		}
	})
}

// TestSecuritySessionPreloadTxOtherModels: the preload's own query, and
// the statement nesting it, read the relation's model only: another
// model, table or a disallowed field in either is refused under the strict
// policy, and whatever the rawless policy accepts brings back no token.
func TestSecuritySessionPreloadTxOtherModels(t *testing.T) {
	sel := eSelects(pArr(pStr("ID")))
	cases := []struct {
		name string
		fn   pv
	}{
		{"57 names the secret model", pSemiJoin(pTx(eModel("secret"), sel))},
		{"57 names another allowed model", pSemiJoin(pTx(eModel("account"), eSelects(pArr(pStr("Password")))))},
		{"57 names the admin table", pSemiJoin(pTx(eTable("admin_tokens"), sel))},
		{"57 names the secret table", pSemiJoin(pTx(eTable("sec_secrets"), sel))},
		{"57 selects nothing", pSemiJoin(pTx())},
		{"57 selects a column by name", pSemiJoin(pTx(eSelects(pStr("password"))))},
		{"57 select clause of another table", pSemiJoin(pTx(eClauses(pClause(clauseSelect,
			pSelect(pCol(0, pStr("admin_tokens"), pStr("token"))))), sel))},
		{"57 from another table", pSemiJoin(pTx(sel, eClauses(pClause(clauseFrom, pFrom([]pv{pTableRef(pStr("admin_tokens"), "")})))))},
		{"outer names the secret model", pFunc(eModel("secret"), whereIn(pTx(sel)))},
		{"outer names the admin table", pFunc(eTable("admin_tokens"), eClauses(pClause(clauseWhere,
			pWhere(pEq(pCol(0, pNil, pStr("id")), pSliceOf(0, pTx(sel)))))))},
		{"outer selects the token", pFunc(eSelects(pStr("token")), whereIn(pTx(sel)))},
		{"57 in a subquery of the secret model", pFunc(whereIn(pSub(eModel("secret"), eSelects(pArr(pStr("AccountID"))),
			whereIn(pTx(sel)))))},
		{"57 compared with the secret's name", pFunc(whereIn(pSub(eModel("secret"), eSelects(pArr(pStr("ID"))),
			eClauses(pClause(clauseWhere, pWhere(pEq(pField("Name"), pTx(eSelects(pArr(pStr("Name")))))))))))},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				data := nodeChildren(c.fn)
				if _, err := secLoads(t, data, e.strict); !secRefused(err) {
					t.Errorf("strict: Loads = %v, want a typed refusal", err)
				}
				e.attack(t, data)
			})
		}
	})
}

// TestSecuritySessionPreloadTxAccounts: on a relation to a model outside
// the allow-list (account's Secrets and Vault), a Preload function holding
// tag 57 is refused under the strict policy however its statements are
// written.
func TestSecuritySessionPreloadTxAccounts(t *testing.T) {
	sel := eSelects(pArr(pStr("ID")))
	for _, rel := range []string{"Secrets", "Vault"} {
		data := secPayload3(pStmt(eModel("account"), ePreloads(pPreload(rel, pSemiJoin(pTx(sel))))))
		dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
			e := secSetup(t, db)
			if _, err := secLoads(t, data, e.strict); !errors.Is(err, gormpickle.ErrNotAllowed) {
				t.Errorf("%s: strict Loads = %v, want ErrNotAllowed", rel, err)
			}
			e.attack(t, data)
		})
	}
}

// pWideSemiJoin is a Preload function whose condition holds n copies of
// the preload's own query: WHERE id IN (tx) OR id IN (tx) ... (see
// whereIn).
func pWideSemiJoin(n int) pv {
	tx := pTx(eSelects(pArr(pStr("ID"))))
	ors := make([]pv, n)
	for i := range ors {
		ors[i] = pEq(pField("ID"), pSliceOf(0, tx))
	}
	return pFunc(eClauses(pClause(clauseWhere, pWhere(pTag(33, pArr(ors...))))))
}

// secPreloadSQL runs q's Find, preloading, and returns the length of the
// longest statement it ran (or the first error).
func secPreloadSQL(t *testing.T, q *gorm.DB) (longest, vars int, err error) {
	t.Helper()
	cb := "session_test:measure"
	if err := q.Callback().Query().After("gorm:query").Register(cb, func(tx *gorm.DB) {
		longest = max(longest, tx.Statement.SQL.Len())
		vars = max(vars, len(tx.Statement.Vars))
	}); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = q.Callback().Query().Remove(cb) }()
	var nodes []secNode
	err = q.Find(&nodes).Error
	return longest, vars, err
}

// TestSecuritySessionPreloadTxRepeated: each tag 57 renders the
// relation's key condition, whose keys (one per parent row) GORM fills in
// when it runs the preload, outside the payload and its expansion budget.
// A Preload function holding n copies renders n times the parent rows'
// keys, so n is bounded (4): more is ErrLimit under every policy.
func TestSecuritySessionPreloadTxRepeated(t *testing.T) {
	const copies = 1024
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		one := nodeChildren(pWideSemiJoin(1))
		q, err := gormpickle.Loads(one, e.strict)
		if err != nil {
			t.Fatalf("one copy: Loads = %v", err)
		}
		_, base, _ := secPreloadSQL(t, q)
		if base != chainLength {
			t.Fatalf("one copy binds %d vars, want the %d parent keys", base, chainLength)
		}
		for _, n := range []int{5, copies} {
			if _, err := gormpickle.Loads(nodeChildren(pWideSemiJoin(n)), e.strict); !errors.Is(err, gormpickle.ErrLimit) {
				t.Errorf("%d copies: Loads = %v, want ErrLimit", n, err)
			}
		}
		// Four, the most one function may hold, bind the keys four times.
		q, err = gormpickle.Loads(nodeChildren(pWideSemiJoin(4)), e.strict)
		if err != nil {
			t.Fatalf("4 copies: Loads = %v", err)
		}
		if _, vars, err := secPreloadSQL(t, q); err != nil || vars != 4*chainLength {
			t.Errorf("4 copies bind %d vars (%v), want %d", vars, err, 4*chainLength)
		}
	})
}

// TestSecuritySessionFieldColumns: a field reference recording a column
// resolves by the Go name when the model has it (the column is ignored)
// and otherwise by the column, and under the strict policy the field it
// resolves to is what the allow-list checks, in every position a field
// reference may take.
func TestSecuritySessionFieldColumns(t *testing.T) {
	where := func(x pv) pEntry { return eClauses(pClause(clauseWhere, pWhere(x))) }
	pw := func(e *secEnv) pv { return pStr(e.password) }
	type mk func(e *secEnv) []byte
	refused := []struct {
		name string
		data mk
	}{
		{"select renamed to password", func(*secEnv) []byte {
			return secPayload3(pStmt(eModel("account"), eSelects(pArr(pStr("Pass"), pStr("password")))))
		}},
		{"select derived PASSWORD", func(*secEnv) []byte {
			return secPayload3(pStmt(eModel("account"), eSelects(pArr(pStr("PASSWORD")))))
		}},
		{"condition renamed to password", func(e *secEnv) []byte {
			return secPayload3(pStmt(eModel("account"), where(pEq(pFieldCol("Pass", "password"), pw(e)))))
		}},
		{"condition derived PassWord", func(e *secEnv) []byte {
			return secPayload3(pStmt(eModel("account"), where(pEq(pField("PassWord"), pw(e)))))
		}},
		{"order by renamed", func(*secEnv) []byte {
			return secPayload3(pStmt(eModel("account"), eClauses(pClause(clauseOrderBy, pOrderBy(pFieldCol("Pass", "password"))))))
		}},
		{"model value renamed", func(e *secEnv) []byte {
			return secPayload3(pStmt(pEntry{keyModel, pArr(pStr("account"), pArr(pStr("Pass"), pStr("password")), pw(e))}))
		}},
		{"secret's name through a subquery", func(e *secEnv) []byte {
			return secPayload3(pStmt(eModel("account"), where(pIN(pField("ID"), pSub(eModel("secret"),
				eSelects(pArr(pStr("Acct"), pStr("account_id"))))))))
		}},
		{"joined relation's column", func(e *secEnv) []byte {
			return secPayload3(pStmt(eModel("address"), where(pEq(pTag(tagColumn, pInt(colFieldRef|colColumn), pStr("User"), pStr("Nm"), pStr("name")), pStr("jack"))),
				eJoins(pArr(pStr("User")))))
		}},
	}
	// SQL in the recorded column names no column: the column never
	// reaches SQL, under any policy.
	hostileColumns := []string{
		"password", "password) UNION SELECT token FROM admin_tokens --", `login" FROM admin_tokens --`,
		"login`, (SELECT token FROM admin_tokens) `x", "", "login ", "LOGIN", "sec_accounts.login", "*",
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, c := range refused {
			t.Run(c.name, func(t *testing.T) {
				data := c.data(e)
				if _, err := secLoads(t, data, e.strict); !errors.Is(err, gormpickle.ErrNotAllowed) && !errors.Is(err, gormpickle.ErrUnknownField) {
					t.Errorf("strict: Loads = %v, want ErrNotAllowed or ErrUnknownField", err)
				}
				e.attack(t, data)
			})
		}
		for _, col := range hostileColumns {
			t.Run("column "+col, func(t *testing.T) {
				for _, data := range [][]byte{
					secPayload3(pStmt(eModel("account"), eSelects(pArr(pStr("Lgn"), pStr(col))))),
					secPayload3(pStmt(eModel("account"), where(pEq(pFieldCol("Lgn", col), pStr("jack"))))),
					secPayload3(pStmt(pEntry{keyModel, pArr(pStr("account"), pArr(pStr("Lgn"), pStr(col)), pStr("jack"))})),
				} {
					for _, p := range e.everyPolicy() {
						_, err := secLoads(t, data, p.db)
						if col != "password" && col != "login" && !errors.Is(err, gormpickle.ErrUnknownField) {
							t.Errorf("%s: Loads = %v, want ErrUnknownField", p.name, err)
						}
					}
					e.attack(t, data)
				}
			})
		}
		t.Run("the Go name wins over a recorded column", func(t *testing.T) {
			data := secPayload3(pStmt(eModel("account"), eSelects(pArr(pStr("Login"), pStr("password"))),
				where(pEq(pFieldCol("Login", "password"), pStr("jack")))))
			q, err := gormpickle.Loads(data, e.strict)
			if err != nil {
				t.Fatal(err)
			}
			var rows []map[string]any
			if err := q.Find(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || fmt.Sprint(rows[0]["login"]) != "jack" || rows[0]["password"] != nil {
				t.Fatalf("rows = %v, want account jack's login alone", rows)
			}
			e.attack(t, data)
		})
	})
}

// TestSecuritySessionRenameMapping: an application's rename mapping that
// gives a field the allow-list keeps out does not let a payload name it
// under its old name; a mapping to a relation of a disallowed model does
// not let a payload join it.
func TestSecuritySessionRenameMapping(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		target := secTarget(t, db, append(secStrictOptions(),
			gormpickle.WithRenamedFields("account", map[string]string{"Secret": "Password", "Safe": "Vault", "Name": "Login"}))...)
		p := secPolicy{name: "renamed", db: target, forbidden: []string{e.token, e.secret, e.password}}
		where := func(x pv) pEntry { return eClauses(pClause(clauseWhere, pWhere(x))) }
		for name, data := range map[string][]byte{
			"select":       secPayload3(pStmt(eModel("account"), eSelects(pArr(pStr("Secret"))))),
			"select col":   secPayload3(pStmt(eModel("account"), eSelects(pArr(pStr("Secret"), pStr("login"))))),
			"condition":    secPayload3(pStmt(eModel("account"), where(pEq(pField("Secret"), pStr(e.password))))),
			"model value":  secPayload3(pStmt(pEntry{keyModel, pArr(pStr("account"), pStr("Secret"), pStr("x"))})),
			"join":         secPayload3(pStmt(eModel("account"), eJoins(pArr(pStr("Safe"))))),
			"preload":      secPayload3(pStmt(eModel("account"), ePreloads(pStr("Safe")))),
			"relation col": secPayload3(pStmt(eModel("account"), where(pEq(pField("Safe"), pInt(1))))),
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := secLoads(t, data, target); !errors.Is(err, gormpickle.ErrNotAllowed) && !errors.Is(err, gormpickle.ErrUnknownField) {
					t.Errorf("Loads = %v, want ErrNotAllowed or ErrUnknownField", err)
				}
				secAttack(t, []secPolicy{p}, data, 0)
			})
		}
		t.Run("mapped to an allowed field", func(t *testing.T) {
			data := secPayload3(pStmt(eModel("account"), eSelects(pArr(pStr("Name"), pStr("password")))))
			if _, err := secLoads(t, data, target); err != nil {
				t.Fatalf("Loads = %v", err)
			}
			secAttack(t, []secPolicy{p}, data, 0)
		})
	})
}

// TestSecuritySessionRenameVolume: a payload of the largest size made of
// distinct renamed references (each resolved, by its recorded column, to
// an allowed field) loads in bounded time.
func TestSecuritySessionRenameVolume(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for _, long := range []bool{false, true} {
			var sels []pv
			size := 0
			for i := 0; size < 900<<10; i++ {
				name := fmt.Sprintf("Old%d", i)
				if long {
					name += strings.Repeat("x", 240)
				}
				sels = append(sels, pArr(pStr(name), pStr("login")))
				size += len(name) + 9 // the pair's headers and "login"
			}
			data := secPayload3(pStmt(eModel("account"), eSelects(sels...)))
			start := time.Now()
			_, err := secLoads(t, data, e.strict)
			elapsed := time.Since(start)
			t.Logf("%d renamed references in %d bytes: %v in %v", len(sels), len(data), err, elapsed)
			if err != nil && !secRefused(err) {
				t.Errorf("Loads = %v", err)
			}
			if elapsed > 3*time.Second {
				t.Errorf("Loads took %v", elapsed)
			}
		}
	})
}

// TestSecuritySessionVersionHeaders: the version byte gates readers only:
// a version-3 header over a version-2 body loads as that body, the new
// forms under a version-2 header load as under version 3 (the first build
// to write them wrote version 2), and any other version is ErrVersion.
func TestSecuritySessionVersionHeaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		bodies := map[string][]byte{
			"v2 body": secPayload(pStmt(eModel("node"), eClauses(pClause(clauseWhere, pWhere(pEq(pField("ID"), pInt(1))))))),
			"57":      nodeChildren(pSemiJoin(pTx(eSelects(pArr(pStr("ID")))))),
			"flag 8":  secPayload(pStmt(eModel("account"), eClauses(pClause(clauseWhere, pWhere(pEq(pFieldCol("Lgn", "login"), pStr("jack"))))))),
		}
		for name, data := range bodies {
			for _, v := range []byte{1, 2, 3} {
				data[3] = v
				if _, err := secLoads(t, data, e.strict); err != nil {
					t.Errorf("%s, version %d: Loads = %v", name, v, err)
				}
			}
			for _, v := range []byte{0, 4, 0xff} {
				data[3] = v
				if _, err := secLoads(t, data, e.strict); !errors.Is(err, gormpickle.ErrVersion) {
					t.Errorf("%s, version %d: Loads = %v, want ErrVersion", name, v, err)
				}
			}
		}
	})
}

// TestSecuritySessionPreloadTxElsewhere: tag 57 under clause.Associations
// (the function runs for every relation), described for display without
// a policy, and a restored chain holding it dumped and loaded again: no
// panic, a typed refusal or the same query.
func TestSecuritySessionPreloadTxElsewhere(t *testing.T) {
	sel := eSelects(pArr(pStr("ID")))
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		t.Run("associations", func(t *testing.T) {
			data := secPayload3(pStmt(eModel("node"), ePreloads(pArr(pInt(-4), pArr(pSemiJoin(pTx(sel)))))))
			e.attack(t, data)
			data = secPayload3(pStmt(eModel("account"), ePreloads(pArr(pInt(-4), pArr(pSemiJoin(pTx(sel)))))))
			if _, err := secLoads(t, data, e.strict); !errors.Is(err, gormpickle.ErrNotAllowed) {
				t.Errorf("account's associations: strict Loads = %v, want ErrNotAllowed", err)
			}
			e.attack(t, data)
		})
		t.Run("describe", func(t *testing.T) {
			plugin := shadowtest.New(t, secModels())
			for _, data := range [][]byte{
				nodeChildren(pSemiJoin(pTx(sel))),
				nodeChildren(pWideSemiJoin(512)),
				nodeChildren(pSemiJoin(pTx(sel, whereIn(pTx(sel))))),
				secPayload3(pStmt(eModel("node"), whereIn(pTx(sel)))),
			} {
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("Describe panicked: %v", r)
						}
					}()
					if _, err := serializer.Describe(data, plugin.Registry(), db); err != nil && !secRefused(err) {
						t.Errorf("Describe = %v", err)
					}
				}()
			}
		})
		t.Run("dumped again", func(t *testing.T) {
			data := nodeChildren(pSemiJoin(pTx(sel)))
			for _, p := range e.policies() {
				q, err := gormpickle.Loads(data, p.db)
				if err != nil {
					t.Fatalf("%s: Loads = %v", p.name, err)
				}
				again, err := gormpickle.Dumps(q)
				if err != nil {
					t.Fatalf("%s: Dumps of the restored chain = %v", p.name, err)
				}
				if _, err := gormpickle.Loads(again, p.db); err != nil {
					t.Fatalf("%s: Loads of the dump of the restored chain = %v", p.name, err)
				}
			}
		})
	})
}

// TestSecuritySessionPreloadTxNested: Preload functions holding tag 57
// nested in each other's statements (Children.Children...). Each restored
// function keeps its statement's bytes and re-decodes them on every run,
// creating its inner functions again, each copying its own bytes: without
// a bound, one query allocated the payload's size times about half the
// square of the nesting (29 deep: 460 times a 185 KB payload). Nesting
// beyond 3 is ErrLimit; 3 stays within 64 times the payload.
func TestSecuritySessionPreloadTxNested(t *testing.T) {
	nested := func(levels int) []byte {
		sel := eSelects(pArr(pStr("ID")))
		pad := strings.Repeat("x", 60<<10)
		var conds []pv
		for i := range 3 {
			conds = append(conds, pNeq(pField("Name"), pStr(pad+fmt.Sprint(i))))
		}
		inner := pFunc(eClauses(pClause(clauseWhere, pWhere(append(conds, pEq(pField("ID"), pSliceOf(0, pTx(sel))))...))))
		for range levels - 1 {
			inner = pFunc(whereIn(pTx(sel)), ePreloads(pPreload("Children", inner)))
		}
		return nodeChildren(inner)
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		// 29: the deepest the depth limit (64) would let through.
		for _, levels := range []int{4, 29} {
			if _, err := gormpickle.Loads(nested(levels), e.strict); !errors.Is(err, gormpickle.ErrLimit) {
				t.Errorf("%d nested functions: Loads = %v, want ErrLimit", levels, err)
			}
		}
		data := nested(3)
		q, err := gormpickle.Loads(data, e.strict)
		if err != nil {
			t.Fatalf("3 nested functions: Loads = %v", err)
		}
		// The smallest of three runs: TotalAlloc counts every goroutine's
		// allocations, and another goroutine can allocate during one run.
		alloc := uint64(math.MaxUint64)
		for range 3 {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var nodes []secNode
			err = q.Find(&nodes).Error
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatalf("Find = %v", err)
			}
			alloc = min(alloc, after.TotalAlloc-before.TotalAlloc)
		}
		if bound := uint64(64 * len(data)); alloc > bound {
			t.Errorf("one Find of a %d-byte payload allocates %d KiB (%d times its size)", len(data), alloc>>10, alloc/uint64(len(data)))
		}
	})
}

// TestSecuritySessionRenamedElsewhere: renamed references in a model's
// rows (key 1) and among a preload's arguments (resolved on the
// statement's model, rendered as the relation's column) are checked as
// the fields they resolve to.
func TestSecuritySessionRenamedElsewhere(t *testing.T) {
	// *[]account: [4, [1, [5, "account"]]].
	rowsOf := func(rows ...pv) pEntry {
		typ := pArr(pInt(4), pArr(pInt(1), pArr(pInt(5), pStr("account"))))
		return pEntry{keyModel, pArr(pStr("account"), pArr(append([]pv{typ}, rows...)...))}
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		for name, data := range map[string][]byte{
			"row renamed to password": secPayload3(pStmt(rowsOf(pArr(pStr("ID"), pInt(1), pArr(pStr("Pass"), pStr("password")), pStr("x"))))),
			"row derived PASSWORD":    secPayload3(pStmt(rowsOf(pArr(pStr("ID"), pInt(1), pStr("PASSWORD"), pStr("x"))))),
			"preload argument renamed": secPayload3(pStmt(eModel("user"), ePreloads(pPreload("Addresses",
				pEq(pFieldCol("Nm", "name"), pStr("jack")))))),
			"preload argument of account": secPayload3(pStmt(eModel("account"), ePreloads(pPreload("Secrets",
				pEq(pFieldCol("Pass", "password"), pStr(e.password)))))),
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := secLoads(t, data, e.strict); !secRefused(err) {
					t.Errorf("strict: Loads = %v, want a typed refusal", err)
				}
				if strings.HasPrefix(name, "row") {
					// The harness's Find models would scan into a slice of
					// the model's type, here a slice: GORM panics on that
					// destination whatever the payload.
					_, _ = secLoads(t, data, e.rawless)
					return
				}
				e.attack(t, data)
			})
		}
	})
}
