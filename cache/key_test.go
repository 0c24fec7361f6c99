package cache

import (
	"bytes"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
)

type fpUserV1 struct {
	ID   uint
	Name string
}

type fpUserV2 struct { // a deploy added a column
	ID    uint
	Name  string
	Email string
}

type fpOrder struct {
	ID     uint
	UserID uint
	User   fpUserV1
}

type fpOrderV2 struct {
	ID     uint
	UserID uint
	User   fpUserV2
}

func parse(t *testing.T, model any) *schema.Schema {
	t.Helper()
	s, err := schema.Parse(model, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFingerprintOf: a key's fingerprints change when a model's columns
// change, and when a related model's do (joins and preloads read them).
func TestFingerprintOf(t *testing.T) {
	v1, ok1 := fingerprintOf(parse(t, &fpUserV1{}))
	v2, ok2 := fingerprintOf(parse(t, &fpUserV2{}))
	o1, ok3 := fingerprintOf(parse(t, &fpOrder{}))
	o2, ok4 := fingerprintOf(parse(t, &fpOrderV2{}))
	if !ok1 || !ok2 || !ok3 || !ok4 {
		t.Fatal("a model had no fingerprint")
	}
	if bytes.Equal(v1, v2) {
		t.Error("adding a column kept the fingerprint")
	}
	if bytes.Equal(o1, o2) {
		t.Error("a related model's new column kept the fingerprint")
	}
	if again, _ := fingerprintOf(parse(t, &fpUserV1{})); !bytes.Equal(again, v1) {
		t.Error("the fingerprint is not stable")
	}
}
