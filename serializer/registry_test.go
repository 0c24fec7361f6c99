package serializer_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/gormpickle/gormpickle/internal/fixture"
	twin "github.com/gormpickle/gormpickle/internal/fixture/twin"
	"github.com/gormpickle/gormpickle/serializer"
)

func TestDefaultIDIsPackageAndTypeName(t *testing.T) {
	if got := serializer.DefaultTypeID(reflect.TypeOf(&fixture.User{})); got != "fixture.User" {
		t.Fatalf("DefaultTypeID = %q, want fixture.User", got)
	}
	if got := serializer.DefaultTypeID(reflect.TypeOf(struct{}{})); got != "" {
		t.Fatalf("DefaultTypeID of an unnamed type = %q, want none", got)
	}
}

// TestDefaultIDCollision: two types whose packages share a name cannot
// both take the default ID; the second registration says what to do.
func TestDefaultIDCollision(t *testing.T) {
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(&fixture.User{})
	err := reg.RegisterModel(&twin.User{})
	if err == nil || !strings.Contains(err.Error(), "NamedModel") {
		t.Fatalf("registering a second fixture.User: %v, want an error advising NamedModel", err)
	}
	if err := reg.RegisterModel(serializer.NamedModel("twin.User", &twin.User{})); err != nil {
		t.Fatalf("registering it under its own ID: %v", err)
	}
}

// legacyID is the default ID releases before format version 2 gave.
func legacyID(v any) string {
	t := reflect.TypeOf(v).Elem()
	return t.PkgPath() + "." + t.Name()
}

// TestLegacyDefaultIDsResolve: IDs written by earlier releases (package
// path and name) still name the same models and value types.
func TestLegacyDefaultIDsResolve(t *testing.T) {
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(&fixture.User{})
	reg.MustRegisterType(new(hostileUser))
	if typ, ok := reg.ModelType(legacyID(&fixture.User{})); !ok || typ != reflect.TypeOf(fixture.User{}) {
		t.Fatalf("ModelType(legacy ID) = %v, %v", typ, ok)
	}
	if typ, ok := reg.TypeByID(legacyID(new(hostileUser))); !ok || typ != reflect.TypeOf(hostileUser{}) {
		t.Fatalf("TypeByID(legacy ID) = %v, %v", typ, ok)
	}
	if _, ok := reg.TypeByID(legacyID(new(bytes.Buffer))); ok {
		t.Fatal("an unregistered type resolves through its legacy ID")
	}
	// A model given an explicit ID now (for example because its default ID
	// collides) may have been written under its full path before.
	named := serializer.NewRegistry()
	named.MustRegisterModel(&fixture.User{})
	named.MustRegisterModel(serializer.NamedModel("twin.User", &twin.User{}))
	if typ, ok := named.ModelType(legacyID(&twin.User{})); !ok || typ != reflect.TypeOf(twin.User{}) {
		t.Fatalf("ModelType(twin's legacy ID) = %v, %v", typ, ok)
	}
}

// holder has fields of two types with the same default ID.
type holder struct {
	ID    uint
	First fixture.User `gorm:"-"`
	Twin  twin.User    `gorm:"-"`
}

// TestFieldTypesWithTheSameDefaultID: a field type whose default ID is
// taken keeps its full path as its ID instead of being dropped.
func TestFieldTypesWithTheSameDefaultID(t *testing.T) {
	reg := serializer.NewRegistry()
	reg.MustRegisterModel(&holder{})
	for _, v := range []any{&fixture.User{}, &twin.User{}} {
		typ := reflect.TypeOf(v).Elem()
		id, ok := reg.TypeID(typ)
		if !ok {
			t.Fatalf("%s was not registered as a value type", typ)
		}
		if back, ok := reg.TypeByID(id); !ok || back != typ {
			t.Fatalf("TypeByID(%q) = %v, %v; want %s", id, back, ok, typ)
		}
	}
}
