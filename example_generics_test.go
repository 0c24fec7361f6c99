package gormpickle_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
)

func ExampleDumpsG() {
	db := openExampleDB()
	ctx := context.Background()
	// A chain of GORM's generics API, with a PreloadBuilder function.
	search := gorm.G[User](db).Where("id > ?", 7).Order("id").
		Preload("Addresses", func(pb gorm.PreloadBuilder) error {
			pb.Where("email LIKE ?", "%.com").Order("email")
			return nil
		})
	data, err := gormpickle.DumpsG(search)
	if err != nil {
		log.Fatal(err)
	}
	// The payload is the same format as Dumps': Loads restores it as a
	// traditional chain.
	restored, err := gormpickle.Loads(data, db)
	if err != nil {
		log.Fatal(err)
	}
	var users []User
	if err := restored.WithContext(ctx).Find(&users).Error; err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.Name, u.Addresses[0].Email)
	}
	// Output:
	// ed ed@lala.com
	// fred fred@fred.com
}

func ExampleLoadsG() {
	db := openExampleDB()
	ctx := context.Background()
	// Dumped with the traditional API (or with DumpsG)...
	data, err := gormpickle.Dumps(db.Model(&User{}).Where("name <> ?", "jack"))
	if err != nil {
		log.Fatal(err)
	}
	// ...loaded as a generics chain of the same model, extended and run.
	q, err := gormpickle.LoadsG[User](data, db)
	if err != nil {
		log.Fatal(err)
	}
	n, err := q.Count(ctx, "*")
	if err != nil {
		log.Fatal(err)
	}
	first, err := q.Order("name").First(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, first.Name)
	// Another model than the payload's is refused.
	_, err = gormpickle.LoadsG[Address](data, db)
	fmt.Println(errors.Is(err, gormpickle.ErrModelMismatch))
	// Output:
	// 2 ed
	// true
}
