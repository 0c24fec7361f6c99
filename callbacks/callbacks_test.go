package callbacks_test

import (
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/callbacks"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

type gadget struct {
	ID   uint
	Name string
}

// TestCapturing: a callback sorted before gorm:query sees Capturing true
// on the run Dumps makes and false on the application's own queries, and
// the callback after gorm:query does not run for the capture.
func TestCapturing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.AutoMigrate(&gadget{}); err != nil {
			t.Fatal(err)
		}
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(&gadget{}))); err != nil {
			t.Fatal(err)
		}
		var before []bool
		after := 0
		if err := db.Callback().Query().Before("gorm:query").Register("test:before", func(tx *gorm.DB) {
			if tx.Statement.Table == "gadgets" {
				before = append(before, callbacks.Capturing(tx))
			}
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.Callback().Query().After("gorm:query").Register("test:after", func(tx *gorm.DB) {
			if tx.Statement.Table == "gadgets" && callbacks.Capturing(tx) {
				after++
			}
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := gormpickle.Dumps(db.Model(&gadget{}).Where("name = ?", "a")); err != nil {
			t.Fatal(err)
		}
		if len(before) != 1 || !before[0] {
			t.Errorf("Capturing before gorm:query during Dumps = %v, want [true]", before)
		}
		before = nil
		var rows []gadget
		if err := db.Where("name = ?", "a").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		// The application's run comes first; with the shadow check on
		// (GORMPICKLE_SHADOW), its re-render of the statement follows as
		// a capture run.
		if len(before) == 0 || before[0] {
			t.Errorf("Capturing before gorm:query during Find = %v, want false first", before)
		}
		if after != 0 {
			t.Errorf("a callback after gorm:query saw %d capture runs, want none", after)
		}
		if callbacks.Capturing(nil) || callbacks.Capturing(&gorm.DB{}) {
			t.Error("Capturing of a nil DB or statement is true")
		}
	})
}
