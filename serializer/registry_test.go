package serializer_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gormpickle/gormpickle/internal/fixture"
	twin "github.com/gormpickle/gormpickle/internal/fixture/twin"
	"github.com/gormpickle/gormpickle/internal/wire"
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
	// A model with an explicit ID was always written under that ID.
	named := serializer.NewRegistry()
	named.MustRegisterModel(serializer.NamedModel("user", &fixture.User{}))
	if _, ok := named.ModelType(legacyID(&fixture.User{})); ok {
		t.Fatal("a model registered under an explicit ID resolves through a default ID it never had")
	}
}

// TestModelPayloadWithLegacyID: a cached row written by an earlier release
// (its header names the model by package path) still decodes.
func TestModelPayloadWithLegacyID(t *testing.T) {
	in := fixture.User{ID: 8, Name: "ed"}
	data, err := serializer.EncodeModel(&in)
	if err != nil {
		t.Fatal(err)
	}
	var short, long wire.Writer
	short.String("fixture.User")
	long.String(legacyID(&in))
	if !bytes.Contains(data, short.Buf) {
		t.Fatalf("payload % x does not name fixture.User", data)
	}
	old := bytes.Replace(data, short.Buf, long.Buf, 1)
	var out fixture.User
	if err := serializer.DecodeModel(old, &out); err != nil {
		t.Fatalf("decoding a payload with the legacy ID: %v", err)
	}
	if out.ID != 8 || out.Name != "ed" {
		t.Fatalf("decoded %+v", out)
	}
	other := bytes.Replace(data, short.Buf, func() []byte { var w wire.Writer; w.String("fixture.Other"); return w.Buf }(), 1)
	if err := serializer.DecodeModel(other, &out); !errors.Is(err, serializer.ErrModelMismatch) {
		t.Fatalf("decoding a payload for another model: %v, want ErrModelMismatch", err)
	}
}
