package serializer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

// renamedUser is a model whose field Status was renamed to State (same
// column) and whose Code, column st_code, to Short.
type renamedUser struct {
	ID     uint
	State  string `gorm:"column:status"`
	Short  string `gorm:"column:st_code"`
	Secret string
}

func renameTarget(t *testing.T) (*gorm.DB, *serializer.Registry) {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(serializer.NamedModel("user", &renamedUser{}))
	return db, reg
}

// renamePayload is a version-3 payload of model "user" whose statement
// holds extra, after the model key.
func renamePayload(keys int, extra func(w *wire.Writer)) []byte {
	data := payload(func(w *wire.Writer) {
		w.MapLen(1 + keys)
		w.Int(1)
		w.String("user")
		extra(w)
	})
	data[3] = 3
	return data
}

// whereEq is Where(clause.Eq{Column: <col>, Value: "open"}).
func whereEq(col func(w *wire.Writer)) []byte {
	return renamePayload(1, func(w *wire.Writer) {
		w.Int(7) // clauses
		w.ArrayLen(1)
		w.ArrayLen(2)
		w.Int(3)      // WHERE
		w.ArrayLen(2) // clause.Where
		w.Int(31)
		w.ArrayLen(1)
		w.ArrayLen(3) // clause.Eq
		w.Int(23)
		col(w)
		w.String("open")
	})
}

// fieldColumn writes a field reference column with its recorded column.
func fieldColumn(name, column string) func(w *wire.Writer) {
	return func(w *wire.Writer) {
		w.ArrayLen(5)
		w.Int(35)
		w.Int(2 | 8)
		w.Nil()
		w.String(name)
		w.String(column)
	}
}

