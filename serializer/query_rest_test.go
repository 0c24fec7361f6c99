package serializer

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestRestoredRestCoversQuery: a statement restored as it is read writes
// its model, table, clauses, joins and preloads straight into the new
// statement (its stmtSink); every other decodedQuery field is left for
// apply, so setting any of them must make restoredRest report it. A field
// added to decodedQuery fails here until it is placed on one side or the
// other.
func TestRestoredRestCoversQuery(t *testing.T) {
	skip := map[string]bool{
		// Written into the statement as read, or only when decoding
		// without restoring.
		"ModelID": true, "Model": true, "ModelFields": true, "ModelRows": true, "Table": true, "Clauses": true,
		"Joins": true, "Preloads": true, "sink": true,
		// Reported through hasRaw.
		"Raw": true,
	}
	typ := reflect.TypeOf(decodedQuery{})
	for i := range typ.NumField() {
		field := typ.Field(i)
		if skip[field.Name] {
			continue
		}
		var q decodedQuery
		v := reflect.ValueOf(&q).Elem().Field(i)
		v = reflect.NewAt(field.Type, unsafe.Pointer(v.UnsafeAddr())).Elem() // unexported fields too
		switch field.Type.Kind() {
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Slice:
			v.Set(reflect.MakeSlice(field.Type, 0, 1))
		case reflect.Map:
			v.Set(reflect.MakeMap(field.Type))
		default:
			t.Fatalf("decodedQuery.%s (%s): teach this test to set it", field.Name, field.Type)
		}
		if !q.restoredRest() {
			t.Errorf("decodedQuery.%s set, but restoredRest reports nothing left to apply", field.Name)
		}
	}
}
