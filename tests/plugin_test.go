package tests

import (
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/capture"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

func TestPluginInstallsCallbacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		p := shadowtest.New(t)
		if p.Name() != "gormpickle" {
			t.Fatalf("Name() = %q", p.Name())
		}
		if capture.Registered(db) {
			t.Fatal("capture callback present before Use")
		}
		if err := db.Use(p); err != nil {
			t.Fatalf("Use: %v", err)
		}
		if !capture.Registered(db) {
			t.Fatal("capture callback missing after Use")
		}
		if err := p.Initialize(db); err != nil {
			t.Fatalf("second Initialize: %v", err)
		}
		if _, ok := db.Config.Plugins[gormpickle.PluginName]; !ok {
			t.Fatal("plugin not listed in db.Config.Plugins")
		}
		var n int
		if err := db.Raw("SELECT 1").Scan(&n).Error; err != nil || n != 1 {
			t.Fatalf("plain query through the capture callback: n=%d err=%v", n, err)
		}
	})
}
