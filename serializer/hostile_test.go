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

type hostileUser struct {
	ID   uint
	Name string
}

func hostileTarget(t *testing.T) (*gorm.DB, *serializer.Registry) {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(serializer.NamedModel("user", &hostileUser{}))
	return db, reg
}

// rawVar builds a payload of Raw("SELECT ?", v) whose one var v fn writes.
func rawVar(fn func(w *wire.Writer)) []byte {
	return payload(func(w *wire.Writer) {
		w.MapLen(1)
		w.Int(10) // raw
		w.ArrayLen(2)
		w.String("SELECT ?")
		w.ArrayLen(1)
		fn(w)
	})
}

// listEntry builds a payload whose statement has one list-valued key (7
// clauses, 8 joins) holding one entry, which fn writes.
func listEntry(key int64, fn func(w *wire.Writer)) []byte {
	return payload(func(w *wire.Writer) {
		w.MapLen(1)
		w.Int(key)
		w.ArrayLen(1)
		fn(w)
	})
}

// payload builds header + body written by fn.
func payload(fn func(w *wire.Writer)) []byte {
	w := wire.Writer{Buf: []byte("GPQ\x01\x00")}
	fn(&w)
	return w.Buf
}

func TestDecodeHostilePayloads(t *testing.T) {
	db, reg := hostileTarget(t)
	deep := payload(func(w *wire.Writer) {
		w.MapLen(1)
		w.Int(10) // raw
		w.ArrayLen(2)
		w.String("SELECT ?")
		w.ArrayLen(1)
		for i := 0; i < 1000; i++ {
			w.ArrayLen(2 + 1)
			w.Int(13) // tSlice
			w.Int(0)  // []any
		}
		w.Nil()
	})
	cases := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", nil, serializer.ErrCorrupt, "bad magic"},
		{"foreign bytes", []byte("hello world"), serializer.ErrCorrupt, "bad magic"},
		{"future version", []byte("GPQ\x09\x00\x80"), serializer.ErrVersion, "version 9"},
		{"unknown flag", []byte("GPQ\x01\x80\x80"), serializer.ErrCorrupt, "flags"},
		{"signed but short", []byte("GPQ\x01\x01\x80"), serializer.ErrCorrupt, "tag"},
		{"no body", []byte("GPQ\x01\x00"), serializer.ErrCorrupt, "truncated"},
		{"huge map length", []byte("GPQ\x01\x00\xdf\xff\xff\xff\xff"), serializer.ErrLimit, "map"},
		{"huge string length", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.Buf = append(w.Buf, 0xdb, 0x7f, 0xff, 0xff, 0xff)
		}), serializer.ErrLimit, "string"},
		{"string longer than input", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.Buf = append(w.Buf, 0xda, 0x10, 0x00, 'u')
		}), serializer.ErrCorrupt, "truncated"},
		{"huge array length", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(4)
			w.Buf = append(w.Buf, 0xdd, 0x00, 0xff, 0xff, 0xff)
		}), serializer.ErrLimit, "array"},
		{"array longer than input", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(4)
			w.Buf = append(w.Buf, 0xdc, 0x10, 0x00)
		}), serializer.ErrCorrupt, "truncated"},
		{"deep nesting", deep, serializer.ErrLimit, "nesting"},
		{"reference to an undefined string", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.Int(5)
		}), serializer.ErrCorrupt, "string reference 5"},
		{"self reference", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.Int(0)
		}), serializer.ErrCorrupt, "string reference 0"},
		{"unknown model", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(1)
			w.String("nobody")
		}), serializer.ErrUnknownModel, `"nobody"`},
		{"unknown field", payload(func(w *wire.Writer) {
			w.MapLen(2)
			w.Int(1)
			w.String("user")
			w.Int(7)
			w.ArrayLen(1)
			w.ArrayLen(2)
			w.String("WHERE")
			w.ArrayLen(2)
			w.Int(31) // tWhere
			w.ArrayLen(1)
			w.ArrayLen(3)
			w.Int(23) // tEq
			w.ArrayLen(4)
			w.Int(35) // tColumn
			w.Int(2)  // field reference
			w.Int(-1)
			w.String("Password")
			w.String("x")
		}), serializer.ErrUnknownField, `"Password"`},
		{"keys out of order", payload(func(w *wire.Writer) {
			w.MapLen(2)
			w.Int(3)
			w.Int(1)
			w.Int(1)
			w.String("user")
		}), serializer.ErrCorrupt, "out of order"},
		{"unknown statement key", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(99)
			w.Nil()
		}), serializer.ErrCorrupt, "unknown statement key 99"},
		{"wrong type for flags", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(3)
			w.String("x")
		}), serializer.ErrCorrupt, "expected integer"},
		{"wrong type for selects", payload(func(w *wire.Writer) {
			w.MapLen(1)
			w.Int(4)
			w.Int(1)
		}), serializer.ErrCorrupt, "expected array"},
		{"unknown value tag", rawVar(func(w *wire.Writer) {
			w.ArrayLen(1)
			w.Int(250)
		}), serializer.ErrCorrupt, "unknown value tag 250"},
		{"wrong arity", rawVar(func(w *wire.Writer) {
			w.ArrayLen(5)
			w.Int(1) // tInt8 takes one element
			w.Int(1)
			w.Int(1)
			w.Int(1)
			w.Int(1)
		}), serializer.ErrCorrupt, "elements"},
		{"nil in an expression list", listEntry(7, func(w *wire.Writer) {
			w.ArrayLen(2)
			w.Int(3) // WHERE
			w.ArrayLen(2)
			w.Int(31) // tWhere
			w.ArrayLen(1)
			w.Nil()
		}), serializer.ErrCorrupt, "nil expression"},
		{"unknown clause code", listEntry(7, func(w *wire.Writer) {
			w.ArrayLen(2)
			w.Int(99)
			w.Nil()
		}), serializer.ErrCorrupt, "unknown clause code 99"},
		{"empty join entry", listEntry(8, func(w *wire.Writer) {
			w.ArrayLen(0)
		}), serializer.ErrCorrupt, "join entry of 0 elements"},
		{"join entry too long", listEntry(8, func(w *wire.Writer) {
			w.ArrayLen(9)
			for i := 0; i < 9; i++ {
				w.Nil()
			}
		}), serializer.ErrCorrupt, "join entry of 9 elements"},
		{"unknown join type code", listEntry(8, func(w *wire.Writer) {
			w.ArrayLen(3)
			w.String("JOIN t ON true")
			w.String("")
			w.Int(7)
		}), serializer.ErrCorrupt, "unknown join type code 7"},
		{"expression too long", rawVar(func(w *wire.Writer) {
			w.ArrayLen(5)
			w.Int(21) // tExpr takes at most sql, vars, withoutParentheses
			w.String("1")
			w.ArrayLen(0)
			w.Bool(false)
			w.Bool(false)
		}), serializer.ErrCorrupt, "elements"},
		{"limit without its value", rawVar(func(w *wire.Writer) {
			w.ArrayLen(1)
			w.Int(44) // tLimit needs at least the limit
		}), serializer.ErrCorrupt, "elements"},
		{"int8 out of range", rawVar(func(w *wire.Writer) {
			w.ArrayLen(2)
			w.Int(1)
			w.Int(300)
		}), serializer.ErrCorrupt, "out of range"},
		{"map with uncomparable keys", rawVar(func(w *wire.Writer) {
			w.ArrayLen(3)
			w.Int(15) // tMap
			w.ArrayLen(2)
			w.Int(1) // slice of
			w.Int(0)
			w.Int(0)
		}), serializer.ErrCorrupt, "not comparable"},
		{"time with bad nanoseconds", rawVar(func(w *wire.Writer) {
			w.ArrayLen(6)
			w.Int(12) // tTime
			w.Int(0)
			w.Int(2e9)
			w.String("UTC")
			w.String("UTC")
			w.Int(0)
		}), serializer.ErrCorrupt, "invalid time"},
		{"trailing bytes", append(payload(func(w *wire.Writer) { w.MapLen(0) }), 0xc0), serializer.ErrCorrupt, "trailing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := serializer.Decode(reg, serializer.Options{}, db, c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("error = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %q does not mention %q", err, c.msg)
			}
		})
	}
}

