package serializer

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/capture"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/querycodec"
)

// GORM keeps Statement.Joins as a slice of its unexported join type;
// Encoder.joins reads it, and setJoins and joinsOf write and read it, all
// through reflection by field name. These tests exercise every field of
// that type with joins GORM itself built, so a field GORM adds or renames
// fails here (and TestGORMJoinFieldsPinned names it).

// joinCase is a chain holding one kind of join, built through GORM.
type joinCase struct {
	name  string
	build func(db *gorm.DB) *gorm.DB
	// fields are the join fields this kind sets (non-zero), so the cases
	// together are known to cover every field.
	fields []string
}

func joinCases() []joinCase {
	addresses := func(db *gorm.DB) *gorm.DB { return db.Model(&fixture.Address{}).Order("addresses.id") }
	return []joinCase{
		{"association", func(db *gorm.DB) *gorm.DB { return addresses(db).Joins("User") },
			[]string{"Name", "JoinType"}},
		{"association inner", func(db *gorm.DB) *gorm.DB { return addresses(db).InnerJoins("User") },
			[]string{"Name", "JoinType"}},
		{"raw SQL with vars", func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("JOIN users u ON u.id = addresses.user_id AND u.name = ?", "ed")
		}, []string{"Name", "Conds", "JoinType"}},
		{"association with conditions", func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("User", db.Where(&fixture.User{Name: "ed"}))
		}, []string{"Name", "Conds", "On", "JoinType"}},
		{"association inner with conditions", func(db *gorm.DB) *gorm.DB {
			return addresses(db).InnerJoins("User", db.Where("name IN ?", []string{"ed", "jack"}))
		}, []string{"Name", "Conds", "On", "JoinType"}},
		{"association with selects", func(db *gorm.DB) *gorm.DB {
			return addresses(db).Joins("User", db.Select("ID", "Name").Where("name <> ?", "fred"))
		}, []string{"Name", "Conds", "On", "Selects", "JoinType"}},
		{"association with omits", func(db *gorm.DB) *gorm.DB {
			return addresses(db).InnerJoins("User", db.Omit("Name"))
		}, []string{"Name", "Conds", "Omits", "JoinType"}},
		{"generic API alias", func(db *gorm.DB) *gorm.DB {
			return genericJoin(db, clause.InnerJoin.Association("User").As("owner"),
				func(jb gorm.JoinBuilder, joinTable, _ clause.Table) error {
					jb.Select("Name").Where(clause.Neq{Column: clause.Column{Table: joinTable.Name, Name: "name"}, Value: "fred"})
					return nil
				})
		}, []string{"Name", "Alias", "On", "Selects", "JoinType"}},
		{"generic API subquery", func(db *gorm.DB) *gorm.DB {
			sub := gorm.Expr("SELECT * FROM users WHERE id > ?", 7)
			return genericJoin(db, clause.LeftJoin.AssociationFrom("User", sub).As("u"),
				func(jb gorm.JoinBuilder, joinTable, curTable clause.Table) error {
					jb.Omit("Name").Where(clause.Eq{Column: clause.Column{Table: joinTable.Name, Name: "id"},
						Value: clause.Column{Table: curTable.Name, Name: "user_id"}})
					return nil
				})
		}, []string{"Name", "Alias", "On", "Omits", "Expression", "JoinType"}},
		{"right join", func(db *gorm.DB) *gorm.DB {
			// The generic API names the joined table after the relation
			// when As is not called.
			return genericJoin(db, clause.RightJoin.Association("User"), nil)
		}, []string{"Name", "Alias", "JoinType"}},
	}
}

// genericJoin builds a join through GORM's generic API (the only way to
// set a join's Alias and Expression, or a RIGHT join) and returns a plain
// chain holding it.
func genericJoin(db *gorm.DB, jt clause.JoinTarget, on func(gorm.JoinBuilder, clause.Table, clause.Table) error) *gorm.DB {
	var built *gorm.DB
	gorm.G[fixture.Address](db).Joins(jt, on).Scopes(func(s *gorm.Statement) {
		// A Context session clones the statement, joins included.
		built = s.DB.Session(&gorm.Session{Context: context.Background()})
	}).Build(discardBuilder{})
	return built.Model(&fixture.Address{}).Order("addresses.id")
}

