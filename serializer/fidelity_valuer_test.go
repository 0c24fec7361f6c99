package serializer_test

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

type fidStatus string

// rawRoundTrip dumps Where(clause.Eq{Column: "name", Value: v}) on the
// user model (a statement the strict policy accepts) and returns the value
// of the restored condition.
func rawRoundTrip(t *testing.T, reg *serializer.Registry, db *gorm.DB, opts serializer.Options, v any) (any, error) {
	t.Helper()
	tx := db.Session(&gorm.Session{DryRun: true}).Model(&hostileUser{}).Where(clause.Eq{Column: clause.Column{Name: "name"}, Value: v})
	data, err := serializer.Encode(reg, tx.Statement, false)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	got, err := serializer.Restore(reg, &opts, db, data)
	if err != nil {
		return nil, err
	}
	where := got.Statement.Clauses["WHERE"].Expression.(clause.Where)
	return where.Exprs[0].(clause.Eq).Value, nil
}

// TestMapEntriesInternInOrder: a map whose entries or element types
// intern an identifier (a registered type's ID) was written with that
// identifier defined after its first reference, depending on Go's map
// order, and did not load (a named argument's map of two decimals).
func TestMapEntriesInternInOrder(t *testing.T) {
	db, reg := hostileTarget(t)
	reg.MustRegisterType(fidStatus(""))
	reg.MustRegisterType(decimal.Decimal{})
	for i := 0; i < 20; i++ {
		for _, m := range []any{
			map[string]fidStatus{"a": "x", "b": "y", "c": "z"},
			map[string]any{"a": decimal.RequireFromString("1.5"), "b": decimal.RequireFromString("2"), "c": fidStatus("s")},
			map[fidStatus]any{"k1": 1, "k2": fidStatus("v")},
		} {
			got, err := rawRoundTrip(t, reg, db, serializer.Options{}, m)
			if err != nil {
				t.Fatalf("%T: %v", m, err)
			}
			if fmt.Sprint(got) != fmt.Sprint(m) {
				t.Fatalf("got %v, want %v", got, m)
			}
		}
	}
}

// scannedExpr is a registered driver.Valuer and sql.Scanner with unexported
// state that also builds its own SQL.
type scannedExpr struct{ sql string }

func (s scannedExpr) Value() (driver.Value, error) { return s.sql, nil }
func (s *scannedExpr) Scan(v any) error {
	str, ok := v.(string)
	if !ok {
		return errors.New("not a string")
	}
	s.sql = str
	return nil
}
func (s scannedExpr) Build(b clause.Builder) { b.WriteString(s.sql) }

// TestValuerTag: a registered Valuer and Scanner whose fields cannot be
// written travels as its driver value ([56, id, value]) and comes back as
// its type; the reader checks the type, the value and the strict policy,
// and reports what Scan refuses as ErrTypeMismatch.
func TestValuerTag(t *testing.T) {
	db, reg := hostileTarget(t)
	reg.MustRegisterType(decimal.Decimal{})
	reg.MustRegisterType(scannedExpr{})
	reg.MustRegisterType(fidStatus(""))
	d := decimal.RequireFromString("12.340")
	for _, opts := range []serializer.Options{{}, {DenyRawSQL: true}} {
		got, err := rawRoundTrip(t, reg, db, opts, d)
		if err != nil || !reflect.DeepEqual(got, decimal.RequireFromString("12.34")) {
			t.Fatalf("decimal under %+v: %#v, %v", opts, got, err)
		}
	}
	if _, err := rawRoundTrip(t, reg, db, serializer.Options{DenyRawSQL: true}, scannedExpr{sql: "1=1"}); !errors.Is(err, serializer.ErrRawSQL) {
		t.Fatalf("a registered expression under the strict policy: %v", err)
	}
	if got, err := rawRoundTrip(t, reg, db, serializer.Options{}, scannedExpr{sql: "x"}); err != nil || got != (scannedExpr{sql: "x"}) {
		t.Fatalf("a registered expression: %#v, %v", got, err)
	}
	forged := func(id string, value func(w *wire.Writer)) []byte {
		return rawVar(func(w *wire.Writer) {
			w.ArrayLen(3)
			w.Int(56)
			w.String(id)
			value(w)
		})
	}
	str := func(s string) func(w *wire.Writer) { return func(w *wire.Writer) { w.String(s) } }
	for _, c := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"not a scanner", forged("serializer_test.fidStatus", str("x")), serializer.ErrCorrupt, "not a driver.Valuer and sql.Scanner"},
		{"clause type", forged("clause.Expr", str("x")), serializer.ErrCorrupt, "registered type's fields"},
		{"unknown type", forged("nope.Nope", str("x")), serializer.ErrUnknownModel, "nope.Nope"},
		{"no driver value", forged("decimal.Decimal", func(w *wire.Writer) {
			w.ArrayLen(2)
			w.Int(3) // int32
			w.Int(1)
		}), serializer.ErrCorrupt, "no driver value"},
		{"Scan refuses", forged("decimal.Decimal", str("twelve")), serializer.ErrTypeMismatch, "decimal.Decimal"},
	} {
		_, err := serializer.Restore(reg, &serializer.Options{}, db, c.data)
		wantErr(t, c.name, err, c.want, c.msg)
		if c.want == serializer.ErrTypeMismatch && errors.Is(err, serializer.ErrCorrupt) {
			t.Fatalf("%s: a value the target's type refuses is not corruption: %v", c.name, err)
		}
	}
}

// TestRegisteredListTypes: the underlying value of a registered slice or
// array type, a plain array of its elements (bytes for a byte slice), was
// read as a tagged value: refused, or misread when its first element
// happened to be a tag.
func TestRegisteredListTypes(t *testing.T) {
	type ids []int
	type raw []byte
	type key [4]byte
	db, reg := hostileTarget(t)
	for _, v := range []any{ids{}, raw{}, key{}} {
		reg.MustRegisterType(v)
	}
	for _, v := range []any{ids{13, 2, 5, 6}, ids{}, raw(`{"a":1}`), key{1, 2, 3, 4}} {
		got, err := rawRoundTrip(t, reg, db, serializer.Options{DenyRawSQL: true}, v)
		if err != nil || !reflect.DeepEqual(got, v) {
			t.Fatalf("%T %v: got %#v, %v", v, v, got, err)
		}
	}
}
