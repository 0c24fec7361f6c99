package serializer

import "gorm.io/gorm"

// Doors for the external tests (package serializer_test) to the codec's
// plumbing, which is not part of the package's API.

// Restore restores data on target, as Loads does without signing keys.
func Restore(reg *Registry, opts *Options, target *gorm.DB, data []byte) (*gorm.DB, error) {
	return restorePayload(reg, opts, nil, target, data)
}

// Decode decodes data: on target, or for display with a nil target.
func Decode(reg *Registry, opts Options, target *gorm.DB, data []byte) error {
	_, err := newDecoder(reg, opts, target).decode(data)
	return err
}

// Encode writes stmt as Dumps does.
func Encode(reg *Registry, stmt *gorm.Statement, explicitTable bool) ([]byte, error) {
	return newEncoder(reg).encodeStatement(stmt, explicitTable)
}
