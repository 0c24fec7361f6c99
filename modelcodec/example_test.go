package modelcodec_test

import (
	"errors"
	"fmt"

	"github.com/gormpickle/gormpickle/modelcodec"
)

func ExampleEncode() {
	type Product struct {
		ID    uint
		Name  string
		Price float64
	}
	data, err := modelcodec.Encode(&Product{ID: 1, Name: "lamp", Price: 19.99})
	if err != nil {
		panic(err)
	}
	var cached Product
	if err := modelcodec.Decode(data, &cached); err != nil {
		panic(err)
	}
	fmt.Println(cached.ID, cached.Name, cached.Price)
	// Output: 1 lamp 19.99
}

func ExampleDecode() {
	type Product struct {
		ID   uint
		Name string
	}
	type Order struct {
		ID    uint
		Total int
	}
	data, _ := modelcodec.Encode(&Product{ID: 1, Name: "lamp"})
	var o Order
	err := modelcodec.Decode(data, &o)
	switch {
	case errors.Is(err, modelcodec.ErrModelMismatch), errors.Is(err, modelcodec.ErrSchemaChanged):
		fmt.Println("cache miss:", errors.Is(err, modelcodec.ErrModelMismatch))
	case err != nil:
		fmt.Println("corrupt entry: delete it")
	}
	// Output: cache miss: true
}

func ExampleEncodeMany() {
	type Tag struct {
		ID   uint
		Name string
	}
	data, err := modelcodec.EncodeMany([]Tag{{1, "new"}, {2, "sale"}})
	if err != nil {
		panic(err)
	}
	var tags []*Tag
	if err := modelcodec.DecodeMany(data, &tags); err != nil {
		panic(err)
	}
	fmt.Println(len(tags), tags[0].Name, tags[1].Name)
	// Output: 2 new sale
}

func ExampleDescribeJSON() {
	type Tag struct {
		ID   uint
		Name string `gorm:"column:label"`
		Raw  []byte
	}
	data, _ := modelcodec.Encode(&Tag{ID: 1, Name: "new", Raw: []byte{1, 2}})
	out, err := modelcodec.DescribeJSON(data)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output:
	// {
	//   "version": 1,
	//   "kind": "row",
	//   "model": "modelcodec_test.Tag",
	//   "fingerprint": "814340a39c971ed9",
	//   "bytes": 46,
	//   "data": [
	//     1,
	//     "new",
	//     "AQI="
	//   ]
	// }
}
