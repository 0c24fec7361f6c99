package tests

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// TestFormatVersionOfForms checks that Dumps writes version 3 only for a
// payload holding a version-3 form, so that a version-2 build reads every
// other payload and refuses the rest with ErrVersion, not ErrCorrupt; and
// that version-3 forms still load under a version-2 header, as the first
// build to write them wrote them.
func TestFormatVersionOfForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openValDB(t, db)
		cases := []struct {
			name    string
			chain   func() *gorm.DB
			version byte
		}{
			{"plain", func() *gorm.DB { return db.Model(&valRow{}).Where("id = ?", 2) }, 2},
			{"registered Valuer", func() *gorm.DB {
				return db.Model(&valRow{}).Where("price = ?", decimal.RequireFromString("2.5"))
			}, 3},
			{"model holding rows", func() *gorm.DB { return db.Model(&[]valRow{{ID: 2}}).Where("id = ?", 2) }, 3},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				data, err := gormpickle.Dumps(c.chain())
				if err != nil {
					t.Fatal(err)
				}
				if data[3] != c.version {
					t.Fatalf("payload version %d, want %d", data[3], c.version)
				}
				var want []valRow
				if err := c.chain().Find(&want).Error; err != nil {
					t.Fatal(err)
				}
				for _, v := range []byte{2, 3} {
					data[3] = v
					if got := loadIDs(t, data, db); len(got) != len(want) || len(got) != 1 || got[0] != 2 {
						t.Errorf("version %d header: rows %v, want row 2", v, got)
					}
				}
				data[3] = 4
				if _, err := gormpickle.Loads(data, db); !errors.Is(err, gormpickle.ErrVersion) {
					t.Errorf("version 4: %v, want ErrVersion", err)
				}
			})
		}
	})
}

// loadIDs loads data on db and returns the IDs of the rows it finds.
func loadIDs(t *testing.T, data []byte, db *gorm.DB) []uint {
	t.Helper()
	tx, err := gormpickle.Loads(data, db)
	if err != nil {
		t.Fatal(err)
	}
	var rows []valRow
	if err := tx.Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}
