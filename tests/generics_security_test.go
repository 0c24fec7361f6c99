package tests

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/serializer"
)

// gHandPayload builds an unsigned version-2 payload by hand
// (docs/format.md): the header, then the statement map body.
func gHandPayload(body ...byte) []byte {
	return append([]byte{'G', 'P', 'Q', 2, 0}, body...)
}

// msgStr is a MessagePack fixstr.
func msgStr(s string) []byte { return append([]byte{0xa0 | byte(len(s))}, s...) }

// TestLoadsGModelMismatch: a payload whose model is not T, or that has
// none, fails with ErrModelMismatch naming both, whether Dumps, DumpsG
// or a hand-built payload wrote it; nothing runs.
func TestLoadsGModelMismatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.Use(shadowtest.New(t, secModels())); err != nil {
			t.Fatal(err)
		}
		if err := fixture.Seed(db); err != nil {
			t.Fatal(err)
		}
		fromDumpsG, err := gormpickle.DumpsG(gA(db).Where("id > ?", 1))
		if err != nil {
			t.Fatal(err)
		}
		fromDumps, err := gormpickle.Dumps(addresses(db).Where("id > ?", 1))
		if err != nil {
			t.Fatal(err)
		}
		noModel, err := gormpickle.Dumps(db.Table("users").Where("id > ?", 1))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := gormpickle.Dumps(db.Raw("SELECT * FROM users"))
		if err != nil {
			t.Fatal(err)
		}
		// {1: "address"}: model address, by hand.
		hand := gHandPayload(append([]byte{0x81, 0x01}, msgStr("address")...)...)
		for name, c := range map[string]struct {
			data []byte
			got  string
		}{
			"DumpsG":   {fromDumpsG, "fixture.Address"},
			"Dumps":    {fromDumps, "fixture.Address"},
			"hand":     {hand, "fixture.Address"},
			"no model": {noModel, "no model"},
			"raw":      {raw, "no model"},
		} {
			q, err := gormpickle.LoadsG[fixture.User](c.data, db)
			if !errors.Is(err, gormpickle.ErrModelMismatch) || q != nil {
				t.Fatalf("%s: LoadsG[User] = %v, %v; want ErrModelMismatch", name, q, err)
			}
			if !strings.Contains(err.Error(), "fixture.User") || !strings.Contains(err.Error(), c.got) {
				t.Fatalf("%s: error %q does not name both fixture.User and %s", name, err, c.got)
			}
		}
		// The same payloads load as their own model.
		for _, data := range [][]byte{fromDumpsG, fromDumps, hand} {
			q, err := gormpickle.LoadsG[fixture.Address](data, db)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := q.Find(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestLoadsGPolicy: the load policy, signing and limits apply to LoadsG
// as they do to Loads, with the same typed errors.
func TestLoadsGPolicy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := secSetup(t, db)
		if err := db.Use(shadowtest.New(t, secModels())); err != nil {
			t.Fatal(err)
		}
		dump := func(q gorm.ChainInterface[fixture.User]) []byte {
			t.Helper()
			data, err := gormpickle.DumpsG(q)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
		rawWhere := dump(gU(db).Where("name = 'x' OR id IN (SELECT id FROM admin_tokens)"))
		for _, target := range []*gorm.DB{e.strict, e.rawless} {
			if _, err := gormpickle.LoadsG[fixture.User](rawWhere, target); !errors.Is(err, gormpickle.ErrRawSQL) {
				t.Fatalf("raw SQL condition: %v, want ErrRawSQL", err)
			}
		}
		joinSecret := dump(gU(db).Where(clause.Eq{Column: clause.Column{Name: "id"}, Value: 7}).
			Where(clause.IN{Column: clause.Column{Name: "id"}, Values: []any{gorm.G[secAccount](db).Select("user_id").Where(clause.Eq{Column: clause.Column{Name: "password"}, Value: e.password})}}))
		if _, err := gormpickle.LoadsG[fixture.User](joinSecret, e.strict); !errors.Is(err, gormpickle.ErrNotAllowed) {
			t.Fatalf("field outside the allow-list in a generics subquery: %v, want ErrNotAllowed", err)
		}
		if _, err := gormpickle.LoadsG[secSecret](dump2(t, gorm.G[secSecret](db).Where(clause.Eq{Column: clause.Column{Name: "id"}, Value: 1})), e.strict); !errors.Is(err, gormpickle.ErrNotAllowed) {
			t.Fatalf("model outside the allow-list: %v, want ErrNotAllowed", err)
		}
		limited := secTarget(t, db, secModels(), gormpickle.WithLimits(serializer.Limits{MaxCollection: 10}))
		long := dump(gU(db).Where("id IN ?", make([]int, 200)))
		if _, err := gormpickle.LoadsG[fixture.User](long, limited); !errors.Is(err, gormpickle.ErrLimit) {
			t.Fatalf("list over the limit: %v, want ErrLimit", err)
		}
		for _, bad := range [][]byte{nil, []byte("GPQ"), gHandPayload(0xc1), gHandPayload(0x81, 0x01, 0x01)} {
			if _, err := gormpickle.LoadsG[fixture.User](bad, db); !errors.Is(err, gormpickle.ErrCorrupt) && !errors.Is(err, gormpickle.ErrTypeMismatch) {
				t.Fatalf("corrupt payload %x: %v, want ErrCorrupt", bad, err)
			}
		}
	})
}

