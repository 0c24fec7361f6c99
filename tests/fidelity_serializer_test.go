package tests

import (
	"errors"
	"reflect"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// acct has fields that GORM stores through serializers.
type acct struct {
	ID    uint `gorm:"primaryKey;autoIncrement:false"`
	Name  string
	Roles []string       `gorm:"serializer:json;type:text"`
	Prefs map[string]int `gorm:"serializer:gob;type:bytes"`
}

// acctRolesChanged is acct on a target whose Roles took another type.
type acctRolesChanged struct {
	ID    uint `gorm:"primaryKey;autoIncrement:false"`
	Name  string
	Roles map[string]int `gorm:"serializer:json;type:text"`
}

func (acctRolesChanged) TableName() string { return "accts" }

const acctID = "tests.acct"

func openAcctsDB(t *testing.T, db *gorm.DB, opts ...gormpickle.Option) *gorm.DB {
	t.Helper()
	if err := db.Use(shadowtest.New(t, append([]gormpickle.Option{gormpickle.WithModels(&acct{})}, opts...)...)); err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(&acct{}); err != nil {
		t.Fatal(err)
	}
	rows := []acct{
		{ID: 1, Name: "ann", Roles: []string{"admin", "ops"}, Prefs: map[string]int{"page": 20}},
		{ID: 2, Name: "bob", Roles: []string{"ops"}},
	}
	if err := db.Create(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return db
}

// admin is a model value whose serializer fields are set.
func admin() *acct {
	return &acct{ID: 1, Roles: []string{"admin", "ops"}, Prefs: map[string]int{"page": 20}}
}

// TestModelValueSerializerFields is issue #15 item 4: a model value with
// a non-zero serializer field was written as what the serializer stores
// and could not be set back (ErrCorrupt); it is read back through the
// field's serializer, as GORM scans a row.
func TestModelValueSerializerFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openAcctsDB(t, db)
		for _, c := range []fidelityCase{
			{name: "model value", build: func(db *gorm.DB) *gorm.DB { return db.Model(admin()).Where("name <> ?", "x").Order("id") }},
			{name: "struct condition", build: func(db *gorm.DB) *gorm.DB { return db.Model(&acct{}).Where(&acct{Roles: []string{"ops"}}) }},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.dest = func() any { return &[]acct{} }
				checkFidelity(t, db, c)
				loaded := mustLoad(t, mustDump(t, c.build(db)), db)
				if want, got := c.build(db).Statement.Model, loaded.Statement.Model; !reflect.DeepEqual(want, got) {
					t.Fatalf("model value differs\noriginal: %+v\nloaded:   %+v", want, got)
				}
			})
		}
	})
}

// TestModelValueTypeMismatch: a value the target's field refuses (its
// type changed) is ErrTypeMismatch naming the field, not ErrCorrupt; and
// under the strict policy a serializer field is a field like any other,
// subject to WithAllowedFields.
func TestModelValueTypeMismatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openAcctsDB(t, db)
		data := mustDump(t, db.Model(admin()))
		changed := pluginDB(t, db, gormpickle.WithModels(gormpickle.NamedModel(acctID, &acctRolesChanged{})))
		_, err := gormpickle.Loads(data, changed)
		expectErr(t, err, gormpickle.ErrTypeMismatch, acctID, "Roles")
		var ve *gormpickle.ValueError
		if errors.Is(err, gormpickle.ErrCorrupt) || !errors.As(err, &ve) || ve.Field != "Roles" {
			t.Fatalf("want a ValueError for Roles and no ErrCorrupt, got %v", err)
		}

		narrow := pluginDB(t, db, gormpickle.WithModels(&acct{}), gormpickle.WithAllowedFields(acctID, "ID", "Prefs"))
		_, err = gormpickle.Loads(data, narrow)
		expectErr(t, err, gormpickle.ErrNotAllowed, "Roles")
		allowed := pluginDB(t, db, gormpickle.WithModels(&acct{}), gormpickle.WithAllowedFields(acctID, "ID", "Roles", "Prefs"))
		loaded := mustLoad(t, data, allowed)
		if !reflect.DeepEqual(loaded.Statement.Model, admin()) {
			t.Fatalf("strict: model value %+v, want %+v", loaded.Statement.Model, admin())
		}
	})
}
