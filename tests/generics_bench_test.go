package tests

import (
	"context"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// benchShapeG is a benchmark shape built with GORM's generics API and
// finished with Find (into rows of its model, or scanned into dest).
type benchShapeG struct {
	name string
	// run builds the chain on db (or, loaded, restores it with LoadsG)
	// and, with finish, runs Find on it.
	build func(db *gorm.DB) any
	find  func(ctx context.Context, q any) error
	load  func(data []byte, db *gorm.DB) (any, error)
	dump  func(q any) ([]byte, error)
}

// shapeG makes a benchShapeG of model T.
func shapeG[T any](name string, build func(db *gorm.DB) gorm.ChainInterface[T], dest func() any) benchShapeG {
	return benchShapeG{
		name:  name,
		build: func(db *gorm.DB) any { return build(db) },
		find: func(ctx context.Context, q any) error {
			if dest != nil {
				return q.(gorm.ChainInterface[T]).Scan(ctx, dest())
			}
			_, err := q.(gorm.ChainInterface[T]).Find(ctx)
			return err
		},
		load: func(data []byte, db *gorm.DB) (any, error) { return gormpickle.LoadsG[T](data, db) },
		dump: func(q any) ([]byte, error) { return gormpickle.DumpsG(q.(gorm.ChainInterface[T])) },
	}
}

// benchShapesG are the shapes of benchShapes GORM's generics API can
// express (it has no raw-SQL Joins), and two of its own forms.
var benchShapesG = []benchShapeG{
	shapeG("filter_preload", func(db *gorm.DB) gorm.ChainInterface[fixture.User] {
		return gorm.G[fixture.User](db).Where("name = ?", "ed").Preload("Addresses", nil)
	}, nil),
	shapeG("exists_subquery", func(db *gorm.DB) gorm.ChainInterface[fixture.User] {
		return gorm.G[fixture.User](db).Where("EXISTS (?)", gorm.G[fixture.Address](db).Select("1").
			Where("addresses.user_id = users.id AND addresses.email = ?", "x"))
	}, nil),
	shapeG("in_list_in_subquery_group", func(db *gorm.DB) gorm.ChainInterface[fixture.Address] {
		return gorm.G[fixture.Address](db).Select("user_id, count(*) AS n").Where("user_id IN ?", []int{7, 8, 9}).
			Where("user_id IN (?)", gorm.G[fixture.User](db).Select("id").Where("name <> ?", "chuck")).
			Group("user_id").Having("count(*) > ?", 0).Order("user_id").Limit(10).Offset(1)
	}, destNameCount),
	shapeG("join_builder", func(db *gorm.DB) gorm.ChainInterface[fixture.Address] {
		return gorm.G[fixture.Address](db).Joins(clause.LeftJoin.Association("User"), func(jb gorm.JoinBuilder, joinTable, _ clause.Table) error {
			jb.Where(clause.Neq{Column: clause.Column{Table: joinTable.Name, Name: "name"}, Value: "chuck"})
			return nil
		}).Where("addresses.email LIKE ?", "%ed%").Order("addresses.id")
	}, nil),
	shapeG("limit_per_record", func(db *gorm.DB) gorm.ChainInterface[fixture.User] {
		return gorm.G[fixture.User](db).Where("id > ?", 6).Preload("Addresses", func(pb gorm.PreloadBuilder) error {
			pb.Order("id desc").LimitPerRecord(2)
			return nil
		})
	}, nil),
}

// BenchmarkShapesG measures, per generics shape: building the chain by
// hand (BuildG: GORM's generics chain only records its calls, which run
// when it is finished), building it and running Find on the in-memory
// SQLite database (BuildGRun: the calls run, the SQL is built and sent),
// LoadsG of its payload, and LoadsG plus the same Find (LoadsGRun).
// internal/benchratio reports LoadsG/BuildG and LoadsGRun/BuildGRun.
//
// Find runs for real, not under DryRun: in DryRun mode GORM applies a
// generics chain to the DB it was given, whose statement a leading Joins
// then writes into, run after run (the chain built by hand grows without
// bound and loses the join).
func BenchmarkShapesG(b *testing.B) {
	db := benchDB(b, false)
	ctx := context.Background()
	for _, s := range benchShapesG {
		data, err := s.dump(s.build(db))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s.name+"/BuildG", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s.build(db)
			}
		})
		b.Run(s.name+"/BuildGRun", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := s.find(ctx, s.build(db)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"/LoadsG", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := s.load(data, db); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"/LoadsGRun", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				q, err := s.load(data, db)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.find(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBenchShapesGRoundTrip keeps the generics benchmark corpus honest:
// each shape, loaded, returns the rows it returns built by hand.
func TestBenchShapesGRoundTrip(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	ctx := context.Background()
	for _, s := range benchShapesG {
		t.Run(s.name, func(t *testing.T) {
			data, err := s.dump(s.build(db))
			if err != nil {
				t.Fatal(err)
			}
			q, err := s.load(data, db)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.find(ctx, q); err != nil {
				t.Fatal(err)
			}
		})
	}
}