// discardBuilder lets a generic chain be applied without building SQL.
type discardBuilder struct{}

func (discardBuilder) WriteByte(byte) error              { return nil }
func (discardBuilder) WriteString(s string) (int, error) { return len(s), nil }
func (discardBuilder) WriteQuoted(any)                   {}
func (discardBuilder) AddVar(clause.Writer, ...any)      {}
func (discardBuilder) AddError(err error) error          { return err }

// joinTestDB seeds db with the fixture and installs the capture.
func joinTestDB(t *testing.T, db *gorm.DB) *Registry {
	t.Helper()
	if err := fixture.Seed(db); err != nil {
		t.Fatal(err)
	}
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	reg := NewRegistry()
	for _, m := range fixture.Models() {
		reg.MustRegisterModel(m)
	}
	return reg
}

// pickleChain dumps tx and loads it back on db, as Dumps and Loads do.
func pickleChain(t *testing.T, reg *Registry, db, tx *gorm.DB) *gorm.DB {
	t.Helper()
	explicit := querycodec.ExplicitTable(tx)
	var data []byte
	err := capture.Capture(tx, func(stmt *gorm.Statement) error {
		var err error
		data, err = newEncoder(reg).encodeStatement(stmt, explicit)
		return err
	})
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	got, err := restorePayload(reg, &Options{}, nil, db, data)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return got
}

// joinValues returns the fields of each element of stmt.Joins by name.
func joinValues(stmt *gorm.Statement) []map[string]reflect.Value {
	js := reflect.ValueOf(stmt.Joins)
	out := make([]map[string]reflect.Value, js.Len())
	for i := range out {
		j := js.Index(i)
		out[i] = map[string]reflect.Value{}
		for k := range j.NumField() {
			out[i][j.Type().Field(k).Name] = j.Field(k)
		}
	}
	return out
}

// sameJoinField compares one field of two joins. A *gorm.DB among the
// conditions is rebuilt on the target, so it is compared by what Joins
// reads of it: its WHERE, Selects and Omits.
func sameJoinField(name string, got, want reflect.Value) bool {
	if name != "Conds" || got.Len() != want.Len() {
		return reflect.DeepEqual(got.Interface(), want.Interface())
	}
	for i := range want.Len() {
		g, w := got.Index(i).Interface(), want.Index(i).Interface()
		gdb, gok := g.(*gorm.DB)
		wdb, wok := w.(*gorm.DB)
		if gok != wok {
			return false
		}
		if !gok {
			if !reflect.DeepEqual(g, w) {
				return false
			}
			continue
		}
		gs, ws := gdb.Statement, wdb.Statement
		if !reflect.DeepEqual(gs.Clauses["WHERE"], ws.Clauses["WHERE"]) || !reflect.DeepEqual(gs.Selects, ws.Selects) ||
			!reflect.DeepEqual(gs.Omits, ws.Omits) {
			return false
		}
	}
	return true
}

// TestJoinKindsCoverEveryJoinField checks that the cases below set every
// field of GORM's join type, and that each sets what it claims: a field
// GORM adds must be given a case.
func TestJoinKindsCoverEveryJoinField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		joinType := reflect.TypeOf(db.Statement.Joins).Elem()
		covered := map[string]bool{}
		for _, c := range joinCases() {
			js := joinValues(c.build(db).Statement)
			if len(js) != 1 {
				t.Fatalf("%s: %d joins, want 1", c.name, len(js))
			}
			var set []string
			for k := range joinType.NumField() {
				name := joinType.Field(k).Name
				if !js[0][name].IsZero() {
					set = append(set, name)
					covered[name] = true
				}
			}
			if !reflect.DeepEqual(set, c.fields) {
				t.Errorf("%s sets join fields %v, want %v", c.name, set, c.fields)
			}
		}
		for k := range joinType.NumField() {
			if name := joinType.Field(k).Name; !covered[name] {
				t.Errorf("no join case sets GORM's join field %s (%s): add one to joinCases", name, gormVersion())
			}
		}
	})
}