func dump2[T any](t *testing.T, q gorm.ChainInterface[T]) []byte {
	t.Helper()
	data, err := gormpickle.DumpsG(q)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestLoadsGSigned: with signing keys, LoadsG verifies the tag before
// decoding; a DumpsG payload carries one.
func TestLoadsGSigned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		key := []byte("0123456789abcdef0123456789abcdef")
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...), gormpickle.WithSigningKey(key))); err != nil {
			t.Fatal(err)
		}
		if err := fixture.Seed(db); err != nil {
			t.Fatal(err)
		}
		data := dump2(t, gU(db).Where("id = ?", 8))
		q, err := gormpickle.LoadsG[fixture.User](data, db)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := q.Take(context.Background()); err != nil || got.Name != "ed" {
			t.Fatalf("signed round trip: %+v, %v", got, err)
		}
		tampered := append([]byte(nil), data...)
		tampered[len(tampered)-40] ^= 1
		if _, err := gormpickle.LoadsG[fixture.User](tampered, db); !errors.Is(err, gormpickle.ErrSignature) {
			t.Fatalf("tampered payload: %v, want ErrSignature", err)
		}
	})
}

// TestDumpsGRefusals: what cannot travel fails by name; nothing is
// dropped silently.
func TestDumpsGRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(append(fixture.Models(), gModels()...)...))); err != nil {
			t.Fatal(err)
		}
		errJoin := errors.New("join builder failed")
		errPreload := errors.New("preload builder failed")
		for name, c := range map[string]struct {
			q    func() ([]byte, error)
			want error
			text string
		}{
			"WithResult": {func() ([]byte, error) {
				return gormpickle.DumpsG(gorm.G[fixture.User](db, gorm.WithResult()).Where("id = ?", 1))
			}, gormpickle.ErrNotSerializable, "gorm.WithResult"},
			"JoinBuilder error": {func() ([]byte, error) {
				return gormpickle.DumpsG(gE(db).Joins(clause.LeftJoin.Association("Company"), func(gorm.JoinBuilder, clause.Table, clause.Table) error { return errJoin }))
			}, errJoin, ""},
			"PreloadBuilder error": {func() ([]byte, error) {
				return gormpickle.DumpsG(gE(db).Preload("Pets", func(gorm.PreloadBuilder) error { return errPreload }))
			}, errPreload, ""},
			"Preload associations": {func() ([]byte, error) {
				return gormpickle.DumpsG(gE(db).Preload(clause.Associations, nil))
			}, gormpickle.ErrNotSerializable, "relation"},
			"function var": {func() ([]byte, error) {
				return gormpickle.DumpsG(gU(db).Where("id = ?", func() {}))
			}, gormpickle.ErrNotSerializable, "func()"},
			"unregistered model": {func() ([]byte, error) {
				return gormpickle.DumpsG(gorm.G[secNode](db).Where("id = ?", 1))
			}, gormpickle.ErrUnknownModel, "secNode"},
			"not a generics chain": {func() ([]byte, error) {
				return gormpickle.DumpsG[fixture.User](fakeChain{})
			}, gormpickle.ErrNotSerializable, "fakeChain"},
			"no plugin": {func() ([]byte, error) {
				plain := dbtest.Reopen(t, db)
				return gormpickle.DumpsG(gU(plain).Where("id = ?", 1))
			}, gormpickle.ErrNoPlugin, ""},
		} {
			data, err := c.q()
			if !errors.Is(err, c.want) || data != nil {
				t.Fatalf("%s: DumpsG = %x, %v; want %v", name, data, err, c.want)
			}
			if !strings.Contains(err.Error(), c.text) {
				t.Fatalf("%s: error %q does not name %q", name, err, c.text)
			}
		}
	})
}

// fakeChain is a gorm.ChainInterface that is no chain of GORM's.
type fakeChain struct {
	gorm.ChainInterface[fixture.User]
}
