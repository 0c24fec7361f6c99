package tests

import (
	"bytes"
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// TestPreloadNoopFunctionIsPlain: a Preload function that adds nothing to
// the DB it is given (GORM's generics Preload wraps every preload in one,
// builder or not) is written as the plain preload, byte for byte, and a
// loaded chain reads the same rows; a function that adds something still
// travels as a function.
func TestPreloadNoopFunctionIsPlain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		plain, err := gormpickle.Dumps(db.Model(&fixture.User{}).Where("id > ?", 6).Preload("Addresses"))
		if err != nil {
			t.Fatal(err)
		}
		forms := map[string]func() ([]byte, error){
			"identity function": func() ([]byte, error) {
				return gormpickle.Dumps(db.Model(&fixture.User{}).Where("id > ?", 6).
					Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx }))
			},
			"generics, no builder": func() ([]byte, error) {
				return gormpickle.DumpsG(gorm.G[fixture.User](db).Where("id > ?", 6).Preload("Addresses", nil))
			},
			"generics, builder adding nothing": func() ([]byte, error) {
				return gormpickle.DumpsG(gorm.G[fixture.User](db).Where("id > ?", 6).
					Preload("Addresses", func(gorm.PreloadBuilder) error { return nil }))
			},
		}
		for name, dump := range forms {
			got, err := dump()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(got, plain) {
				t.Errorf("%s: % x, want the plain preload's % x", name, got, plain)
			}
		}
		ordered, err := gormpickle.DumpsG(gorm.G[fixture.User](db).Where("id > ?", 6).
			Preload("Addresses", func(pb gorm.PreloadBuilder) error { pb.Order("id desc"); return nil }))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(ordered, plain) || len(ordered) <= len(plain) {
			t.Errorf("a builder that orders wrote % x, the plain preload % x", ordered, plain)
		}
		q, err := gormpickle.LoadsG[fixture.User](plain, db)
		if err != nil {
			t.Fatal(err)
		}
		got, err := q.Order("id").Find(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want, err := gorm.G[fixture.User](db).Where("id > ?", 6).Preload("Addresses", nil).Order("id").Find(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !sameAddresses(got, want) {
			t.Errorf("loaded %+v, built %+v", got, want)
		}
	})
}

// sameAddresses compares users and their preloaded addresses by ID.
func sameAddresses(a, b []fixture.User) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || len(a[i].Addresses) != len(b[i].Addresses) {
			return false
		}
		for j := range a[i].Addresses {
			if a[i].Addresses[j].ID != b[i].Addresses[j].ID {
				return false
			}
		}
	}
	return len(a) > 0
}
