package serializer

import (
	"reflect"
	"testing"
)

// TestDescribeLabelsPreloadForms: a Preload function and the preload's own
// query nested in one both hold only a Query; describe output names which
// is which.
func TestDescribeLabelsPreloadForms(t *testing.T) {
	for _, v := range []any{&PreloadFunc{Query: &Query{}}, &PreloadQuery{Query: &Query{}}} {
		out, ok := describeValue(reflect.ValueOf(v)).(map[string]any)
		want := reflect.TypeOf(v).Elem().String()
		if !ok || out["$type"] != want {
			t.Errorf("describe %T = %v, want $type %q", v, out, want)
		}
	}
}
