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

type jtGroup struct {
	ID      uint
	Owner   *hostileUser
	OwnerID uint
	Users   []hostileUser `gorm:"many2many:jt_group_users"`
}

// TestJoinTableModelHostile: the model of a many2many join table
// ([nil, owner, relation, ...]) names a relation of the owner that has a
// join table on the target, or the payload is refused; describing it
// needs no target.
func TestJoinTableModelHostile(t *testing.T) {
	db, reg := hostileTarget(t)
	reg.MustRegisterModel(serializer.NamedModel("group", &jtGroup{}))
	joinModel := func(relation string, more ...func(w *wire.Writer)) []byte {
		return payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.ArrayLen(3 + 2*len(more))
			w.Nil()
			w.String("group")
			w.String(relation)
			for _, m := range more {
				m(w)
			}
		})
	}
	field := func(w *wire.Writer) {
		w.String("JtGroupID")
		w.Int(7)
	}
	if _, err := serializer.Restore(reg, &serializer.Options{}, db, joinModel("Users", field)); err != nil {
		t.Fatalf("join table of Users: %v", err)
	}
	if _, err := serializer.Describe(joinModel("Users", field), reg, nil); err != nil {
		t.Fatalf("describe: %v", err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"no relation", joinModel("Nope"), serializer.ErrUnknownField, `no many2many relation "Nope"`},
		{"not many2many", joinModel("Owner"), serializer.ErrUnknownField, `no many2many relation "Owner"`},
		{"unknown owner", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.ArrayLen(3)
			w.Nil()
			w.String("nope")
			w.String("Users")
		}), serializer.ErrUnknownModel, "nope"},
		{"not a field of the join table", joinModel("Users", func(w *wire.Writer) {
			w.String("Name")
			w.String("x")
		}), serializer.ErrUnknownField, "Name"},
	} {
		_, err := serializer.Restore(reg, &serializer.Options{}, db, c.data)
		wantErr(t, c.name, err, c.want, c.msg)
	}
}
