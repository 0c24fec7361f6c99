package capture_test

import (
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/capture"
)

func TestSetShadowSeesEveryProcessor(t *testing.T) {
	db := openDB(t)
	if err := capture.SetShadow(db, nil); !errors.Is(err, capture.ErrNotInstalled) {
		t.Fatalf("SetShadow without the capture: %v, want ErrNotInstalled", err)
	}
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	var seen []capture.Processor
	shadow := func(tx *gorm.DB, p capture.Processor, next func(*gorm.DB)) {
		seen = append(seen, p)
		next(tx)
	}
	if err := capture.SetShadow(db, shadow); err != nil {
		t.Fatal(err)
	}
	// Registering again keeps the points, and their shadow.
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	var ws []widget
	var n int64
	if err := db.Find(&ws).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&widget{}).Select("count(*)").Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE widgets SET name = name").Error; err != nil {
		t.Fatal(err)
	}
	if err := capture.Capture(db.Model(&widget{}), func(*gorm.Statement) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 3 || seen[0] != capture.Query || seen[1] != capture.Row || seen[2] != capture.Raw {
		t.Fatalf("the shadow saw %v, want query, row, raw (and not the capture)", seen)
	}
	if err := capture.SetShadow(db, nil); err != nil {
		t.Fatal(err)
	}
	seen = nil
	if err := db.Find(&ws).Error; err != nil || len(seen) != 0 {
		t.Fatalf("removed shadow still saw %v (%v)", seen, err)
	}
}

func TestRenderBuildsWithoutRunning(t *testing.T) {
	db := openDB(t)
	if err := capture.Register(db); err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&widget{ID: 1, Name: "a"}).Error; err != nil {
		t.Fatal(err)
	}
	sql, vars, err := capture.Render(db.Model(&widget{}).Where("name = ?", "a"), capture.Query, []any{"parent"})
	if err != nil {
		t.Fatal(err)
	}
	if sql != "SELECT * FROM `widgets` WHERE name = ?" || len(vars) != 2 || vars[0] != "parent" || vars[1] != "a" {
		t.Fatalf("rendered %q %v", sql, vars)
	}
	sql, vars, err = capture.Render(db.Raw("DELETE FROM widgets WHERE id = ?", 1), capture.Raw, []any{"ignored"})
	if err != nil || sql != "DELETE FROM widgets WHERE id = ?" || len(vars) != 1 {
		t.Fatalf("raw rendered %q %v %v", sql, vars, err)
	}
	var n int64
	if err := db.Model(&widget{}).Count(&n).Error; err != nil || n != 1 {
		t.Fatalf("%d widgets left (%v): Render ran the DELETE", n, err)
	}
}
