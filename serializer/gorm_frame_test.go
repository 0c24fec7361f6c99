package serializer

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// newFrame is a copy of what GORM's unexported DB.getInstance does for a
// chain on a new session (clone == 1), and frame.handOff relies on a copy
// of a Session result carrying GORM's unexported clone field. These tests
// hold both to GORM's own code, so an upgrade that changes either fails
// here, naming the field.

// fillStatement sets every exported field of stmt it can to a non-zero
// value, keeping its DB, connection and context: a field GORM starts
// copying into new statements then shows up as non-zero on GORM's side.
func fillStatement(t *testing.T, stmt *gorm.Statement) {
	t.Helper()
	v := reflect.ValueOf(stmt).Elem()
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() || !f.IsZero() {
			continue // unexported, or already set (DB, ConnPool, Context)
		}
		switch f.Kind() {
		case reflect.Bool:
			f.SetBool(true)
		case reflect.String:
			f.SetString("filled")
		case reflect.Int, reflect.Int64:
			f.SetInt(1)
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Map:
			f.Set(reflect.MakeMap(f.Type()))
			f.SetMapIndex(reflect.ValueOf("filled"), reflect.Zero(f.Type().Elem()))
		case reflect.Interface:
			f.Set(reflect.ValueOf(&fixture.User{}))
		}
	}
	stmt.Settings.Store("filled", true)
	stmt.SQL.WriteString("filled")
	stmt.ReflectValue = reflect.ValueOf(1)
	for i := range v.NumField() {
		if sf := v.Type().Field(i); sf.IsExported() && v.Field(i).IsZero() {
			t.Fatalf("fillStatement leaves gorm.Statement.%s (%s) zero: teach it that type", sf.Name, sf.Type)
		}
	}
}

// fieldsDiffer reports how got's field differs from want's: both
// statements are new, so a field holds the same value in both or is
// zero in both. A nil and an empty slice are the same to a new statement
// (GORM starts Vars with room for eight; newFrame leaves it to append).
func fieldsDiffer(name string, got, want reflect.Value) string {
	if name == "DB" {
		return "" // each statement points to its own DB; checked apart
	}
	if got.IsZero() != want.IsZero() {
		if got.Kind() == reflect.Slice && got.Len() == 0 && want.Len() == 0 {
			return ""
		}
		return fmt.Sprintf("GORM sets %s, newFrame sets %s", describeField(want), describeField(got))
	}
	if got.IsZero() {
		return ""
	}
	switch got.Kind() {
	case reflect.Map, reflect.Slice:
		if got.Len() != want.Len() {
			return fmt.Sprintf("GORM sets %d entries, newFrame %d", want.Len(), got.Len())
		}
	case reflect.Pointer, reflect.UnsafePointer, reflect.Func, reflect.Chan:
		if got.Pointer() != want.Pointer() {
			return "GORM and newFrame set different pointers"
		}
	case reflect.Interface:
		if got.CanInterface() && got.Interface() != want.Interface() {
			return fmt.Sprintf("GORM sets %v, newFrame sets %v", want.Interface(), got.Interface())
		}
	case reflect.Bool, reflect.Int, reflect.Int64, reflect.String:
		if !got.Equal(want) {
			return fmt.Sprintf("GORM sets %v, newFrame sets %v", want, got)
		}
	default:
		return fmt.Sprintf("GORM sets a %s newFrame cannot compare", got.Type())
	}
	return ""
}

func describeField(v reflect.Value) string {
	if v.IsZero() {
		return "nothing"
	}
	if v.CanInterface() {
		return fmt.Sprintf("%v", v.Interface())
	}
	return "a " + v.Type().String()
}

type frameTestKey struct{}

// TestNewFrameMatchesGetInstance: the statement newFrame starts is the one
// GORM's getInstance starts for a chain on a new session, field by field,
// with every field of the source statement set, with and without
// PropagateUnscoped, on each dialect.
func TestNewFrameMatchesGetInstance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, propagate := range []bool{false, true} {
			t.Run(fmt.Sprintf("PropagateUnscoped=%v", propagate), func(t *testing.T) {
				// A statement of its own (a Context session clones it),
				// shared by src, a new-session DB (clone 1) as Loads gets.
				own := db.Session(&gorm.Session{Context: context.WithValue(context.Background(), frameTestKey{}, 1), SkipHooks: true})
				src := own.Session(&gorm.Session{NewDB: true, PropagateUnscoped: propagate})
				fillStatement(t, src.Statement)
				src.Error = errors.New("carried")

				want := src.Clauses() // getInstance, adding nothing
				got := newFrame(src)
				compareFrames(t, &got.db, want)
			})
		}
	})
}

