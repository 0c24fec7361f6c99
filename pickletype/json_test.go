package pickletype_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/gormpickle/gormpickle/pickletype"
)

type jsonPrefs struct {
	Theme string
	Tags  []string `json:"tags,omitempty"`
}

type jsonDoc struct {
	Prefs pickletype.Type[jsonPrefs]
	Ptr   pickletype.Type[*jsonPrefs]
	Map   pickletype.Type[map[string]int]
	List  pickletype.Type[[]int]
	Any   pickletype.Type[any]
}

// TestTypeJSON: a Type marshals as its value, as datatypes.JSONType does;
// nil-like values are null, and null reads back as the zero Type.
func TestTypeJSON(t *testing.T) {
	full := jsonDoc{
		Prefs: pickletype.Of(jsonPrefs{Theme: "dark", Tags: []string{"a"}}),
		Ptr:   pickletype.Of(&jsonPrefs{Theme: "light"}),
		Map:   pickletype.Of(map[string]int{"b": 2, "a": 1}),
		List:  pickletype.Of([]int{}),
		Any:   pickletype.Of[any]("x"),
	}
	for _, c := range []struct {
		name string
		doc  jsonDoc
		want string
	}{
		{"values", full, `{"Prefs":{"Theme":"dark","tags":["a"]},"Ptr":{"Theme":"light"},"Map":{"a":1,"b":2},"List":[],"Any":"x"}`},
		{"zero", jsonDoc{}, `{"Prefs":{"Theme":""},"Ptr":null,"Map":null,"List":null,"Any":null}`},
	} {
		b, err := json.Marshal(c.doc)
		if err != nil || string(b) != c.want {
			t.Fatalf("%s: Marshal = %s, %v\nwant %s", c.name, b, err, c.want)
		}
		var back jsonDoc
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, c.doc) {
			t.Fatalf("%s: Unmarshal = %+v, %v\nwant %+v", c.name, back, err, c.doc)
		}
	}
	// null resets what was there, as NULL does on Scan.
	doc := full
	if err := json.Unmarshal([]byte(`{"Prefs":null,"Ptr":null,"Map":null}`), &doc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(doc.Prefs, pickletype.Type[jsonPrefs]{}) || doc.Ptr.Data != nil || doc.Map.Data != nil {
		t.Fatalf("null did not give the zero Type: %+v", doc)
	}
	// A value of the wrong type is json's own error, and the Type keeps
	// its value.
	typed := pickletype.Of(jsonPrefs{Theme: "kept"})
	var typeErr *json.UnmarshalTypeError
	if err := json.Unmarshal([]byte(`{"Theme":1}`), &typed); !errors.As(err, &typeErr) {
		t.Fatalf("wrong type: %v, want *json.UnmarshalTypeError", err)
	}
	if typed.Data.Theme != "kept" {
		t.Fatalf("a failed Unmarshal changed the value: %+v", typed)
	}
}
