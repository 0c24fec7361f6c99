package serializer

import (
	"reflect"
	"testing"
)

// TestDescribeLabelsPreloadForms: a Preload function and the preload's own
// query nested in one both hold only a Query; describe output names which
// is which.
func TestDescribeLabelsPreloadForms(t *testing.T) {
	for v, want := range map[any]string{&preloadFuncValue{Query: &decodedQuery{}}: "PreloadFunc", &preloadQueryValue{Query: &decodedQuery{}}: "PreloadQuery"} {
		out, ok := describeValue(reflect.ValueOf(v)).(map[string]any)
		if !ok || out["$type"] != want {
			t.Errorf("describe %T = %v, want $type %q", v, out, want)
		}
	}
}
