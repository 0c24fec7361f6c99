package modelcodec

import (
	"fmt"
	"reflect"

	"github.com/gormpickle/gormpickle/serializer"
)

// Fingerprint returns the schema fingerprint of a model struct type (see
// the package documentation: a hash of its columns' names, Go types and
// serializers in schema order), the number a payload carries to refuse
// decoding into changed columns. Result caches put it in their keys, so
// that a deploy that changes a model never reads an entry written for the
// old one. Pointer types are dereferenced.
func Fingerprint(t reflect.Type) (uint64, error) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return 0, fmt.Errorf("%w: fingerprint of %v: not a struct", serializer.ErrNotSerializable, t)
	}
	s, err := modelShapeOf(t)
	if err != nil {
		return 0, err
	}
	return s.fingerprint, nil
}
