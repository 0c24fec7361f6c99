package gormpickle_test

import (
	"fmt"
	"log"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

type User struct {
	ID        uint
	Name      string
	Addresses []Address
}

type Address struct {
	ID     uint
	Email  string
	UserID uint
}

// openExampleDB opens an in-memory SQLite database with the plugin and a
// few rows. The same setup runs in every process that loads payloads.
func openExampleDB(opts ...gormpickle.Option) *gorm.DB {
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		log.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1) // one in-memory database, not one per connection
	opts = append([]gormpickle.Option{gormpickle.WithModels(&User{}, &Address{})}, opts...)
	if err := db.Use(shadowtest.New(nil, opts...)); err != nil {
		log.Fatal(err)
	}
	_ = db.AutoMigrate(&User{}, &Address{})
	db.Create(&[]User{
		{ID: 7, Name: "jack", Addresses: []Address{{Email: "jack@bean.com"}}},
		{ID: 8, Name: "ed", Addresses: []Address{{Email: "ed@wood.com"}, {Email: "ed@lala.com"}}},
		{ID: 9, Name: "fred", Addresses: []Address{{Email: "fred@fred.com"}}},
	})
	return db
}

func Example() {
	db := openExampleDB()
	// A saved search: built once, stored as bytes.
	search := db.Model(&User{}).Where("id > ?", 7).Preload("Addresses").Order("id")
	data, err := gormpickle.Dumps(search)
	if err != nil {
		log.Fatal(err)
	}
	// Later, maybe in another process: restore it and run it.
	restored, err := gormpickle.Loads(data, db)
	if err != nil {
		log.Fatal(err)
	}
	var users []User
	if err := restored.Find(&users).Error; err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.Name, len(u.Addresses))
	}
	// Output:
	// ed 2
	// fred 1
}

func ExampleDumps() {
	db := openExampleDB()
	data, err := gormpickle.Dumps(db.Model(&User{}).Where(&User{Name: "ed"}).Limit(1))
	if err != nil {
		log.Fatal(err)
	}
	again, _ := gormpickle.Dumps(db.Model(&User{}).Where(&User{Name: "ed"}).Limit(1))
	// Equal chains give equal bytes: payloads can be cache keys.
	fmt.Println(string(data[:3]), string(data) == string(again))
	// Output: GPQ true
}

func ExampleLoads() {
	db := openExampleDB()
	data, _ := gormpickle.Dumps(db.Model(&User{}).Where("id >= ?", 8))
	restored, err := gormpickle.Loads(data, db)
	if err != nil {
		log.Fatal(err)
	}
	// The restored chain is an ordinary chain: extend it, branch it.
	var n int64
	restored.Where(&User{Name: "fred"}).Count(&n)
	fmt.Println(db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		return restored.Session(&gorm.Session{DryRun: true}).Order("id").Find(&[]User{})
	}))
	fmt.Println(n)
	// Output:
	// SELECT * FROM `users` WHERE id >= 8 ORDER BY id
	// 1
}

func ExampleWithSigningKey() {
	signer := openExampleDB(gormpickle.WithSigningKey([]byte("current key, 32 random bytes.."), []byte("previous key, 32 random bytes.")))
	data, _ := gormpickle.Dumps(signer.Model(&User{}).Where("name = ?", "ed"))

	data[len(data)-1] ^= 1 // tampered with on the way
	_, err := gormpickle.Loads(data, signer)
	fmt.Println(err)
	// Output: gormpickle: bad or missing signature: tag does not match any configured key
}

func ExampleWithoutRawSQL() {
	db := openExampleDB(gormpickle.WithoutRawSQL())
	filter, _ := gormpickle.Dumps(db.Model(&User{}).Where("name = 'x' OR 1=1"))
	_, err := gormpickle.Loads(filter, db)
	fmt.Println(err)

	structured, _ := gormpickle.Dumps(db.Model(&User{}).Where(&User{Name: "ed"}).Order("id desc"))
	_, err = gormpickle.Loads(structured, db)
	fmt.Println(err)
	// Output:
	// gormpickle: raw SQL refused by policy: SQL expression "name = 'x' OR 1=1"
	// <nil>
}
