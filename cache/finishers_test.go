package cache_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// finisher runs one finisher on db and returns everything it produced:
// the destination, the error text and RowsAffected.
type finisher struct {
	name string
	run  func(db *gorm.DB) (any, string, int64)
}

func result(tx *gorm.DB, dest any) (any, string, int64) {
	msg := ""
	if tx.Error != nil {
		msg = tx.Error.Error()
	}
	return dest, msg, tx.RowsAffected
}

var finishers = []finisher{
	{"First", func(db *gorm.DB) (any, string, int64) {
		var u fixture.User
		return result(db.Where("name <> ?", "x").First(&u), &u)
	}},
	{"First not found", func(db *gorm.DB) (any, string, int64) {
		var u fixture.User
		return result(db.Where("id = ?", 99).First(&u), &u)
	}},
	{"Take", func(db *gorm.DB) (any, string, int64) {
		var a fixture.Address
		return result(db.Where("user_id = ?", 8).Order("id").Take(&a), &a)
	}},
	{"Last", func(db *gorm.DB) (any, string, int64) {
		var u fixture.User
		return result(db.Last(&u), &u)
	}},
	{"Find empty", func(db *gorm.DB) (any, string, int64) {
		var us []fixture.User
		return result(db.Where("id > ?", 100).Find(&us), &us)
	}},
	{"Count", func(db *gorm.DB) (any, string, int64) {
		var n int64
		return result(db.Model(&fixture.Address{}).Where("user_id = ?", 8).Count(&n), &n)
	}},
	{"Pluck", func(db *gorm.DB) (any, string, int64) {
		var names []string
		return result(db.Model(&fixture.User{}).Order("id").Pluck("name", &names), &names)
	}},
	{"Scan into structs", func(db *gorm.DB) (any, string, int64) {
		type row struct {
			ID    uint
			Email string
			Name  string
		}
		var rows []row
		return result(db.Raw("SELECT addresses.id, email, users.name FROM addresses JOIN users ON users.id = addresses.user_id WHERE users.id > ? ORDER BY addresses.id", 7).Scan(&rows), &rows)
	}},
	{"Scan into maps", func(db *gorm.DB) (any, string, int64) {
		var rows []map[string]any
		return result(db.Model(&Item{}).Order("id").Scan(&rows), &rows)
	}},
	{"Find into maps", func(db *gorm.DB) (any, string, int64) {
		var rows []map[string]any
		return result(db.Table("items").Order("id").Find(&rows), &rows)
	}},
	{"Find into one map", func(db *gorm.DB) (any, string, int64) {
		row := map[string]any{}
		return result(db.Model(&Item{}).Where("id = ?", 1).Take(&row), &row)
	}},
	{"typed columns", func(db *gorm.DB) (any, string, int64) {
		var items []Item
		return result(db.Order("id").Find(&items), &items)
	}},
	{"many2many preload", func(db *gorm.DB) (any, string, int64) {
		var items []Item
		return result(db.Preload("Tags", func(tx *gorm.DB) *gorm.DB { return tx.Order("id") }).Order("id").Find(&items), &items)
	}},
	{"nested joins and preloads", func(db *gorm.DB) (any, string, int64) {
		var as []fixture.Address
		return result(db.Joins("User").Preload("User.Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Order("id") }).Order("addresses.id").Find(&as), &as)
	}},
	{"Rows", func(db *gorm.DB) (any, string, int64) {
		rows, err := db.Model(&fixture.User{}).Where("id > ?", 7).Order("id").Rows()
		if err != nil {
			return nil, err.Error(), 0
		}
		defer rows.Close()
		var out []fixture.User
		for rows.Next() {
			var u fixture.User
			if err := db.ScanRows(rows, &u); err != nil {
				return nil, err.Error(), 0
			}
			out = append(out, u)
		}
		return &out, "", 0
	}},
	{"Row", func(db *gorm.DB) (any, string, int64) {
		var name string
		var id uint
		err := db.Model(&fixture.User{}).Select("id, name").Where("id = ?", 9).Row().Scan(&id, &name)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		return []any{id, name}, msg, 0
	}},
	{"generics First", func(db *gorm.DB) (any, string, int64) {
		u, err := gorm.G[fixture.User](db, cache.TTL(time.Minute)).Where("id = ?", 10).First(context.Background())
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		return u, msg, 0
	}},
}

// TestFinishers: every finisher, cached, gives what a live run gives
// (destination, error, RowsAffected), and its second run sends no SQL.
func TestFinishers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seed(t, db)
		live := dbtest.Reopen(t, db)
		n := countSent(db)
		install(t, db, cache.NewMemoryStore(16<<20), cache.WithNamespace(uniqueNS(t)), cache.WithDefaultTTL(time.Minute))
		for _, f := range finishers {
			t.Run(f.name, func(t *testing.T) {
				want, wantErr, wantRA := f.run(live)
				for run := 1; run <= 2; run++ {
					before := n.N()
					got, gotErr, gotRA := f.run(db)
					if !reflect.DeepEqual(got, want) || gotErr != wantErr || gotRA != wantRA {
						t.Fatalf("run %d differs from live:\ngot  %#v %q %d\nwant %#v %q %d", run, got, gotErr, gotRA, want, wantErr, wantRA)
					}
					if sent := n.N() - before; run == 2 && sent != 0 {
						t.Errorf("the second run sent %d statements", sent)
					}
				}
			})
		}
	})
}
