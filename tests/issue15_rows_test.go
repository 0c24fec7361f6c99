package tests

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// A model holding rows, Model(&users) or a chain reused after Find(&users)
// (GORM makes the destination the model of a chain that had none), is
// what GORM's write finishers read: Delete and Update take the rows'
// primary keys, Update saves their loaded associations. These tests compare
// every statement the original and the restored chain run (issue #15,
// item 10).

// sqlLog records the SQL GORM runs, vars inlined by the dialect.
type sqlLog struct {
	logger.Interface
	stmts []string
}

func (l *sqlLog) LogMode(logger.LogLevel) logger.Interface { return l }

func (l *sqlLog) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	l.stmts = append(l.stmts, sql)
}

// statements returns what finish runs on a DryRun branch of tx.
func statements(tx *gorm.DB, finish rowsFinisher) []string {
	log := &sqlLog{Interface: logger.Discard}
	_, _, _ = finish(tx.Session(&gorm.Session{DryRun: true, Logger: log}))
	return log.stmts
}

// rowsFinisher finishes a chain: what it read, the rows it affected and
// its error.
type rowsFinisher func(tx *gorm.DB) (any, int64, error)

var rowsFinishers = map[string]rowsFinisher{
	"Find": func(tx *gorm.DB) (any, int64, error) {
		var dest []fixture.User
		r := tx.Find(&dest)
		return dest, r.RowsAffected, r.Error
	},
	"Count": func(tx *gorm.DB) (any, int64, error) {
		var n int64
		r := tx.Count(&n)
		return n, r.RowsAffected, r.Error
	},
	"Rows": func(tx *gorm.DB) (any, int64, error) {
		rows, err := tx.Rows()
		if err != nil {
			return nil, 0, err
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var u fixture.User
			if err := tx.ScanRows(rows, &u); err != nil {
				return nil, 0, err
			}
			names = append(names, u.Name)
		}
		return names, 0, rows.Err()
	},
	"Delete": func(tx *gorm.DB) (any, int64, error) {
		r := tx.Delete(&fixture.User{})
		return nil, r.RowsAffected, r.Error
	},
	"Update": func(tx *gorm.DB) (any, int64, error) {
		r := tx.Update("name", "renamed")
		return nil, r.RowsAffected, r.Error
	},
	"Updates": func(tx *gorm.DB) (any, int64, error) {
		r := tx.Updates(map[string]any{"name": "renamed"})
		return nil, r.RowsAffected, r.Error
	},
}

// loadUsers reads users ids in id order.
func loadUsers(db *gorm.DB, ids ...int) []fixture.User {
	var rows []fixture.User
	db.Where("id IN ?", ids).Order("id").Find(&rows)
	return rows
}

// rowsCases build chains whose model holds rows, on db.
var rowsCases = map[string]func(db *gorm.DB) *gorm.DB{
	"Model(&rows)": func(db *gorm.DB) *gorm.DB {
		rows := loadUsers(db, 7, 8)
		return db.Model(&rows).Where("id > ?", 6)
	},
	"reused after Find": func(db *gorm.DB) *gorm.DB {
		q := db.Where("id IN ?", []int{7, 8, 9}).Order("id")
		q.Find(&[]fixture.User{})
		return q
	},
	"reused after Preload and Find": func(db *gorm.DB) *gorm.DB {
		q := db.Preload("Addresses").Where("id IN ?", []int{8, 9})
		q.Find(&[]fixture.User{})
		return q
	},
	"pointers": func(db *gorm.DB) *gorm.DB {
		var rows []*fixture.User
		db.Where("id IN ?", []int{9, 10}).Order("id").Find(&rows)
		return db.Model(&rows).Where("name <> ?", "nobody")
	},
	"by value": func(db *gorm.DB) *gorm.DB {
		return db.Model(loadUsers(db, 7, 10)).Where("id < ?", 10)
	},
	"array": func(db *gorm.DB) *gorm.DB {
		rows := [2]fixture.User{{ID: 7, Name: "jack"}, {ID: 9, Name: "fred"}}
		return db.Model(&rows)
	},
	// A struct model value keeps its loaded associations too: Update
	// saves them (the upsert of the addresses the struct holds).
	"struct with associations": func(db *gorm.DB) *gorm.DB {
		var u fixture.User
		db.Preload("Addresses").First(&u, 8)
		u.Addresses[0].Email = "changed@example.org"
		return db.Model(&u).Where("name <> ?", "nobody")
	},
	"struct with a belongs-to association": func(db *gorm.DB) *gorm.DB {
		var a fixture.Address
		db.Preload("User").First(&a, 1)
		a.User.Name = "changed"
		return db.Model(&a)
	},
	"empty": func(db *gorm.DB) *gorm.DB {
		return db.Model(&[]fixture.User{}).Where("id > ?", 8)
	},
}

// TestModelHoldingRows dumps chains whose model holds rows and checks that
// every finisher runs the same statements on the restored chain as on the
// original, with the same outcome. Each finisher runs on its own chain,
// since writes change the rows, and in a savepoint rolled back after.
func TestModelHoldingRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		for name, build := range rowsCases {
			for fname, finish := range rowsFinishers {
				t.Run(name+"/"+fname, func(t *testing.T) {
					checkRowsFinisher(t, db, build, finish)
				})
			}
		}
	})
}

