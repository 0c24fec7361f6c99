package tests

import (
	"bytes"
	"reflect"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

func mustDump(t *testing.T, tx *gorm.DB) []byte {
	t.Helper()
	data, err := gormpickle.Dumps(tx)
	if err != nil {
		t.Fatalf("Dumps: %v", err)
	}
	return data
}

func mustLoad(t *testing.T, data []byte, db *gorm.DB) *gorm.DB {
	t.Helper()
	q, err := gormpickle.Loads(data, db)
	if err != nil {
		t.Fatalf("Loads: %v", err)
	}
	return q
}

func names(t *testing.T, tx *gorm.DB) []string {
	t.Helper()
	var rows []fixture.User
	if err := tx.Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, u := range rows {
		out = append(out, u.Name)
	}
	return out
}

// TestDumpsDoesNotMutate dumps a chain twice and then runs it: same bytes,
// and the chain renders and returns what it did before being dumped.
func TestDumpsDoesNotMutate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		for _, c := range conformance {
			t.Run(c.name, func(t *testing.T) {
				if reason, ok := c.skip[backendName(db)]; ok {
					t.Skip(reason)
				}
				chain := c.build(db)
				before := render(t, c, c.build(db))
				first := mustDump(t, chain)
				second := mustDump(t, chain)
				if !bytes.Equal(first, second) {
					t.Fatalf("second Dumps differs:\n%q\n%q", first, second)
				}
				if after := render(t, c, chain); !reflect.DeepEqual(before, after) {
					t.Fatalf("chain changed by Dumps\nbefore: %v\nafter:  %v", before, after)
				}
			})
		}
	})
}

// TestDeterminism builds equal chains separately, including maps whose
// iteration order is random, and expects equal bytes every time.
func TestDeterminism(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	build := func() *gorm.DB {
		conds := map[string]any{"name": []string{"ed", "fred"}, "id": []int{8, 9}}
		named := map[string]any{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8}
		return users(db).Where(conds).Where("id < @h OR id = @a OR id = @b OR id = @c", named).
			Preload("Addresses").Preload("Addresses.User").Set("tenant", "acme").Set("audit", true).
			Order("id").Limit(3)
	}
	want := mustDump(t, build())
	for i := 0; i < 30; i++ {
		if got := mustDump(t, build()); !bytes.Equal(got, want) {
			t.Fatalf("run %d: payload differs\n%q\n%q", i, got, want)
		}
	}
}

// TestLoadedChainBranches extends one loaded chain two ways: the branches
// do not see each other's conditions, and the loaded chain stays as it was.
func TestLoadedChainBranches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		q := mustLoad(t, mustDump(t, users(db).Where("id > ?", 7).Order("id")), db)
		a := q.Where("name = ?", "ed")
		b := q.Where("name = ?", "fred")
		if got := names(t, a); !reflect.DeepEqual(got, []string{"ed"}) {
			t.Fatalf("branch a: %v", got)
		}
		if got := names(t, b); !reflect.DeepEqual(got, []string{"fred"}) {
			t.Fatalf("branch b: %v", got)
		}
		if got := names(t, q); !reflect.DeepEqual(got, []string{"ed", "fred", "chuck"}) {
			t.Fatalf("loaded chain after branching: %v", got)
		}
		// SQLAlchemy's test_query_one: the loaded query, extended with a join
		// and a condition, counts the one matching row.
		one := mustLoad(t, mustDump(t, users(db).Where(&fixture.User{Name: "ed"}).Preload("Addresses")), db)
		var n int64
		if err := one.Joins("JOIN addresses ON addresses.user_id = users.id").
			Where("addresses.email = ?", "ed@bettyboop.com").Count(&n).Error; err != nil || n != 1 {
			t.Fatalf("extended count = %d, %v; want 1", n, err)
		}
	})
}

// TestFrozenValues: values are read at dump time, pointers included.
func TestFrozenValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		id := 8
		chain := users(db).Where("id = ?", &id)
		data := mustDump(t, chain)
		id = 9
		if got := names(t, mustLoad(t, data, db)); !reflect.DeepEqual(got, []string{"ed"}) {
			t.Fatalf("loaded %v, want the value at dump time (ed)", got)
		}
		if got := names(t, chain); !reflect.DeepEqual(got, []string{"fred"}) {
			t.Fatalf("the original chain reads the pointer when run: got %v", got)
		}
	})
}

