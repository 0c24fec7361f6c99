package pickletype_test

import (
	"fmt"
	"log"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle/pickletype"
)

type Preferences struct {
	Theme     string
	Favorites []string
}

type Account struct {
	ID       uint
	Prefs    pickletype.Type[Preferences] // binary column, gob
	Settings map[string]int               `gorm:"serializer:pickle;pickler:msgpack"` // any field type
	Draft    *Preferences                 `gorm:"serializer:pickle"`                 // nil is NULL
}

func Example() {
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		log.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	_ = db.AutoMigrate(&Account{})

	db.Create(&Account{
		ID:       1,
		Prefs:    pickletype.Of(Preferences{Theme: "dark", Favorites: []string{"go"}}),
		Settings: map[string]int{}, // empty, not nil: stored and read back empty
	})

	var a Account
	db.First(&a, 1)
	var nulls int64
	db.Model(&Account{}).Where("draft IS NULL").Count(&nulls)
	fmt.Println(a.Prefs.Data.Theme, a.Prefs.Data.Favorites, a.Settings != nil, a.Draft == nil, nulls)
	// Output: dark [go] true true 1
}
