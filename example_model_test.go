package gormpickle_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/modelcodec"
)

// Order is cached under the stable ID "order", which survives renaming
// the Go type or moving its package.
type Order struct {
	ID     uint
	Number string
	Total  int64
}

// openOrderDB opens an in-memory SQLite database with the plugin and two
// orders. Every process that reads the cache installs the same options.
func openOrderDB() *gorm.DB {
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		log.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1) // one in-memory database, not one per connection
	if err := db.Use(shadowtest.New(nil, gormpickle.WithModels(gormpickle.NamedModel("order", &Order{})))); err != nil {
		log.Fatal(err)
	}
	_ = db.AutoMigrate(&Order{})
	db.Create(&[]Order{{ID: 1, Number: "A-1", Total: 1250}, {ID: 2, Number: "A-2", Total: 990}})
	return db
}

func ExampleEncodeModel() {
	db := openOrderDB()
	var o Order
	if err := db.First(&o, 1).Error; err != nil {
		log.Fatal(err)
	}
	// Write through: the payload names the model by its ID in the plugin
	// installed on db.
	data, err := gormpickle.EncodeModel(db, &o)
	if err != nil {
		log.Fatal(err)
	}
	desc, _ := modelcodec.Describe(data)
	fmt.Println("model:", desc.Model)

	// Read: a DB with the same plugin options (here the same one).
	var cached Order
	switch err := gormpickle.DecodeModel(db, data, &cached); {
	case err == nil:
		fmt.Println(cached.Number, cached.Total)
	case errors.Is(err, gormpickle.ErrModelMismatch), errors.Is(err, gormpickle.ErrSchemaChanged):
		fmt.Println("miss") // another model, or the columns changed since
	default:
		log.Fatal(err) // corrupt or over the limits: drop the entry
	}
	// Output:
	// model: order
	// A-1 1250
}

func ExampleEncodeModels() {
	db := openOrderDB()
	var orders []Order
	if err := db.Order("id").Find(&orders).Error; err != nil {
		log.Fatal(err)
	}
	data, err := gormpickle.EncodeModels(db, orders)
	if err != nil {
		log.Fatal(err)
	}
	var cached []*Order
	if err := gormpickle.DecodeModels(db, data, &cached); err != nil {
		log.Fatal(err)
	}
	for _, o := range cached {
		fmt.Println(o.ID, o.Number)
	}
	// Output:
	// 1 A-1
	// 2 A-2
}

func ExampleRegistryOf() {
	db := openOrderDB()
	reg, err := gormpickle.RegistryOf(db)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reg.Models())

	var plain *gorm.DB // no plugin installed
	_, err = gormpickle.RegistryOf(plain)
	fmt.Println(errors.Is(err, gormpickle.ErrNoPlugin))
	// Output:
	// [order]
	// true
}
