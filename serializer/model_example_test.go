package serializer_test

import (
	"errors"
	"fmt"

	"github.com/gormpickle/gormpickle/serializer"
)

func ExampleEncodeModel() {
	type Product struct {
		ID    uint
		Name  string
		Price float64
	}
	data, err := serializer.EncodeModel(&Product{ID: 1, Name: "lamp", Price: 19.99})
	if err != nil {
		panic(err)
	}
	var cached Product
	if err := serializer.DecodeModel(data, &cached); err != nil {
		panic(err)
	}
	fmt.Println(cached.ID, cached.Name, cached.Price)
	// Output: 1 lamp 19.99
}

func ExampleDecodeModel() {
	type Product struct {
		ID   uint
		Name string
	}
	type Order struct {
		ID    uint
		Total int
	}
	data, _ := serializer.EncodeModel(&Product{ID: 1, Name: "lamp"})
	var o Order
	err := serializer.DecodeModel(data, &o)
	switch {
	case errors.Is(err, serializer.ErrModelMismatch), errors.Is(err, serializer.ErrSchemaChanged):
		fmt.Println("cache miss:", errors.Is(err, serializer.ErrModelMismatch))
	case err != nil:
		fmt.Println("corrupt entry: delete it")
	}
	// Output: cache miss: true
}

func ExampleEncodeModels() {
	type Tag struct {
		ID   uint
		Name string
	}
	data, err := serializer.EncodeModels([]Tag{{1, "new"}, {2, "sale"}})
	if err != nil {
		panic(err)
	}
	var tags []*Tag
	if err := serializer.DecodeModels(data, &tags); err != nil {
		panic(err)
	}
	fmt.Println(len(tags), tags[0].Name, tags[1].Name)
	// Output: 2 new sale
}

func ExampleDescribeModelJSON() {
	type Tag struct {
		ID   uint
		Name string `gorm:"column:label"`
		Raw  []byte
	}
	data, _ := serializer.EncodeModel(&Tag{ID: 1, Name: "new", Raw: []byte{1, 2}})
	out, err := serializer.DescribeModelJSON(data)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output:
	// {
	//   "version": 1,
	//   "kind": "row",
	//   "model": "serializer_test.Tag",
	//   "fingerprint": "814340a39c971ed9",
	//   "bytes": 46,
	//   "data": [
	//     1,
	//     "new",
	//     "AQI="
	//   ]
	// }
}