func TestSignatureTampering(t *testing.T) {
	body := payload(func(w *wire.Writer) { w.MapLen(0) })
	key := []byte("k1")
	signed, err := serializer.Sign(body, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := serializer.Verify(signed, [][]byte{[]byte("other"), key}); err != nil {
		t.Fatalf("rotation: %v", err)
	}
	for i := range signed {
		bad := append([]byte(nil), signed...)
		bad[i] ^= 0x01
		if err := serializer.Verify(bad, [][]byte{key}); err == nil {
			t.Fatalf("flipping byte %d still verifies", i)
		}
	}
	if err := serializer.Verify(body, [][]byte{key}); !errors.Is(err, serializer.ErrSignature) {
		t.Fatalf("unsigned payload: %v", err)
	}
	if err := serializer.Verify(signed[:len(signed)-1], [][]byte{key}); err == nil {
		t.Fatal("truncated tag verifies")
	}
}

// TestDecodeBoundsAllocationByElementSize: a slice whose element type is a
// large array is refused before it is allocated.
func TestDecodeBoundsAllocationByElementSize(t *testing.T) {
	db, reg := hostileTarget(t)
	data := payload(func(w *wire.Writer) {
		w.MapLen(1)
		w.Int(10) // raw
		w.ArrayLen(2)
		w.String("SELECT ?")
		w.ArrayLen(1)
		w.ArrayLen(2 + 500)
		w.Int(13) // tSlice
		w.ArrayLen(3)
		w.Int(2) // array of
		w.Int(400)
		w.Int(14) // float64
		for i := 0; i < 500; i++ {
			w.Nil()
		}
	})
	err := serializer.Decode(reg, serializer.Options{Limits: serializer.Limits{MaxBytes: 4096}}, db, data)
	if !errors.Is(err, serializer.ErrLimit) || !strings.Contains(err.Error(), "500 elements of [400]float64") {
		t.Fatalf("error = %v, want ErrLimit on the slice's allocation", err)
	}
}

// TestAllowListsSeeLegacyIDs: a model named by the ID an earlier release
// gave it, directly or through a reference to that string, is held to the
// allow-lists of its current ID, and allow-lists written with the earlier
// IDs still restrict it.
func TestAllowListsSeeLegacyIDs(t *testing.T) {
	db, _ := hostileTarget(t)
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(&hostileUser{}) // default ID serializer_test.hostileUser
	const legacy = "github.com/gormpickle/gormpickle/serializer_test.hostileUser"
	// Model(legacy).Where(clause.Eq{PrimaryKey, subquery}): the model
	// interns the legacy ID, the subquery's model refers back to it and
	// selects Name.
	byReference := payload(func(w *wire.Writer) {
		w.MapLen(2)
		w.Int(1) // model
		w.String(legacy)
		w.Int(7) // clauses
		w.ArrayLen(1)
		w.ArrayLen(2)
		w.Int(3) // WHERE
		w.ArrayLen(2)
		w.Int(31) // tWhere
		w.ArrayLen(1)
		w.ArrayLen(3)
		w.Int(23) // tEq
		w.ArrayLen(4)
		w.Int(35) // tColumn
		w.Int(0)
		w.Nil()
		w.Int(-3) // clause.PrimaryKey
		w.ArrayLen(2)
		w.Int(19) // tSubquery
		w.MapLen(2)
		w.Int(1)
		w.Int(0) // model: interned string 0
		w.Int(4)
		w.ArrayLen(1)
		w.ArrayLen(1)
		w.String("Name")
	})
	for _, allowed := range []map[string]map[string]bool{
		{"serializer_test.hostileUser": {"ID": true}},
		{legacy: {"ID": true}},
	} {
		_, err := serializer.Restore(reg, &serializer.Options{AllowedFields: allowed}, db, byReference)
		if !errors.Is(err, serializer.ErrNotAllowed) {
			t.Errorf("field allow-list %v: error = %v, want ErrNotAllowed", allowed, err)
		}
	}
	for _, id := range []string{"serializer_test.hostileUser", legacy} {
		opts := serializer.Options{AllowedModels: map[string]bool{id: true}}
		if _, err := serializer.Restore(reg, &opts, db, byReference); err != nil {
			t.Errorf("model allow-list [%s]: %v", id, err)
		}
	}
}
