package serializer

import (
	"fmt"
	"reflect"
	"testing"
)

// Twenty model types: more than maxModelList.
type (
	lookupModel0  struct{ ID int }
	lookupModel1  struct{ ID int }
	lookupModel2  struct{ ID int }
	lookupModel3  struct{ ID int }
	lookupModel4  struct{ ID int }
	lookupModel5  struct{ ID int }
	lookupModel6  struct{ ID int }
	lookupModel7  struct{ ID int }
	lookupModel8  struct{ ID int }
	lookupModel9  struct{ ID int }
	lookupModel10 struct{ ID int }
	lookupModel11 struct{ ID int }
	lookupModel12 struct{ ID int }
	lookupModel13 struct{ ID int }
	lookupModel14 struct{ ID int }
	lookupModel15 struct{ ID int }
	lookupModel16 struct{ ID int }
	lookupModel17 struct{ ID int }
	lookupModel18 struct{ ID int }
	lookupModel19 struct{ ID int }
)

var lookupModels = []any{
	&lookupModel0{},
	&lookupModel1{},
	&lookupModel2{},
	&lookupModel3{},
	&lookupModel4{},
	&lookupModel5{},
	&lookupModel6{},
	&lookupModel7{},
	&lookupModel8{},
	&lookupModel9{},
	&lookupModel10{},
	&lookupModel11{},
	&lookupModel12{},
	&lookupModel13{},
	&lookupModel14{},
	&lookupModel15{},
	&lookupModel16{},
	&lookupModel17{},
	&lookupModel18{},
	&lookupModel19{},
}

// TestModelByNameListAndMap: a payload's model ID is found by listing
// while few models are registered and through the map past
// maxModelList; both find every model, and neither finds an unknown ID.
func TestModelByNameListAndMap(t *testing.T) {
	reg := NewRegistry()
	types := map[string]reflect.Type{}
	if len(lookupModels) <= maxModelList {
		t.Fatalf("the test needs more than %d models", maxModelList)
	}
	for i, model := range lookupModels {
		typ := reflect.TypeOf(model).Elem()
		id := fmt.Sprintf("M%d", i)
		if err := reg.RegisterModel(NamedModel(id, model)); err != nil {
			t.Fatal(err)
		}
		types[id] = typ
		listed := reg.snap.Load().models != nil
		if want := i < maxModelList; listed != want {
			t.Fatalf("with %d models: listed = %v, want %v", i+1, listed, want)
		}
		for id, typ := range types {
			if got, current, ok := reg.modelByName([]byte(id)); !ok || got != typ || current != "" {
				t.Fatalf("with %d models: modelByName(%s) = %v, %q, %v", i+1, id, got, current, ok)
			}
		}
		if _, _, ok := reg.modelByName([]byte("M")); ok {
			t.Fatalf("with %d models: an unknown ID was found", i+1)
		}
	}
}
