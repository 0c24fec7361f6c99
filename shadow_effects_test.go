package gormpickle_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// countingPool counts the SQL statements sent through it.
type countingPool struct {
	gorm.ConnPool
	sent atomic.Int64
}

func (c *countingPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	c.sent.Add(1)
	return c.ConnPool.PrepareContext(ctx, query)
}

func (c *countingPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.sent.Add(1)
	return c.ConnPool.ExecContext(ctx, query, args...)
}

func (c *countingPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.sent.Add(1)
	return c.ConnPool.QueryContext(ctx, query, args...)
}

func (c *countingPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.sent.Add(1)
	return c.ConnPool.QueryRowContext(ctx, query, args...)
}

// workload runs statements of every processor on db and describes what
// the application saw: rows, counts, errors, rows affected.
func workload(db *gorm.DB) string {
	var out strings.Builder
	var users []fixture.User
	err := db.Where("id > ?", 7).Preload("Addresses").Order("id").Find(&users).Error
	fmt.Fprintf(&out, "find: %v %v\n", users, err)
	var u fixture.User
	fmt.Fprintf(&out, "first: %v %v\n", db.Where("name = ?", unregistered("ed")).First(&u).Error, u)
	fmt.Fprintf(&out, "missing: %v\n", db.First(&fixture.User{}, 999).Error)
	fmt.Fprintf(&out, "bad table: %v\n", db.Table("no_such_table").Find(&users).Error != nil)
	var n int64
	fmt.Fprintf(&out, "count: %v %d\n", db.Model(&fixture.User{}).Count(&n).Error, n)
	var names []string
	rows, err := db.Model(&fixture.User{}).Select("name").Order("id").Rows()
	if err == nil {
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			names = append(names, s)
		}
		_ = rows.Close()
	}
	fmt.Fprintf(&out, "rows: %v %v\n", names, err)
	fmt.Fprintf(&out, "row: %v", db.Raw("SELECT count(*) FROM addresses WHERE user_id = ?", 8).Row().Scan(&n))
	fmt.Fprintf(&out, " %d\n", n)
	res := db.Exec("UPDATE users SET name = ? WHERE id = ?", "chuck", 10)
	fmt.Fprintf(&out, "exec: %v %d\n", res.Error, res.RowsAffected)
	return out.String()
}

func TestShadowCheckChangesNothingAndRunsNoSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on, got := shadowDB(t, db)
		six := 6
		// Restored statements diverge: the application must not notice.
		onRestored(t, on, func(tx *gorm.DB) { tx.Statement.Where("1 = 0").Limit(six) })
		off := dbtest.Reopen(t, db)
		if err := off.Use(gormpickle.New(gormpickle.WithModels(fixture.Models()...))); err != nil {
			t.Fatal(err)
		}
		run := func(db *gorm.DB) (string, int64) {
			tx := db.WithContext(context.Background())
			pool := &countingPool{ConnPool: tx.Statement.ConnPool}
			tx.Statement.ConnPool = pool
			return workload(tx), pool.sent.Load()
		}
		wantOut, wantSent := run(off)
		gotOut, gotSent := run(on)
		if gotOut != wantOut {
			t.Errorf("with the shadow check the application saw\n%s\nwithout it\n%s", gotOut, wantOut)
		}
		if gotSent != wantSent {
			t.Errorf("%d statements sent with the shadow check, %d without", gotSent, wantSent)
		}
		kinds := map[gormpickle.DivergenceKind]int{}
		for _, d := range got.take() {
			kinds[d.Kind]++
		}
		if kinds[gormpickle.DivergenceSQL] == 0 || kinds[gormpickle.DivergenceUnsupported] != 1 {
			t.Errorf("divergences %v: want some SQL ones and the unregistered value", kinds)
		}
	})
}

func TestShadowCheckRecoversItsPanics(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on, got := shadowDB(t, db)
		onRestored(t, on, func(*gorm.DB) { panic("restored statements make this callback panic") })
		var users []fixture.User
		if err := on.Where("id > ?", 8).Order("id").Find(&users).Error; err != nil || len(users) != 2 {
			t.Fatalf("the application saw %v, %v", users, err)
		}
		ds := got.take()
		if len(ds) != 1 || ds[0].Kind != gormpickle.DivergenceError || !strings.Contains(fmt.Sprint(ds[0].Err), "restored statements make this callback panic") {
			t.Fatalf("got %v, want the panic reported as a DivergenceError", ds)
		}
		if !strings.Contains(ds[0].SQL, "id > ") || len(ds[0].Payload) == 0 {
			t.Fatalf("the report does not name the statement: %s", ds[0])
		}
	})
}

func TestShadowCheckCoversRowAndRaw(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on, got := shadowDB(t, db)
		var n int64
		if err := on.Model(&fixture.User{}).Select("count(*)").Where("name <> ?", unregistered("x")).Row().Scan(&n); err != nil || n != 4 {
			t.Fatalf("row: %d, %v", n, err)
		}
		if err := on.Exec("UPDATE users SET name = name WHERE name = ?", unregistered("ed")).Error; err != nil {
			t.Fatal(err)
		}
		var procs []string
		for _, d := range got.take() {
			if d.Kind != gormpickle.DivergenceUnsupported {
				t.Errorf("unexpected %s", d)
			}
			procs = append(procs, d.Processor)
		}
		if strings.Join(procs, ",") != "row,raw" {
			t.Fatalf("reports came from %v, want row,raw", procs)
		}
	})
}

func TestShadowCheckNeedsAReportFunction(t *testing.T) {
	db := dbtest.Open(t, dbtest.SQLite)
	if err := db.Use(gormpickle.New(gormpickle.WithShadowCheck(nil))); err == nil {
		t.Fatal("db.Use accepted WithShadowCheck(nil)")
	}
}

func TestShadowCheckDoesNotCheckItsOwnWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		on, got := shadowDB(t, db)
		// A callback that queries when it meets a restored statement: were
		// that query checked in turn, its render would query again, and
		// so on (cut short here at a few rounds).
		var renders atomic.Int64
		onRestored(t, on, func(tx *gorm.DB) {
			if renders.Add(1) > 3 {
				return
			}
			var n int64
			if err := tx.Session(&gorm.Session{NewDB: true}).Table("users").Count(&n).Error; err != nil {
				t.Errorf("the callback's query: %v", err)
			}
		})
		var users []fixture.User
		if err := on.Where("id > ?", 8).Find(&users).Error; err != nil || len(users) != 2 {
			t.Fatalf("the application saw %v, %v", users, err)
		}
		if n := renders.Load(); n != 1 {
			t.Fatalf("%d restored statements rendered, want 1: the shadow check checked its own work", n)
		}
		for _, d := range got.take() {
			t.Errorf("unexpected %s", d)
		}
	})
}
