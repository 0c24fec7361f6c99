package gormpickle

import (
	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/modelcodec"
	"github.com/gormpickle/gormpickle/serializer"
)

// Errors of the model codec ([EncodeModel], [DecodeModel] and their list
// forms), the modelcodec package's sentinels under the names of this one.
var (
	// ErrModelMismatch: the model payload was written for another model,
	// or is a list decoded as one row (or the reverse). A cache miss.
	// [LoadsG] returns it too, for a query payload whose model is not
	// its T (or that has none), naming both.
	ErrModelMismatch = modelcodec.ErrModelMismatch
	// ErrSchemaChanged: the model's columns changed since the payload was
	// written. A cache miss.
	ErrSchemaChanged = modelcodec.ErrSchemaChanged
)

// RegistryOf returns the model and type registry of the gormpickle plugin
// installed on db (the one [Plugin.Registry] returns), so that code
// holding only a *gorm.DB reaches it. Sessions and transactions derived
// from db share it. It fails with [ErrNoPlugin] when db is nil or has no
// plugin installed.
func RegistryOf(db *gorm.DB) (*serializer.Registry, error) {
	p, err := pluginOf(db)
	if err != nil {
		return nil, err
	}
	return p.registry, nil
}

// EncodeModel returns a cacheable payload of one row, model (a non-nil
// pointer to a struct GORM can parse), naming the model by its ID in the
// registry of the plugin installed on db: the ID given with [NamedModel],
// else its package and type name. Only the plugin's registry is read; db
// runs no statement. It fails with [ErrNoPlugin] when no plugin is
// installed on db; otherwise it is [modelcodec.EncodeWith], which
// documents what is written.
//
// Decode the payload with [DecodeModel] on a DB whose plugin registers the
// model under the same ID (this one, or another process's).
func EncodeModel(db *gorm.DB, model any) ([]byte, error) {
	reg, err := RegistryOf(db)
	if err != nil {
		return nil, err
	}
	return modelcodec.EncodeWith(reg, model)
}

// EncodeModels is [EncodeModel] for a result set: rows is a slice or array
// of one model's structs or pointers to them (or a pointer to such a
// slice).
func EncodeModels(db *gorm.DB, rows any) ([]byte, error) {
	reg, err := RegistryOf(db)
	if err != nil {
		return nil, err
	}
	return modelcodec.EncodeManyWith(reg, rows)
}

// DecodeModel restores a payload written by [EncodeModel] into dst, a
// non-nil pointer to the same model type, checking the payload's model ID
// against the registry of the plugin installed on db. The row is detached:
// its relationships are empty.
//
// It fails with [ErrNoPlugin] when no plugin is installed on db, with
// [ErrModelMismatch] or [ErrSchemaChanged] for a payload of another model
// or of older columns (caches treat both as a miss), and otherwise as
// [modelcodec.DecodeWith] does; decoding is bounded by
// [modelcodec.CurrentLimits], not by the plugin's [WithLimits]. On
// any error dst is left unchanged.
func DecodeModel(db *gorm.DB, data []byte, dst any) error {
	reg, err := RegistryOf(db)
	if err != nil {
		return err
	}
	return modelcodec.DecodeWith(reg, data, dst)
}

// DecodeModels restores a payload written by [EncodeModels] into dst, a
// pointer to a slice of the model or of pointers to it. It fails as
// [DecodeModel] does and leaves dst unchanged on error.
func DecodeModels(db *gorm.DB, data []byte, dst any) error {
	reg, err := RegistryOf(db)
	if err != nil {
		return err
	}
	return modelcodec.DecodeManyWith(reg, data, dst)
}