// TestRenamedFieldReferences: the field reference forms that record a
// column resolve a renamed field on the target and are checked like any
// other: malformed ones are corrupt, the recorded column never reaches
// SQL, and the allow-list sees the field it resolved to.
func TestRenamedFieldReferences(t *testing.T) {
	db, reg := renameTarget(t)
	render := func(t *testing.T, opts serializer.Options, data []byte) (string, error) {
		t.Helper()
		tx, err := serializer.Restore(reg, &opts, db, data)
		if err != nil {
			return "", err
		}
		return tx.Session(&gorm.Session{DryRun: true}).Find(&[]renamedUser{}).Statement.SQL.String(), nil
	}
	ok := []struct {
		name string
		data []byte
		want string
	}{
		{"recorded column", whereEq(fieldColumn("Code", "st_code")), "WHERE `st_code` = ?"},
		{"derived column", whereEq(func(w *wire.Writer) {
			w.ArrayLen(4)
			w.Int(35)
			w.Int(2)
			w.Nil()
			w.String("Status")
		}), "WHERE `status` = ?"},
		{"current name, recorded column ignored", whereEq(fieldColumn("State", "st_code")), "WHERE `status` = ?"},
		{"select", renamePayload(1, func(w *wire.Writer) {
			w.Int(4) // selects
			w.ArrayLen(1)
			w.ArrayLen(2)
			w.String("Code")
			w.String("st_code")
		}), "SELECT `st_code` FROM"},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			sql, err := render(t, serializer.Options{}, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(sql, c.want) {
				t.Fatalf("SQL %q does not contain %q", sql, c.want)
			}
		})
	}
	t.Run("model value", func(t *testing.T) {
		data := payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.ArrayLen(5)
			w.String("user")
			w.ArrayLen(2)
			w.String("Code")
			w.String("st_code")
			w.String("B2")
			w.String("Status")
			w.String("open")
		})
		tx, err := serializer.Restore(reg, &serializer.Options{}, db, data)
		if err != nil {
			t.Fatal(err)
		}
		if m := tx.Statement.Model.(*renamedUser); m.Short != "B2" || m.State != "open" {
			t.Fatalf("model value %+v", *m)
		}
	})

	bad := []struct {
		name string
		opts serializer.Options
		data []byte
		want error
		msg  string
	}{
		{"column flag without field reference", serializer.Options{}, whereEq(func(w *wire.Writer) {
			w.ArrayLen(5)
			w.Int(35)
			w.Int(8)
			w.Nil()
			w.String("status")
			w.String("status")
		}), serializer.ErrCorrupt, "column flags"},
		{"column flag without its element", serializer.Options{}, whereEq(func(w *wire.Writer) {
			w.ArrayLen(4)
			w.Int(35)
			w.Int(2 | 8)
			w.Nil()
			w.String("Code")
		}), serializer.ErrCorrupt, "column flags"},
		{"column that is not a string", serializer.Options{}, whereEq(func(w *wire.Writer) {
			w.ArrayLen(5)
			w.Int(35)
			w.Int(2 | 8)
			w.Nil()
			w.String("Code")
			w.ArrayLen(0)
		}), serializer.ErrCorrupt, "identifier"},
		{"select reference of three", serializer.Options{}, renamePayload(1, func(w *wire.Writer) {
			w.Int(4)
			w.ArrayLen(1)
			w.ArrayLen(3)
			w.String("Code")
			w.String("st_code")
			w.String("x")
		}), serializer.ErrCorrupt, "column name reference of 3"},
		{"model value name of one", serializer.Options{}, payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.ArrayLen(3)
			w.String("user")
			w.ArrayLen(1)
			w.String("Code")
			w.String("B2")
		}), serializer.ErrCorrupt, "field reference of 1"},
		{"recorded column is SQL", serializer.Options{}, whereEq(fieldColumn("Code", "st_code = 1 OR 1=1 --")), serializer.ErrUnknownField, "no field has its column"},
		{"recorded column of no field", serializer.Options{}, whereEq(fieldColumn("Code", "nothing")), serializer.ErrUnknownField, "WithRenamedFields"},
		{"recorded column of a disallowed field", serializer.Options{AllowedFields: map[string]map[string]bool{"user": {"ID": true, "Code": true}}},
			whereEq(fieldColumn("Code", "secret")), serializer.ErrNotAllowed, `"Secret"`},
		{"mapping to a disallowed field", serializer.Options{
			AllowedFields: map[string]map[string]bool{"user": {"ID": true, "Status": true}},
			RenamedFields: map[string]map[string]string{"user": {"Status": "Secret"}},
		}, whereEq(fieldColumn("Status", "status")), serializer.ErrNotAllowed, `"Secret"`},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := render(t, c.opts, c.data)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want %v mentioning %q", err, c.want, c.msg)
			}
		})
	}

	t.Run("describe", func(t *testing.T) {
		d, err := serializer.Describe(whereEq(fieldColumn("Code", "st_code")), reg, db)
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != 3 || d.SQLError != "" || !strings.Contains(d.SQL, "`st_code` = ?") {
			t.Fatalf("description: version %d, SQL %q, error %q", d.Version, d.SQL, d.SQLError)
		}
	})
}

// TestRenamedStructValueField: a registered model written as a value
// (tag 16, Go field names: a row's loaded associations) takes the
// mapping too.
func TestRenamedStructValueField(t *testing.T) {
	db, reg := renameTarget(t)
	data := rawVar(func(w *wire.Writer) {
		w.ArrayLen(4)
		w.Int(16) // registered struct
		w.String("user")
		w.String("Status")
		w.String("open")
	})
	_, err := serializer.Restore(reg, &serializer.Options{}, db, data)
	if !errors.Is(err, serializer.ErrUnknownField) {
		t.Fatalf("without the mapping: %v, want ErrUnknownField", err)
	}
	opts := serializer.Options{RenamedFields: map[string]map[string]string{"user": {"Status": "State"}}}
	tx, err := serializer.Restore(reg, &opts, db, data)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := tx.Statement.Vars[0].(renamedUser); !ok || got.State != "open" {
		t.Fatalf("var %#v", tx.Statement.Vars[0])
	}
}
