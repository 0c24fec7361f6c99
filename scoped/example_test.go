package scoped_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/scoped"
)

type Order struct {
	ID     uint `gorm:"primaryKey;autoIncrement:false"`
	Status string
}

// openDB opens an in-memory SQLite database with the gormpickle plugin and
// an orders table. One connection: each :memory: connection is its own
// database.
func openDB() *gorm.DB {
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		log.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		log.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(1)
	if err := db.Use(shadowtest.New(nil, gormpickle.WithModels(&Order{}))); err != nil {
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
	saved, err := gormpickle.Dumps(db.Model(&Order{}).Where("status = ?", "pending"))
	if err != nil {
		log.Fatal(err)
	}

	err = reg.Transaction(context.Background(), func(ctx context.Context) error {
		if err := reg.DB(ctx).Create(&Order{ID: 1, Status: "pending"}).Error; err != nil {
			return err
		}
		q, err := gormpickle.Loads(saved, reg.DB(ctx))
		if err != nil {
			return err
		}
		var n int64
		if err := q.Count(&n).Error; err != nil {
			return err
		}
		fmt.Println("pending orders inside the transaction:", n)
		return nil
	})
	fmt.Println("committed:", err == nil)
	// Output:
	// pending orders inside the transaction: 1
	// committed: true
}

// A nested Transaction is a savepoint: its error undoes its own writes
// only, and comes back unchanged.
func ExampleRegistry_Transaction() {
	db := openDB()
	reg := scoped.New(db)
	errOutOfStock := errors.New("out of stock")

	err := reg.Transaction(context.Background(), func(ctx context.Context) error {
		if err := reg.DB(ctx).Create(&Order{ID: 1, Status: "paid"}).Error; err != nil {
			return err
		}
		err := reg.Transaction(ctx, func(ctx context.Context) error {
			if err := reg.DB(ctx).Create(&Order{ID: 2, Status: "reserved"}).Error; err != nil {
				return err
			}
			return errOutOfStock
		})
		fmt.Println("inner:", err, errors.Is(err, errOutOfStock))
		return nil // keep order 1
	})
	if err != nil {
		log.Fatal(err)
	}
	var ids []uint
	if err := db.Model(&Order{}).Order("id").Pluck("id", &ids).Error; err != nil {
		log.Fatal(err)
	}
	fmt.Println("orders:", ids)
	// Output:
	// inner: out of stock true
	// orders: [1]
}

// Code that begins a transaction itself shares it with functions that use
// the registry; they nest in it and never commit it.
func ExampleRegistry_WithTx() {
	db := openDB()
	reg := scoped.New(db)
	createOrder := func(ctx context.Context, id uint) error {
		return reg.Transaction(ctx, func(ctx context.Context) error {
			return reg.DB(ctx).Create(&Order{ID: id, Status: "new"}).Error
		})
	}

	tx := db.Begin()
	if tx.Error != nil {
		log.Fatal(tx.Error)
	}
	if err := createOrder(reg.WithTx(context.Background(), tx), 7); err != nil {
		log.Fatal(err)
	}
	var n int64
	tx.Model(&Order{}).Count(&n)
	fmt.Println("inside the caller's transaction:", n)
	if err := tx.Rollback().Error; err != nil { // the caller decides
		log.Fatal(err)
	}
	db.Model(&Order{}).Count(&n)
	fmt.Println("after its rollback:", n)
	// Output:
	// inside the caller's transaction: 1
	// after its rollback: 0
}

// Each request runs in a transaction that commits unless the handler
// answers with a server error or panics.
func ExampleRegistry_Middleware() {
	db := openDB()
	reg := scoped.New(db)
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if err := reg.DB(req.Context()).Create(&Order{ID: 1, Status: "new"}).Error; err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	logErr := func(req *http.Request, err error) { log.Printf("%s %s: %v", req.Method, req.URL, err) }
	srv := reg.Middleware(logErr)(handler)

	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/orders", nil))
	var n int64
	db.Model(&Order{}).Count(&n)
	fmt.Println(rec.Code, "orders:", n)
	// Output:
	// 201 orders: 1
}
