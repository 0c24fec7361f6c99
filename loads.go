package gormpickle

import "gorm.io/gorm"

// Loads restores a payload written by [Dumps] as a chain rooted in db: db's
// dialect, naming strategy, plugins, context, connection and transaction.
// Models are resolved among those registered on db's plugin, and tables and
// columns through db's naming strategy. The result is an ordinary chain:
// extend it, branch it (branches do not leak into each other) and finish it
// with any finisher.
//
// With signing keys configured, Loads verifies the payload's tag before
// decoding anything and fails with [ErrSignature] on a missing or wrong tag.
func Loads(data []byte, db *gorm.DB) (*gorm.DB, error) {
	p, err := pluginOf(db)
	if err != nil {
		return nil, err
	}
	return codec.Restore(p.registry, &p.options, p.keys, db, data)
}