func compareFrames(t *testing.T, got, want *gorm.DB) {
	t.Helper()
	if got.Statement.DB != got || want.Statement.DB != want {
		t.Errorf("Statement.DB: GORM's points to its DB: %v; newFrame's: %v", want.Statement.DB == want, got.Statement.DB == got)
	}
	gd, wd := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range wd.NumField() {
		name := wd.Type().Field(i).Name
		if name == "Statement" {
			continue
		}
		if d := fieldsDiffer(name, gd.Field(i), wd.Field(i)); d != "" {
			t.Errorf("gorm.DB.%s of a new chain: %s (%s): update serializer/query.go (newFrame) to match GORM's getInstance", name, d, gormVersion())
		}
	}
	gs, ws := reflect.ValueOf(got.Statement).Elem(), reflect.ValueOf(want.Statement).Elem()
	for i := range ws.NumField() {
		name := ws.Type().Field(i).Name
		if d := fieldsDiffer(name, gs.Field(i), ws.Field(i)); d != "" {
			t.Errorf("gorm.Statement.%s of a new chain: %s (%s): update serializer/query.go (newFrame) to match GORM's getInstance", name, d, gormVersion())
		}
	}
}

// cloneOf reads GORM's unexported DB.clone: 0 for a chain in progress, 1
// for a new session, 2 for a Session result (branch-safe).
func cloneOf(db *gorm.DB) int64 { return reflect.ValueOf(db).Elem().FieldByName("clone").Int() }

// TestHandOffIsBranchSafeAsSession: a restored chain is handed off as
// Session(&gorm.Session{}) returns one, through a copy of branchSafe that
// carries clone.
func TestHandOffIsBranchSafeAsSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		want := db.Where("id = ?", 1).Session(&gorm.Session{})
		if cloneOf(&branchSafe) != cloneOf(want) {
			t.Errorf("branchSafe has clone %d, Session(&gorm.Session{}) %d (%s): update serializer/query.go (branchSafe, handOff)",
				cloneOf(&branchSafe), cloneOf(want), gormVersion())
		}
		f := newFrame(db)
		got := f.handOff(f.db.Where("id = ?", 1))
		if cloneOf(got) != cloneOf(want) || got.Config != db.Config || got.Statement != &f.stmt || got.Statement.DB != &f.db {
			t.Errorf("handOff gives clone %d (Session gives %d), own config %v, own statement %v",
				cloneOf(got), cloneOf(want), got.Config == db.Config, got.Statement == &f.stmt)
		}
	})
}

// chainStep is one thing done to a chain; it returns what to compare.
type chainStep struct {
	name string
	run  func(tx *gorm.DB) (sql string, result any, err error)
}

// dryFind returns the SQL a Find on tx runs, without running it.
func dryFind(tx *gorm.DB) string {
	var rows []fixture.Address
	dry := tx.Session(&gorm.Session{DryRun: true}).Find(&rows)
	return dry.Dialector.Explain(dry.Statement.SQL.String(), dry.Statement.Vars...)
}

func findAddresses(tx *gorm.DB) (string, any, error) {
	var rows []fixture.Address
	err := tx.Find(&rows).Error
	return dryFind(tx), rows, err
}