func checkRowsFinisher(t *testing.T, db *gorm.DB, build func(*gorm.DB) *gorm.DB, finish rowsFinisher) {
	t.Helper()
	tx := db.Begin()
	defer tx.Rollback()
	original := build(tx)
	loaded := mustLoad(t, mustDump(t, original), tx)
	want, got := statements(original, finish), statements(loaded, finish)
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("statements differ\noriginal: %q\nloaded:   %q", want, got)
	}
	run := func(chain *gorm.DB) string {
		if err := tx.SavePoint("before_finisher").Error; err != nil {
			t.Fatal(err)
		}
		out, affected, err := finish(chain.Session(&gorm.Session{}))
		if err := tx.RollbackTo("before_finisher").Error; err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v affected %d, error %v", out, affected, err)
	}
	if w, g := run(original), run(loaded); w != g {
		t.Fatalf("outcomes differ\noriginal: %s\nloaded:   %s", w, g)
	}
}

// hookedRow has a hook that sets a column on Update: GORM calls it on each
// row of a model holding rows, and on the struct of a model value, so an
// empty collection and a struct model do not update the same columns.
type hookedRow struct {
	ID   uint
	Name string
	Note string
}

func (h *hookedRow) BeforeUpdate(tx *gorm.DB) error {
	tx.Statement.SetColumn("Note", "hooked")
	return nil
}

// TestModelHoldingNoRows: an empty collection model is no struct model.
func TestModelHoldingNoRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.Use(shadowtest.New(t, gormpickle.WithModels(&hookedRow{}))); err != nil {
			t.Fatal(err)
		}
		if err := db.AutoMigrate(&hookedRow{}); err != nil {
			t.Fatal(err)
		}
		if err := db.Create(&[]hookedRow{{ID: 1, Name: "a"}, {ID: 2, Name: "b"}}).Error; err != nil {
			t.Fatal(err)
		}
		for name, build := range map[string]func(db *gorm.DB) *gorm.DB{
			"empty": func(db *gorm.DB) *gorm.DB { return db.Model(&[]hookedRow{}).Where("id > ?", 0) },
			"rows": func(db *gorm.DB) *gorm.DB {
				return db.Model(&[]*hookedRow{{ID: 1, Name: "a"}}).Where("id > ?", 0)
			},
		} {
			t.Run(name, func(t *testing.T) {
				checkRowsFinisher(t, db, build, func(tx *gorm.DB) (any, int64, error) {
					r := tx.Update("name", "renamed")
					return nil, r.RowsAffected, r.Error
				})
			})
		}
	})
}

// TestModelHoldingRowsRefused: what GORM's finishers cannot run is
// refused at Dumps, with a typed error.
func TestModelHoldingRowsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		for name, model := range map[string]any{
			"a nil row":    &[]*fixture.User{{ID: 7}, nil},
			"rows of rows": &[][]fixture.User{{{ID: 7}}},
		} {
			if _, err := gormpickle.Dumps(db.Model(model)); !errors.Is(err, gormpickle.ErrNotSerializable) {
				t.Fatalf("%s: %v, want ErrNotSerializable", name, err)
			}
		}
		// GORM itself refuses a nil pointer to rows.
		var none *[]fixture.User
		if _, err := gormpickle.Dumps(db.Model(none)); !errors.Is(err, gorm.ErrInvalidValue) {
			t.Fatalf("a nil pointer to rows: %v, want gorm.ErrInvalidValue", err)
		}
	})
}

// TestModelHoldingRowsStrict: the strict policy restores rows as it
// restores a model value's columns, and refuses loaded associations, which
// Update would save.
func TestModelHoldingRowsStrict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		strict := openStrict(t, db)
		rows := loadUsers(db, 7, 8)
		chain := db.Model(&rows)
		loaded := mustLoad(t, mustDump(t, chain), strict)
		for fname, finish := range rowsFinishers {
			if want, got := statements(chain, finish), statements(loaded, finish); !reflect.DeepEqual(want, got) {
				t.Fatalf("%s: statements differ\noriginal: %q\nloaded:   %q", fname, want, got)
			}
		}
		data := mustDump(t, rowsCases["reused after Preload and Find"](db))
		if _, err := gormpickle.Loads(data, strict); !errors.Is(err, gormpickle.ErrNotAllowed) {
			t.Fatalf("rows with associations under the strict policy: %v, want ErrNotAllowed", err)
		}
	})
}

// TestModelHoldingRowsSerializerFields: a row's serializer fields are read
// back through the field's serializer, as a model value's are.
func TestModelHoldingRowsSerializerFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openAcctsDB(t, db)
		build := func(db *gorm.DB) *gorm.DB {
			var rows []acct
			db.Order("id").Find(&rows)
			return db.Model(&rows)
		}
		original := build(db)
		loaded := mustLoad(t, mustDump(t, original), db)
		if !reflect.DeepEqual(loaded.Statement.Model, original.Statement.Model) {
			t.Fatalf("rows restored as %+v, want %+v", loaded.Statement.Model, original.Statement.Model)
		}
		for _, fname := range []string{"Delete", "Update"} {
			t.Run(fname, func(t *testing.T) {
				checkRowsFinisher(t, db, build, func(tx *gorm.DB) (any, int64, error) {
					if fname == "Delete" {
						r := tx.Delete(&acct{})
						return nil, r.RowsAffected, r.Error
					}
					r := tx.Update("name", "renamed")
					return nil, r.RowsAffected, r.Error
				})
			})
		}
	})
}