// TestFinishers runs every finisher on a loaded chain and compares with the
// original chain. Writes run in transactions that are rolled back.
func TestFinishers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		build := func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", 7).Order("id") }
		data := mustDump(t, build(db))
		load := func(db *gorm.DB) *gorm.DB { return mustLoad(t, data, db) }

		for _, fin := range []struct {
			name string
			run  func(tx *gorm.DB) (any, error)
		}{
			{"Find", func(tx *gorm.DB) (any, error) { var u []fixture.User; return u, tx.Find(&u).Error }},
			{"First", func(tx *gorm.DB) (any, error) { var u fixture.User; return u, tx.First(&u).Error }},
			{"Take", func(tx *gorm.DB) (any, error) { var u fixture.User; return u, tx.Take(&u).Error }},
			{"Last", func(tx *gorm.DB) (any, error) { var u fixture.User; return u, tx.Last(&u).Error }},
			{"Count", func(tx *gorm.DB) (any, error) { var n int64; return n, tx.Count(&n).Error }},
			{"Pluck", func(tx *gorm.DB) (any, error) { var ns []string; return ns, tx.Pluck("name", &ns).Error }},
			{"Scan", func(tx *gorm.DB) (any, error) {
				var rows []struct{ ID uint }
				return rows, tx.Select("id").Scan(&rows).Error
			}},
			{"Rows", func(tx *gorm.DB) (any, error) {
				rows, err := tx.Select("name").Rows()
				if err != nil {
					return nil, err
				}
				defer rows.Close()
				var out []string
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						return nil, err
					}
					out = append(out, s)
				}
				return out, rows.Err()
			}},
			{"Update", func(tx *gorm.DB) (any, error) {
				res := tx.Update("name", "x")
				return res.RowsAffected, res.Error
			}},
			{"Updates", func(tx *gorm.DB) (any, error) {
				res := tx.Updates(map[string]any{"name": "y"})
				return res.RowsAffected, res.Error
			}},
			{"Delete", func(tx *gorm.DB) (any, error) {
				if err := tx.Session(&gorm.Session{NewDB: true}).Where("user_id > ?", 7).Delete(&fixture.Address{}).Error; err != nil {
					return nil, err
				}
				res := tx.Delete(&fixture.User{})
				return res.RowsAffected, res.Error
			}},
		} {
			t.Run(fin.name, func(t *testing.T) {
				want := inRolledBack(t, db, func(tx *gorm.DB) (any, error) { return fin.run(build(tx)) })
				got := inRolledBack(t, db, func(tx *gorm.DB) (any, error) { return fin.run(load(tx)) })
				if !reflect.DeepEqual(want, got) {
					t.Fatalf("original %v, loaded %v", want, got)
				}
			})
		}
	})
}

// inRolledBack runs fn in a transaction that is always rolled back.
func inRolledBack(t *testing.T, db *gorm.DB, fn func(tx *gorm.DB) (any, error)) any {
	t.Helper()
	tx := db.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	defer tx.Rollback()
	v, err := fn(tx)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestWriteClauses: clauses only writes build (ON CONFLICT, RETURNING, SET)
// travel with the chain and apply when it is finished with a write.
func TestWriteClauses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		upsert := func(db *gorm.DB) *gorm.DB {
			return users(db).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}}, DoUpdates: clause.AssignmentColumns([]string{"name"})})
		}
		data := mustDump(t, upsert(db))
		got := inRolledBack(t, db, func(tx *gorm.DB) (any, error) {
			if err := mustLoad(t, data, tx).Create(&fixture.User{ID: 8, Name: "eddie"}).Error; err != nil {
				return nil, err
			}
			return names(t, tx.Session(&gorm.Session{NewDB: true}).Model(&fixture.User{}).Where("id = ?", 8)), nil
		})
		if !reflect.DeepEqual(got, []string{"eddie"}) {
			t.Fatalf("upsert through the loaded chain: %v", got)
		}
		set := func(db *gorm.DB) *gorm.DB {
			return users(db).Where("id = ?", 9).Clauses(clause.Set{{Column: clause.Column{Name: "name"}, Value: "freddy"}})
		}
		data = mustDump(t, set(db))
		got = inRolledBack(t, db, func(tx *gorm.DB) (any, error) {
			if err := mustLoad(t, data, tx).Updates(map[string]any{}).Error; err != nil {
				return nil, err
			}
			return names(t, tx.Session(&gorm.Session{NewDB: true}).Model(&fixture.User{}).Where("id = ?", 9)), nil
		})
		if !reflect.DeepEqual(got, []string{"freddy"}) {
			t.Fatalf("SET through the loaded chain: %v", got)
		}
		if backendName(db) != dbtest.MySQL {
			ret := func(db *gorm.DB) *gorm.DB {
				return users(db).Where("id = ?", 10).Clauses(clause.Returning{Columns: []clause.Column{{Name: "name"}}})
			}
			data = mustDump(t, ret(db))
			got = inRolledBack(t, db, func(tx *gorm.DB) (any, error) {
				var deleted []fixture.User
				err := mustLoad(t, data, tx).Delete(&deleted).Error
				out := []string{}
				for _, u := range deleted {
					out = append(out, u.Name)
				}
				return out, err
			})
			if !reflect.DeepEqual(got, []string{"chuck"}) {
				t.Fatalf("DELETE ... RETURNING through the loaded chain: %v", got)
			}
		}
	})
}
