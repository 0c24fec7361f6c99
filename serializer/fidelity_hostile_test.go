package serializer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

// TestClauseTypesNotFieldByField: GORM's clause types are registered in
// every registry so that a []clause.Column has an element type to name,
// but the encoder writes their values with their own tags, whose readers
// apply the load policy. A raw column forged as clause.Column's fields
// inside that slice, or as a named value, is refused in every mode.
func TestClauseTypesNotFieldByField(t *testing.T) {
	db, reg := hostileTarget(t)
	forged := map[string]func(w *wire.Writer){
		"struct": func(w *wire.Writer) {
			w.ArrayLen(6)
			w.Int(16) // tStruct
			w.String("clause.Column")
			w.String("Name")
			w.String("1=1) OR (1")
			w.String("Raw")
			w.Bool(true)
		},
		"named": func(w *wire.Writer) {
			w.ArrayLen(3)
			w.Int(17) // tNamed
			w.String("clause.Column")
			w.Nil()
		},
	}
	for name, column := range forged {
		// Where(clause.IN{Column: []clause.Column{forged}, Values: [[1]]})
		data := payload(func(w *wire.Writer) {
			w.MapLen(2)
			w.Int(1)
			w.String("user")
			w.Int(7)
			w.ArrayLen(1)
			w.ArrayLen(2)
			w.Int(3) // WHERE
			w.ArrayLen(2)
			w.Int(31) // tWhere
			w.ArrayLen(1)
			w.ArrayLen(3)
			w.Int(30) // tIN
			w.ArrayLen(3)
			w.Int(13) // tSlice
			w.ArrayLen(2)
			w.Int(5) // registered type
			w.String("clause.Column")
			column(w)
			w.ArrayLen(0)
		})
		for _, opts := range []serializer.Options{{}, {DenyRawSQL: true}} {
			_, err := serializer.Restore(reg, &opts, db, data)
			wantErr(t, name, err, serializer.ErrCorrupt, "clause.Column written as a registered type's fields")
		}
	}
}

// wantErr fails unless err is want and mentions msg.
func wantErr(t *testing.T, name string, err, want error, msg string) {
	t.Helper()
	if !errors.Is(err, want) || !strings.Contains(err.Error(), msg) {
		t.Fatalf("%s: got %v, want %v mentioning %q", name, err, want, msg)
	}
}
