package serializer

import (
	"reflect"
	"testing"

	"gorm.io/gorm/clause"
)

// TestQueryResetClearsEveryField guards Query.reset, which lists the
// fields it clears: a field added to Query and forgotten there would leak
// from one decoded payload into the next.
func TestQueryResetClearsEveryField(t *testing.T) {
	q := &Query{
		ModelID:     "m",
		Model:       new(int),
		ModelFields: []Setting{{Key: "k", Value: 1}},
		Unscoped:    true,
		Distinct:    true,
		Selects:     []string{"a"},
		Omits:       []string{"b"},
		ColumnMap:   map[string]string{"c": "d"},
		Clauses:     []NamedClause{{Key: "WHERE", Clause: clause.Clause{Name: "WHERE"}}},
		Joins:       []Join{{Name: "j"}},
		Preloads:    []Preload{{Name: "p"}},
		Settings:    []Setting{{Key: "s", Value: 2}},
		tableBuf:    TableSpec{Name: "t", SQL: "x", Vars: []any{1}},
		rawBuf:      RawSQL{SQL: "r", Vars: []any{2}},
		frame:       new(frame),
	}
	q.Table, q.Raw = &q.tableBuf, &q.rawBuf
	v := reflect.ValueOf(q).Elem()
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() {
			t.Fatalf("test does not set Query.%s: set it, and clear it in reset", v.Type().Field(i).Name)
		}
	}
	q.reset()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		empty := f.IsZero() || f.Kind() == reflect.Slice && f.Len() == 0
		if !empty {
			t.Errorf("reset left Query.%s = %v", v.Type().Field(i).Name, f)
		}
	}
}
