package gormpickle_test

import (
	"errors"
	"fmt"

	"github.com/gormpickle/gormpickle"
)

// Run your test suite with the shadow check on before storing queries:
// every statement is dumped, loaded and rendered again, and each one that
// does not come back as it was is reported.
func ExampleWithShadowCheck() {
	var found []gormpickle.Divergence
	db := openExampleDB(gormpickle.WithShadowCheck(func(d gormpickle.Divergence) {
		found = append(found, d)
	}))

	var users []User
	db.Where("name <> ?", "ed").Preload("Addresses").Order("id").Find(&users)
	fmt.Println(len(users), "users,", len(found), "divergences")

	// A value of a type no registry knows cannot travel: Dumps would
	// refuse it, and the shadow check says so.
	type nickname string
	db.Where("name = ?", nickname("ed")).Find(&users)
	for _, d := range found {
		fmt.Println(d.Kind, d.Processor, errors.Is(d.Err, gormpickle.ErrNotSerializable))
	}
	// Output:
	// 2 users, 0 divergences
	// unsupported query true
}