// chainSteps reuse a chain the way applications do: finish it twice,
// count it, branch it and branch a Session of it.
var chainSteps = []chainStep{
	{"Find", findAddresses},
	{"Find again", findAddresses},
	{"Count", func(tx *gorm.DB) (string, any, error) {
		var n int64
		err := tx.Count(&n).Error
		return dryFind(tx), n, err
	}},
	{"branches", func(tx *gorm.DB) (string, any, error) {
		a, b := tx.Where("addresses.id > ?", 2), tx.Where("addresses.email LIKE ?", "%lala%")
		sa, ra, err := findAddresses(a)
		if err != nil {
			return "", nil, err
		}
		sb, rb, err := findAddresses(b)
		return sa + "\n" + sb, []any{ra, rb}, err
	}},
	{"Session branches", func(tx *gorm.DB) (string, any, error) {
		s := tx.Session(&gorm.Session{})
		a, b := s.Limit(1), s.Order("addresses.id DESC")
		sa, ra, err := findAddresses(a)
		if err != nil {
			return "", nil, err
		}
		sb, rb, err := findAddresses(b)
		return sa + "\n" + sb + "\n" + dryFind(s), []any{ra, rb}, err
	}},
	{"First after Find", func(tx *gorm.DB) (string, any, error) {
		var a fixture.Address
		err := tx.First(&a).Error
		return dryFind(tx), a, err
	}},
}

// TestRestoredChainBehavesLikeGORMChain: a chain restored through newFrame
// and handOff behaves like the same chain built by GORM and made
// branch-safe with Session: the same Statement fields set, the same clone
// state, and the same SQL and rows when finished repeatedly and branched.
func TestRestoredChainBehavesLikeGORMChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		reg := joinTestDB(t, db)
		chains := map[string]func() *gorm.DB{
			"conditions": func() *gorm.DB {
				return db.Model(&fixture.Address{}).Where("user_id IN ?", []int{8, 9}).Order("id")
			},
			"joins and selects": func() *gorm.DB {
				return db.Model(&fixture.Address{}).Select("addresses.id", "addresses.email").Joins("User").
					Where(&fixture.Address{UserID: 8}).Order("addresses.id")
			},
			"table and raw where": func() *gorm.DB {
				return db.Table("addresses").Where("email <> ?", "x").Order("id").Limit(3).Offset(1)
			},
		}
		for name, build := range chains {
			t.Run(name, func(t *testing.T) {
				got := pickleChain(t, reg, db, build())
				want := build().Session(&gorm.Session{})
				if cloneOf(got) != cloneOf(want) {
					t.Errorf("restored chain has clone %d, GORM's %d", cloneOf(got), cloneOf(want))
				}
				compareChainStatements(t, got.Statement, want.Statement)
				for _, s := range chainSteps {
					gs, gr, gerr := s.run(got)
					ws, wr, werr := s.run(want)
					if werr != nil || ws == "" {
						t.Fatalf("%s on GORM's chain: %v (SQL %q)", s.name, werr, ws)
					}
					if gerr != nil || gs != ws || !reflect.DeepEqual(gr, wr) {
						t.Errorf("%s: restored chain gives\n%s\n-> %v (%v)\nGORM's gives\n%s\n-> %v", s.name, gs, gr, gerr, ws, wr)
					}
				}
			})
		}
	})
}

// compareChainStatements checks that the restored statement sets the
// fields GORM's chain sets, and no others.
func compareChainStatements(t *testing.T, got, want *gorm.Statement) {
	t.Helper()
	gs, ws := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	var diffs []string
	for i := range ws.NumField() {
		sf := ws.Type().Field(i)
		g, w := gs.Field(i), ws.Field(i)
		if sf.Name == "DB" || sf.Type == reflect.TypeFor[sync.Map]() {
			continue
		}
		empty := func(v reflect.Value) bool {
			switch v.Kind() {
			case reflect.Slice, reflect.Map:
				return v.Len() == 0
			}
			return v.IsZero()
		}
		if empty(g) != empty(w) {
			diffs = append(diffs, fmt.Sprintf("%s (GORM's chain: %s; restored: %s)", sf.Name, describeField(w), describeField(g)))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("restored statement differs from GORM's in: %s", strings.Join(diffs, "; "))
	}
	if !reflect.DeepEqual(sortedKeys(got.Clauses), sortedKeys(want.Clauses)) {
		t.Errorf("restored clauses %v, GORM's %v", sortedKeys(got.Clauses), sortedKeys(want.Clauses))
	}
	if reflect.TypeOf(got.Model) != reflect.TypeOf(want.Model) {
		t.Errorf("restored model %T, GORM's %T", got.Model, want.Model)
	}
}
