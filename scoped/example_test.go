package scoped_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/scoped"
)

type Order struct {
	ID     uint
	Status string
}

func openDB() *gorm.DB {
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		log.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1) // one in-memory database
	if err := db.Use(gormpickle.New(gormpickle.WithModels(&Order{}))); err != nil {
		log.Fatal(err)
	}
	if err := db.AutoMigrate(&Order{}); err != nil {
		log.Fatal(err)
	}
	return db
}

// Restoring a saved query into the caller's unit of work: Loads on
// reg.DB(ctx) runs inside the transaction and sees its uncommitted rows.
func Example() {
	db := openDB()
	reg := scoped.New(db)
	pending, _ := gormpickle.Dumps(db.Model(&Order{}).Where(&Order{Status: "pending"}))

	err := reg.Transaction(context.Background(), func(ctx context.Context) error {
		if err := reg.DB(ctx).Create(&Order{ID: 1, Status: "pending"}).Error; err != nil {
			return err
		}
		q, err := gormpickle.Loads(pending, reg.DB(ctx))
		if err != nil {
			return err
		}
		var n int64
		q.Count(&n)
		fmt.Println("pending orders inside the transaction:", n)
		return nil
	})
	fmt.Println("committed:", err == nil)
	// Output:
	// pending orders inside the transaction: 1
	// committed: true
}

// A nested Transaction is a savepoint: its error undoes its own writes only.
func ExampleRegistry_Transaction() {
	db := openDB()
	reg := scoped.New(db)
	errOutOfStock := errors.New("out of stock")
	_ = reg.Transaction(context.Background(), func(ctx context.Context) error {
		reg.DB(ctx).Create(&Order{ID: 1, Status: "paid"})
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			reg.DB(ctx).Create(&Order{ID: 2, Status: "reserved"})
			return errOutOfStock
		})
		fmt.Println("inner:", err, errors.Is(err, errOutOfStock))
		return nil
	})
	var ids []uint
	db.Model(&Order{}).Order("id").Pluck("id", &ids)
	fmt.Println("orders:", ids)
	// Output:
	// inner: out of stock true
	// orders: [1]
}