// TestSetJoinsJoinsOfKeepGORMJoins: joinsOf reads every field of a join
// GORM built, and setJoins writes them back into a statement equal to
// GORM's, field for field.
func TestSetJoinsJoinsOfKeepGORMJoins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, c := range joinCases() {
			t.Run(c.name, func(t *testing.T) {
				want := c.build(db).Statement
				got := newSession(db).Statement
				setJoins(got, joinsOf(want))
				if !reflect.DeepEqual(got.Joins, want.Joins) {
					t.Errorf("setJoins(joinsOf(stmt)):\n got %s\nwant %s", fmt.Sprintf("%+v", got.Joins), fmt.Sprintf("%+v", want.Joins))
				}
				// Appending keeps what is there (ApplyTo and addJoins append).
				setJoins(got, append(joinsOf(got), joinsOf(want)...))
				if n := reflect.ValueOf(got.Joins).Len(); n != 2 {
					t.Errorf("appending a join gives %d joins, want 2", n)
				}
			})
		}
	})
}

// TestSetJoinsWritesEveryField: a Join with every field set survives
// setJoins then joinsOf, and leaves no field of GORM's join zero.
func TestSetJoinsWritesEveryField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on := &clause.Where{Exprs: []clause.Expression{clause.Eq{Column: "a", Value: 1}}}
		want := []joinSpec{{
			Name: "User", Alias: "u", JoinType: clause.RightJoin, Conds: []any{"x"}, On: on,
			Selects: []string{"name"}, Omits: []string{"id"}, Expression: clause.Expr{SQL: "RIGHT JOIN users u ON ?", Vars: []any{true}},
		}}
		stmt := newSession(db).Statement
		setJoins(stmt, want)
		for name, v := range joinValues(stmt)[0] {
			if v.IsZero() {
				t.Errorf("setJoins leaves GORM's join field %s unset (%s): teach serializer/query.go (Join, setJoins, joinsOf) about it", name, gormVersion())
			}
		}
		if got := joinsOf(stmt); !reflect.DeepEqual(got, want) {
			t.Errorf("joinsOf(setJoins(j)) = %+v, want %+v", got, want)
		}
	})
}

// TestJoinsRoundTripFieldByField dumps and loads a chain holding each kind
// of join and compares the restored statement's joins with GORM's field by
// field, then the SQL and rows the two chains give.
func TestJoinsRoundTripFieldByField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg := joinTestDB(t, db)
		for _, c := range joinCases() {
			t.Run(c.name, func(t *testing.T) {
				orig := c.build(db)
				got := pickleChain(t, reg, db, orig)
				gj, wj := joinValues(got.Statement), joinValues(orig.Statement)
				if len(gj) != len(wj) {
					t.Fatalf("restored %d joins, want %d", len(gj), len(wj))
				}
				for i := range wj {
					for name, w := range wj[i] {
						if !sameJoinField(name, gj[i][name], w) {
							t.Errorf("join %d field %s = %+v, want %+v", i, name, gj[i][name], w)
						}
					}
				}
				wantSQL, wantRows, err := findWithSQL(orig)
				if err != nil || len(wantRows) == 0 || wantSQL == "" {
					t.Fatalf("GORM's chain: %s -> %d rows, %v", wantSQL, len(wantRows), err)
				}
				gotSQL, gotRows, err := findWithSQL(got)
				if err != nil || gotSQL != wantSQL || !reflect.DeepEqual(gotRows, wantRows) {
					t.Errorf("restored chain gives\n %s -> %v (%v)\nGORM's gives\n %s -> %v", gotSQL, gotRows, err, wantSQL, wantRows)
				}
			})
		}
	})
}

// findWithSQL runs Find on a branch of tx and returns the SQL it runs
// (with its vars, from a DryRun branch: GORM clears a statement's SQL once
// it has run) and the addresses found.
func findWithSQL(tx *gorm.DB) (string, []fixture.Address, error) {
	var rows []fixture.Address
	dry := tx.Session(&gorm.Session{DryRun: true}).Find(&rows)
	sql := dry.Dialector.Explain(dry.Statement.SQL.String(), dry.Statement.Vars...)
	err := tx.Session(&gorm.Session{}).Find(&rows).Error
	return sql, rows, err
}
