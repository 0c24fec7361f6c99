package gormpickle

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/serializer"
)

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
	if len(p.keys) > 0 {
		if err := serializer.Verify(data, p.keys); err != nil {
			return nil, err
		}
	} else if len(data) > 4 && data[4]&serializer.FlagSigned != 0 {
		// The header's flags byte says signed; Inspect reports a header
		// that is wrong in other ways first. Unsigned payloads have their
		// header checked once, by the decoder.
		if _, err := serializer.Inspect(data); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: payload is signed but no signing key is configured (gormpickle.WithSigningKey)", ErrSignature)
	}
	return serializer.Restore(p.registry, &p.options, db, data)
}
