package serializer_test

import (
	"errors"
	"testing"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

// TestSoftDeleteMarkerPolicy: without a policy GORM's soft-delete marker
// is restored as GORM leaves it; the strict policy refuses it like
// Unscoped (alone it reads soft-deleted rows), and anything else under that
// key is a custom clause, raw SQL.
func TestSoftDeleteMarkerPolicy(t *testing.T) {
	db, reg := hostileTarget(t)
	marker := func(fn func(w *wire.Writer)) []byte {
		return payload(func(w *wire.Writer) {
			w.MapLen(2)
			w.Int(1) // model
			w.String("user")
			w.Int(7) // clauses
			w.ArrayLen(1)
			fn(w)
		})
	}
	asGORM := marker(func(w *wire.Writer) { // [key, nil, "", nil, nil, nil]
		w.ArrayLen(6)
		w.String("soft_delete_enabled")
		w.Nil()
		w.String("")
		w.Nil()
		w.Nil()
		w.Nil()
	})
	short := marker(func(w *wire.Writer) { // [key, nil]
		w.ArrayLen(2)
		w.String("soft_delete_enabled")
		w.Nil()
	})
	withExpr := marker(func(w *wire.Writer) { // [key, Expr("1=1")]
		w.ArrayLen(2)
		w.String("soft_delete_enabled")
		w.ArrayLen(2)
		w.Int(21)
		w.String("1=1")
	})
	renamed := marker(func(w *wire.Writer) { // [key, nil, "WHERE", nil, nil, nil]
		w.ArrayLen(6)
		w.String("soft_delete_enabled")
		w.Nil()
		w.String("WHERE")
		w.Nil()
		w.Nil()
		w.Nil()
	})
	strict := serializer.Options{DenyRawSQL: true}
	for name, data := range map[string][]byte{"as GORM leaves it": asGORM, "short form": short} {
		tx, err := serializer.Restore(reg, &serializer.Options{}, db, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := tx.Statement.Clauses["soft_delete_enabled"]; !ok {
			t.Fatalf("%s: marker not restored", name)
		}
		if _, err := serializer.Restore(reg, &strict, db, data); !errors.Is(err, serializer.ErrNotAllowed) {
			t.Fatalf("%s under the strict policy: %v, want ErrNotAllowed", name, err)
		}
	}
	for name, data := range map[string][]byte{"with an expression": withExpr, "under another name": renamed} {
		if _, err := serializer.Restore(reg, &strict, db, data); !errors.Is(err, serializer.ErrRawSQL) {
			t.Fatalf("%s: %v, want ErrRawSQL", name, err)
		}
	}
}
