// Package typeid holds the type naming shared by the query codec
// (serializer) and the model codec (modelcodec), so that both read the IDs
// payloads of earlier releases carry.
package typeid

import "reflect"

// Legacy is the default ID of releases before format version 2: the full
// package path and type name. Readers still accept it, so payloads stored
// by those releases keep loading.
func Legacy(t reflect.Type) string {
	if t.PkgPath() == "" {
		return t.Name()
	}
	return t.PkgPath() + "." + t.Name()
}
