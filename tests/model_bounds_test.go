package tests

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/modelcodec"
	"github.com/gormpickle/gormpickle/serializer"
)

type boundedNote struct {
	ID   uint
	Body string
	At   time.Time
}

// TestModelCacheBounds: rows read from each database decode under the
// default limits; the same payload is refused (ErrLimit, nothing
// decoded) under a MaxDecoded smaller than the rows take; times written in
// zones this machine lacks come back at the same instant and wall clock.
func TestModelCacheBounds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.AutoMigrate(&boundedNote{}); err != nil {
			t.Fatal(err)
		}
		notes := make([]boundedNote, 200)
		for i := range notes {
			notes[i] = boundedNote{ID: uint(i + 1), Body: fmt.Sprintf("note %d", i), At: time.Date(2026, 3, 1, 9, 0, i, 0, time.UTC)}
		}
		if err := db.Create(&notes).Error; err != nil {
			t.Fatal(err)
		}
		var loaded []boundedNote
		if err := db.Order("id").Find(&loaded).Error; err != nil {
			t.Fatal(err)
		}
		for i := range loaded {
			loaded[i].At = loaded[i].At.In(time.FixedZone(fmt.Sprintf("Nowhere/Zone%d", i%5), 5400))
		}
		data, err := modelcodec.EncodeMany(loaded)
		if err != nil {
			t.Fatal(err)
		}
		var back []boundedNote
		if err := modelcodec.DecodeMany(data, &back); err != nil || len(back) != len(loaded) {
			t.Fatalf("defaults: %d rows, %v", len(back), err)
		}
		for i, n := range back {
			if !n.At.Equal(loaded[i].At) || n.At.Minute() != loaded[i].At.Minute() || n.Body != loaded[i].Body {
				t.Fatalf("row %d: %+v, want %+v", i, n, loaded[i])
			}
		}
		old := modelcodec.CurrentLimits()
		defer modelcodec.SetLimits(old)
		modelcodec.SetLimits(modelcodec.Limits{MaxDecoded: 4096})
		var refused []boundedNote
		if err := modelcodec.DecodeMany(data, &refused); !errors.Is(err, serializer.ErrLimit) || refused != nil {
			t.Fatalf("MaxDecoded 4096: %v (%d rows)", err, len(refused))
		}
	})
}
