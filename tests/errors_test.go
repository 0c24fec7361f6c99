package tests

import (
	"errors"
	"fmt"
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

// userV2 stands for User as another service (or release) defines it:
// registered under User's ID but without the Name field.
type userV2 struct {
	ID uint
}

func (userV2) TableName() string { return "users" }

type unregistered string

func expectErr(t *testing.T, err, want error, mentions ...string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want errors.Is(err, %v)", err, want)
	}
	for _, m := range mentions {
		if !strings.Contains(err.Error(), m) {
			t.Fatalf("error %q does not mention %q", err, m)
		}
	}
}

func pluginDB(t *testing.T, db *gorm.DB, opts ...gormpickle.Option) *gorm.DB {
	t.Helper()
	other := dbtest.Reopen(t, db)
	if err := other.Use(shadowtest.New(t, opts...)); err != nil {
		t.Fatal(err)
	}
	return other
}

func TestErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		userID := serializer.DefaultTypeID(reflectType(&fixture.User{}))
		edQuery := mustDump(t, users(db).Where(&fixture.User{Name: "ed"}))

		t.Run("unknown model", func(t *testing.T) {
			_, err := gormpickle.Loads(edQuery, pluginDB(t, db, gormpickle.WithModels(&fixture.Address{})))
			expectErr(t, err, gormpickle.ErrUnknownModel, userID)
		})
		t.Run("unknown field", func(t *testing.T) {
			target := pluginDB(t, db, gormpickle.WithModels(gormpickle.NamedModel(userID, &userV2{})))
			_, err := gormpickle.Loads(edQuery, target)
			expectErr(t, err, gormpickle.ErrUnknownField, `"Name"`, userID)
		})
		t.Run("corrupt", func(t *testing.T) {
			for i := 0; i < len(edQuery); i++ {
				if _, err := gormpickle.Loads(edQuery[:i], db); err == nil {
					t.Fatalf("truncated to %d bytes: no error", i)
				}
			}
			flipped := append([]byte(nil), edQuery...)
			flipped[6] ^= 0xff
			_, err := gormpickle.Loads(flipped, db)
			expectErr(t, err, gormpickle.ErrCorrupt, "byte")
			_, err = gormpickle.Loads([]byte("not a payload"), db)
			expectErr(t, err, gormpickle.ErrCorrupt, "magic")
		})
		t.Run("version", func(t *testing.T) {
			future := append([]byte(nil), edQuery...)
			future[3] = 4
			_, err := gormpickle.Loads(future, db)
			expectErr(t, err, gormpickle.ErrVersion, "version 4")
			future[3] = 0
			_, err = gormpickle.Loads(future, db)
			expectErr(t, err, gormpickle.ErrVersion, "version 0")
		})
		t.Run("not serializable", func(t *testing.T) {
			for _, c := range []struct {
				chain   *gorm.DB
				mention string
			}{
				{users(db).Where("id = ?", func() {}), "func()"},
				{users(db).Where("id = ?", make(chan int)), "chan int"},
				{users(db).Where("name = ?", unregistered("ed")), "tests.unregistered"},
				{users(db).Attrs(fixture.User{Name: "x"}), "attrs"},
				{users(db).Assign(map[string]any{"name": "x"}), "assigns"},
			} {
				_, err := gormpickle.Dumps(c.chain)
				expectErr(t, err, gormpickle.ErrNotSerializable, c.mention)
			}
			_, err := gormpickle.Dumps(db.Model(&struct{ ID int }{}))
			expectErr(t, err, gormpickle.ErrUnknownModel, "WithModels")
		})
		t.Run("no plugin", func(t *testing.T) {
			bare := dbtest.Reopen(t, db)
			_, err := gormpickle.Dumps(bare.Model(&fixture.User{}))
			expectErr(t, err, gormpickle.ErrNoPlugin)
			_, err = gormpickle.Loads(edQuery, bare)
			expectErr(t, err, gormpickle.ErrNoPlugin)
			// A subquery from a DB without the plugin.
			_, err = gormpickle.Dumps(users(db).Where("id IN (?)", bare.Table("addresses").Select("user_id")))
			expectErr(t, err, gormpickle.ErrNoPlugin)
		})
		t.Run("signature", func(t *testing.T) {
			signer := pluginDB(t, db, gormpickle.WithModels(fixture.Models()...), gormpickle.WithSigningKey([]byte("the new signing key"), []byte("the old signing key")))
			oldSigner := pluginDB(t, db, gormpickle.WithModels(fixture.Models()...), gormpickle.WithSigningKey([]byte("the old signing key")))
			signed := mustDump(t, signer.Model(&fixture.User{}).Where("id = ?", 8))
			if got := names(t, mustLoad(t, signed, signer)); len(got) != 1 || got[0] != "ed" {
				t.Fatalf("signed payload loads as %v", got)
			}
			// Rotation: a payload signed with the old key still loads.
			if _, err := gormpickle.Loads(mustDump(t, oldSigner.Model(&fixture.User{})), signer); err != nil {
				t.Fatalf("payload signed with the retired key: %v", err)
			}
			_, err := gormpickle.Loads(signed, pluginDB(t, db, gormpickle.WithModels(fixture.Models()...), gormpickle.WithSigningKey([]byte("some other signing key"))))
			expectErr(t, err, gormpickle.ErrSignature)
			_, err = gormpickle.Loads(edQuery, signer)
			expectErr(t, err, gormpickle.ErrSignature, "not signed")
			_, err = gormpickle.Loads(signed, db)
			expectErr(t, err, gormpickle.ErrSignature, "no signing key")
			altered := append([]byte(nil), signed...)
			altered[len(altered)-1] ^= 1
			_, err = gormpickle.Loads(altered, signer)
			expectErr(t, err, gormpickle.ErrSignature)
			body := append([]byte(nil), signed...)
			body[len(body)-40] ^= 1
			_, err = gormpickle.Loads(body, signer)
			expectErr(t, err, gormpickle.ErrSignature)
		})
		t.Run("raw SQL refused", func(t *testing.T) {
			strict := pluginDB(t, db, gormpickle.WithModels(fixture.Models()...), gormpickle.WithoutRawSQL())
			for _, c := range []struct {
				chain   *gorm.DB
				mention string
			}{
				{users(db).Where("name = ?", "ed"), "name = ?"},
				{db.Raw("SELECT 1"), "SELECT 1"},
				{users(db).Order("length(name) desc"), "length(name) desc"},
				{users(db).Where(clause.Eq{Column: clause.PrimaryColumn, Value: gorm.Expr("1 + 1")}), "1 + 1"},
				{users(db).Select("upper(name)"), "upper(name)"},
				{users(db).Joins("JOIN addresses ON 1=1"), "JOIN addresses"},
				{db.Table("users AS u"), "users AS u"},
				{users(db).Preload("Addresses", "email <> ?", "x"), "email <> ?"},
			} {
				_, err := gormpickle.Loads(mustDump(t, c.chain), strict)
				expectErr(t, err, gormpickle.ErrRawSQL, c.mention)
			}
			ok := mustDump(t, users(db).Where(&fixture.User{Name: "ed"}).Where(map[string]any{"id": []int{8}}).
				Select("name").Order("id desc").Order("users.name").Preload("Addresses"))
			if _, err := gormpickle.Loads(ok, strict); err != nil {
				t.Fatalf("structured query refused: %v", err)
			}
			structured := mustDump(t, addresses(db).Joins("User").Where(&fixture.Address{UserID: 8}).Select("email"))
			q, err := gormpickle.Loads(structured, strict)
			if err != nil {
				t.Fatalf("structured query refused: %v", err)
			}
			var got []fixture.Address
			if err := q.Find(&got).Error; err != nil || len(got) != 3 {
				t.Fatalf("structured query: %d rows, %v", len(got), err)
			}
		})
		t.Run("allow-lists", func(t *testing.T) {
			onlyAddresses := pluginDB(t, db, gormpickle.WithModels(fixture.Models()...),
				gormpickle.WithAllowedModels(serializer.DefaultTypeID(reflectType(&fixture.Address{}))))
			_, err := gormpickle.Loads(edQuery, onlyAddresses)
			expectErr(t, err, gormpickle.ErrNotAllowed, userID)
			onlyID := pluginDB(t, db, gormpickle.WithModels(fixture.Models()...), gormpickle.WithAllowedFields(userID, "ID"))
			_, err = gormpickle.Loads(edQuery, onlyID)
			expectErr(t, err, gormpickle.ErrNotAllowed, `"Name"`)
			if _, err := gormpickle.Loads(mustDump(t, users(db).Where(&fixture.User{ID: 8})), onlyID); err != nil {
				t.Fatalf("allowed field refused: %v", err)
			}
		})
		t.Run("limits", func(t *testing.T) {
			small := pluginDB(t, db, gormpickle.WithModels(fixture.Models()...), gormpickle.WithLimits(serializer.Limits{MaxCollection: 10}))
			ids := make([]int, 100)
			for i := range ids {
				ids[i] = i
			}
			_, err := gormpickle.Loads(mustDump(t, users(db).Where("id IN ?", ids)), small)
			expectErr(t, err, gormpickle.ErrLimit, "limit of 10")
			tiny := pluginDB(t, db, gormpickle.WithModels(fixture.Models()...), gormpickle.WithLimits(serializer.Limits{MaxBytes: 20}))
			_, err = gormpickle.Loads(edQuery, tiny)
			expectErr(t, err, gormpickle.ErrLimit, fmt.Sprintf("%d bytes", len(edQuery)))
		})
	})
}
