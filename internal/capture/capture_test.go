package capture_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	gormcallbacks "gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle/callbacks"
	"github.com/gormpickle/gormpickle/internal/capture"
)

type widget struct {
	ID   uint
	Name string
}

func openDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	t.Cleanup(func() { sqlDB.Close() })
	if err := db.AutoMigrate(&widget{}); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCaptureSeesScopesAndParsedModelWithoutRunningSQL(t *testing.T) {
	db := openDB(t)
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	if err := capture.Register(db); err != nil {
		t.Fatalf("second Register: %v", err)
	}
	var ran bool
	db.Callback().Query().Before("gorm:query").Register("test:spy", func(tx *gorm.DB) {
		if _, captured := tx.Statement.Settings.Load(callbacks.MarkerKey); !captured {
			return
		}
		if tx.Statement.SQL.Len() > 0 {
			ran = true
		}
	})
	chain := db.Model(&widget{}).Where("id > ?", 1).Scopes(func(tx *gorm.DB) *gorm.DB { return tx.Where("name <> ?", "x") })
	var captured *gorm.Statement
	err := capture.Capture(chain, func(stmt *gorm.Statement) error {
		captured = stmt
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if captured.Schema == nil || captured.Table != "widgets" {
		t.Fatalf("model not parsed: schema %v, table %q", captured.Schema, captured.Table)
	}
	where := captured.Clauses["WHERE"].Expression.(clause.Where)
	if len(where.Exprs) != 2 {
		t.Fatalf("scopes not applied: %d conditions", len(where.Exprs))
	}
	if _, ok := captured.Clauses["SELECT"]; ok || ran {
		t.Fatal("SQL was built during capture")
	}
	// The chain is untouched and still runs.
	var n int64
	if err := chain.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
}

func TestCaptureErrors(t *testing.T) {
	db := openDB(t)
	err := capture.Capture(db.Model(&widget{}), func(*gorm.Statement) error { return nil })
	if !errors.Is(err, capture.ErrNotInstalled) {
		t.Fatalf("without the callback: %v", err)
	}
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := capture.Capture(db.Model(&widget{}), func(*gorm.Statement) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("fn error: %v", err)
	}
	bad := db.Model(&widget{})
	_ = bad.AddError(boom)
	if err := capture.Capture(bad, func(*gorm.Statement) error { return nil }); !errors.Is(err, boom) {
		t.Fatalf("chain error: %v", err)
	}
	// Ordinary queries pass through the capture callback untouched.
	var ws []widget
	if err := db.Find(&ws).Error; err != nil {
		t.Fatal(err)
	}
}

// marked reports whether tx is a capture run.
func marked(tx *gorm.DB) bool {
	_, ok := tx.Statement.Settings.Load(callbacks.MarkerKey)
	return ok
}

func TestCaptureStopsWhereGormQueryWouldBuild(t *testing.T) {
	db := openDB(t)
	var seen []string
	record := func(name string) func(*gorm.DB) {
		return func(tx *gorm.DB) { seen = append(seen, name) }
	}
	query := db.Callback().Query()
	if err := query.Before("gorm:query").Register("test:early", record("early")); err != nil {
		t.Fatal(err)
	}
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	// Registered after the capture, sorted before gorm:query all the same.
	if err := query.Before("gorm:query").Register("test:late", record("late")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"after", "last", "plain"} {
		var err error
		switch name {
		case "after":
			err = query.After("gorm:query").Register("test:after", record(name))
		case "last":
			err = query.After("*").Register("test:last", record(name))
		default:
			err = query.Register("test:plain", record(name))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := capture.Capture(db.Model(&widget{}), func(*gorm.Statement) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(seen, ","); got != "early,late" {
		t.Fatalf("capture ran %q, want early,late", got)
	}
	seen = nil
	var ws []widget
	if err := db.Find(&ws).Error; err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(seen, ","); got != "early,late,after,plain,last" {
		t.Fatalf("a query ran %q", got)
	}
}

func TestCapturePassesOtherPanicsOn(t *testing.T) {
	db := openDB(t)
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Query().Before("gorm:query").Register("test:boom", func(tx *gorm.DB) {
		if marked(tx) {
			panic("boom")
		}
	}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want the callback's panic", r)
		}
	}()
	_ = capture.Capture(db.Model(&widget{}), func(*gorm.Statement) error { return nil })
	t.Fatal("Capture swallowed a callback's panic")
}

func TestCaptureWhenGormQueryReplacedAfter(t *testing.T) {
	db := openDB(t)
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Query().Replace("gorm:query", gormcallbacks.Query); err != nil {
		t.Fatal(err)
	}
	if capture.Registered(db) {
		t.Fatal("Registered after gorm:query was replaced")
	}
	err := capture.Capture(db.Model(&widget{}), func(*gorm.Statement) error { return nil })
	if !errors.Is(err, capture.ErrNotInstalled) {
		t.Fatalf("Capture: %v, want ErrNotInstalled", err)
	}
	if err := capture.Register(db); err != nil || !capture.Registered(db) {
		t.Fatalf("Register again: %v, registered %v", err, capture.Registered(db))
	}
	if err := capture.Capture(db.Model(&widget{}), func(*gorm.Statement) error { return nil }); err != nil {
		t.Fatal(err)
	}
}
