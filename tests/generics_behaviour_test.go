package tests

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// TestGenericsInsideTraditional: generics chains used inside a
// traditional chain (a subquery var, the table a raw join joins, a
// Table subquery, a clause value) round-trip through Dumps and Loads
// (they failed as "unregistered clause.Expression").
func TestGenericsInsideTraditional(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seeded, _ := gTargets(t, db)
		for name, build := range map[string]func(db *gorm.DB) *gorm.DB{
			"where_var": func(db *gorm.DB) *gorm.DB {
				return users(db).Where("id IN (?)", gA(db).Select("user_id").Where("email LIKE ?", "ed%")).Order("id")
			},
			"gorm_G_itself": func(db *gorm.DB) *gorm.DB {
				return employees(db).Where("company_id IN (?)", gorm.G[gCompany](db).Select("id")).Order("id")
			},
			"join_subquery": func(db *gorm.DB) *gorm.DB {
				return users(db).Joins("JOIN (?) AS a ON a.user_id = users.id", gA(db).Select("user_id").Where("id > ?", 3)).Order("users.id")
			},
			"table_subquery": func(db *gorm.DB) *gorm.DB {
				return db.Table("(?) AS t", gU(db).Select("id, name").Where("id > ?", 7)).Where("t.id < ?", 10).Order("t.id")
			},
			"clause_value": func(db *gorm.DB) *gorm.DB {
				return users(db).Where(clause.IN{Column: clause.Column{Name: "id"}, Values: []any{gA(db).Select("user_id").Where("id < ?", 3)}}).Order("id")
			},
			"generics_with_joins_inside": func(db *gorm.DB) *gorm.DB {
				return employees(db).Where("id IN (?)", gE(db).Select("g_employees.id").
					Joins(clause.InnerJoin.Association("Company"), joinWhere("name = ?", "acme"))).Order("id")
			},
		} {
			t.Run(name, func(t *testing.T) {
				data := mustDump(t, build(seeded))
				dest := destIDNames
				sameRun(t, build(seeded), mustLoad(t, data, seeded), dest, findInto)
			})
		}
	})
}

// TestLoadsGChain: a loaded generics chain is immutable like one built by
// hand: its branches do not leak into each other or into the loaded
// chain, it can be finished concurrently, and a DryRun target's
// statement is not written into.
func TestLoadsGChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seeded, _ := gTargets(t, db)
		ctx := context.Background()
		data := dump2(t, gU(seeded).Where("id > ?", 6).Order("id"))
		q, err := gormpickle.LoadsG[fixture.User](data, seeded)
		if err != nil {
			t.Fatal(err)
		}
		ids := func(us []fixture.User, err error) []uint {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			var out []uint
			for _, u := range us {
				out = append(out, u.ID)
			}
			return out
		}
		a, b := q.Where("id <> ?", 8), q.Limit(1)
		for _, c := range []struct {
			got  []uint
			want []uint
		}{
			{ids(a.Find(ctx)), []uint{7, 9, 10}},
			{ids(b.Find(ctx)), []uint{7}},
			{ids(q.Find(ctx)), []uint{7, 8, 9, 10}},
			{ids(q.Find(ctx)), []uint{7, 8, 9, 10}},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Fatalf("got %v, want %v", c.got, c.want)
			}
		}
		// GORM's Where.Build moves a leading single OR in place: runs must
		// not share the restored lists.
		ored, err := gormpickle.LoadsG[fixture.User](dump2(t, gU(seeded).Or("name = ?", "jack").Where("id > ?", 8).
			Select("id").Group("id").Having("count(*) > ?", 100).Or("id = ?", 7).Order("id")), seeded)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				us, err := q.Order("name").Find(ctx)
				if err != nil || len(us) != 4 {
					t.Errorf("concurrent Find: %d rows, %v", len(us), err)
				}
			}()
			go func() {
				defer wg.Done()
				var got []idName
				if err := ored.Scan(ctx, &got); err != nil {
					t.Errorf("concurrent Scan: %v", err)
				}
			}()
		}
		wg.Wait()
		// DryRun: nothing runs, and the target stays clean.
		dry := seeded.Session(&gorm.Session{DryRun: true})
		dq, err := gormpickle.LoadsG[fixture.User](data, dry)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if _, err := dq.Find(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if len(seeded.Statement.Clauses) != 0 || len(dry.Statement.Clauses) != 0 {
			t.Fatalf("a DryRun LoadsG chain wrote into its target's statement: %v", dry.Statement.Clauses)
		}
		var n int64
		if err := seeded.Model(&fixture.User{}).Count(&n).Error; err != nil || n != 4 {
			t.Fatalf("target after DryRun runs: %d users, %v", n, err)
		}
		// DumpsG of a loaded chain gives the same payload.
		if again := dump2(t, q); string(again) != string(data) {
			t.Fatalf("DumpsG of the loaded chain differs:\n%x\n%x", again, data)
		}
	})
}
