package tests

import (
	"fmt"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// benchShape is one of the seven query shapes measured for SQLAlchemy's
// ext.serializer, built as a GORM chain on the users/addresses fixture.
type benchShape struct {
	name  string
	build func(db *gorm.DB) *gorm.DB
	dest  func() any
}

var benchShapes = []benchShape{
	{"core_join_limit", func(db *gorm.DB) *gorm.DB {
		return db.Table("users").Select("users.id, users.name").Joins("JOIN addresses ON users.id = addresses.user_id").Limit(5)
	}, destUsers},
	{"filter_preload", func(db *gorm.DB) *gorm.DB {
		return db.Model(&fixture.User{}).Where("name = ?", "ed").Preload("Addresses")
	}, destUsers},
	{"relation_join_like", func(db *gorm.DB) *gorm.DB {
		return db.Model(&fixture.User{}).Joins("JOIN addresses ON addresses.user_id = users.id").Where("addresses.email LIKE ?", "%fred%")
	}, destUsers},
	{"aliased_join_like", func(db *gorm.DB) *gorm.DB {
		return db.Model(&fixture.User{}).Table("users AS u").Select("u.id, u.name").
			Joins("JOIN addresses ON u.id = addresses.user_id").Where("addresses.email LIKE ?", "%fred%")
	}, destUsers},
	{"self_join_alias_order", func(db *gorm.DB) *gorm.DB {
		return db.Table("users").Select("users.id, users.name, u2.id AS other_id").
			Joins("JOIN users AS u2 ON users.id < u2.id").Where("users.id < ?", 9).Order("users.id, u2.id")
	}, destPairs},
	{"exists_subquery", func(db *gorm.DB) *gorm.DB {
		return db.Model(&fixture.User{}).Where("EXISTS (?)", db.Table("addresses").Select("1").
			Where("addresses.user_id = users.id AND addresses.email = ?", "x"))
	}, destUsers},
	{"in_list_in_subquery_group", func(db *gorm.DB) *gorm.DB {
		return db.Model(&fixture.Address{}).Select("user_id, count(*) AS n").Where("user_id IN ?", []int{7, 8, 9}).
			Where("user_id IN (?)", db.Model(&fixture.User{}).Select("id").Where("name <> ?", "chuck")).
			Group("user_id").Having("count(*) > ?", 0).Order("user_id").Limit(10).Offset(1)
	}, destNameCount},
}

func destUsers() any { return &[]fixture.User{} }

// benchDB opens an in-memory SQLite database with the fixture and the
// plugin; models get their default IDs unless short is set.
func benchDB(b *testing.B, short bool) *gorm.DB {
	b.Helper()
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		b.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	b.Cleanup(func() { sqlDB.Close() })
	models := fixture.Models()
	if short {
		models = []any{gormpickle.NamedModel("User", &fixture.User{}), gormpickle.NamedModel("Address", &fixture.Address{})}
	}
	if err := db.Use(shadowtest.New(b, gormpickle.WithModels(models...))); err != nil {
		b.Fatal(err)
	}
	if err := fixture.Seed(db); err != nil {
		b.Fatal(err)
	}
	return db
}

func renderedSQL(b *testing.B, tx *gorm.DB, dest any) string {
	stmt := tx.Session(&gorm.Session{DryRun: true}).Find(dest).Statement
	if tx.Error != nil {
		b.Fatal(tx.Error)
	}
	return stmt.SQL.String()
}

// BenchmarkShapes measures, per shape: building the chain with GORM
// (Build), building and rendering its SQL (BuildSQL), Dumps of a built
// chain, Loads of its payload, and Loads plus rendering (LoadsSQL). Dumps
// also reports the payload and SQL sizes; scripts/bench.sh turns the
// results into ratios.
func BenchmarkShapes(b *testing.B) {
	db := benchDB(b, false)
	short := benchDB(b, true)
	for _, s := range benchShapes {
		b.Run(s.name+"/Build", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s.build(db)
			}
		})
		b.Run(s.name+"/BuildSQL", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				renderedSQL(b, s.build(db), s.dest())
			}
		})
		b.Run(s.name+"/Dumps", func(b *testing.B) {
			chain := s.build(db)
			data, err := gormpickle.Dumps(chain)
			if err != nil {
				b.Fatal(err)
			}
			shortData, err := gormpickle.Dumps(s.build(short))
			if err != nil {
				b.Fatal(err)
			}
			sqlText := renderedSQL(b, s.build(db), s.dest())
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := gormpickle.Dumps(chain); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data)), "payload-B")
			b.ReportMetric(float64(len(shortData)), "payload-short-id-B")
			b.ReportMetric(float64(len(sqlText)), "sql-B")
		})
		b.Run(s.name+"/Loads", func(b *testing.B) {
			data, err := gormpickle.Dumps(s.build(db))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := gormpickle.Loads(data, db); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"/LoadsSQL", func(b *testing.B) {
			data, err := gormpickle.Dumps(s.build(db))
			if err != nil {
				b.Fatal(err)
			}
			want := renderedSQL(b, s.build(db), s.dest())
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q, err := gormpickle.Loads(data, db)
				if err != nil {
					b.Fatal(err)
				}
				if got := renderedSQL(b, q, s.dest()); len(got) != len(want) {
					b.Fatalf("loaded chain renders %q, want %q", got, want)
				}
			}
		})
	}
}

// BenchmarkScaling dumps and loads chains with n conditions and IN lists
// of n values, for n = 1, 10, 100, 1000. Every value is in 1000..1999, so
// each costs the same whatever n is (Go boxes integers below 256 without
// allocating, and MessagePack writes them shorter): only the count grows.
func BenchmarkScaling(b *testing.B) {
	db := benchDB(b, false)
	for _, n := range []int{1, 10, 100, 1000} {
		ids := make([]int, n)
		for i := range ids {
			ids[i] = 1000 + i
		}
		chains := map[string]func() *gorm.DB{
			"conds": func() *gorm.DB {
				q := db.Model(&fixture.User{})
				for _, id := range ids {
					q = q.Where("id <> ?", id)
				}
				return q
			},
			"in": func() *gorm.DB { return db.Model(&fixture.User{}).Where("id IN ?", ids) },
		}
		for _, kind := range []string{"conds", "in"} {
			chain := chains[kind]()
			data, err := gormpickle.Dumps(chain)
			if err != nil {
				b.Fatal(err)
			}
			name := fmt.Sprintf("%s/%d", kind, n)
			b.Run(name+"/Dumps", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := gormpickle.Dumps(chain); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(data)), "payload-B")
			})
			b.Run(name+"/Loads", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := gormpickle.Loads(data, db); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestBenchShapesRoundTrip keeps the benchmark corpus honest: every shape
// loads to the same SQL and rows as it is built (it runs with the tests).
func TestBenchShapesRoundTrip(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	for _, s := range benchShapes {
		t.Run(s.name, func(t *testing.T) {
			checkRoundTrip(t, roundTrip{name: s.name, build: s.build, dest: s.dest}, db, db)
		})
	}
}

// loadsAllocs is the most allocations one Loads of each shape may make:
// what the statement itself needs (GORM's DB and Statement, with room for
// the first short lists, in one allocation, its Clauses and Preloads maps,
// the model, clause values, longer lists, one copy of the payload's text). One more means something
// started escaping to the heap, such as the decoder, which Loads keeps on
// its stack (see serializer.Restore).
var loadsAllocs = map[string]float64{
	"core_join_limit":           8,
	"filter_preload":            10,
	"relation_join_like":        9,
	"aliased_join_like":         10,
	"self_join_alias_order":     11,
	"exists_subquery":           15,
	"in_list_in_subquery_group": 29,
}

func TestLoadsAllocations(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	for _, s := range benchShapes {
		t.Run(s.name, func(t *testing.T) {
			data, err := gormpickle.Dumps(s.build(db))
			if err != nil {
				t.Fatal(err)
			}
			got := testing.AllocsPerRun(200, func() {
				if _, err := gormpickle.Loads(data, db); err != nil {
					t.Fatal(err)
				}
			})
			if want, ok := loadsAllocs[s.name]; !ok {
				t.Fatalf("no allocation budget for shape %s", s.name)
			} else if got > want {
				t.Errorf("Loads makes %.2f allocations, want at most %.0f", got, want)
			}
		})
	}
}
