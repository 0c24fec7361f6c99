// Package querycodec is how the root package reaches serializer's query
// codec without the codec's plumbing (encoder, decoder, restore) being part
// of serializer's public API, which holds only what users call.
//
// serializer fills in the codec in its init; this package cannot name
// serializer's types (serializer imports it), so the codec is generic in
// them and the root package gets it back with the same type arguments.
package querycodec

import "gorm.io/gorm"

// Codec is serializer's query codec for a registry type R and an options
// type O.
type Codec[R, O any] struct {
	// Encode writes a statement captured from a chain; explicitTable
	// reports whether the chain called Table (see ExplicitTable).
	Encode func(reg *R, stmt *gorm.Statement, explicitTable bool) ([]byte, error)
	// Restore verifies data against keys (when there are any; a signed
	// payload without keys is refused), decodes it under opts and
	// restores it as a new chain rooted in target.
	Restore func(reg *R, opts *O, keys [][]byte, target *gorm.DB, data []byte) (*gorm.DB, error)
	// CheckRenamedFields checks a WithRenamedFields mapping against the
	// models registered in reg, as db would resolve them.
	CheckRenamedFields func(reg *R, db *gorm.DB, renames map[string]map[string]string) error
}

var codec any

// Set installs the codec; serializer calls it once, in its init.
func Set[R, O any](c Codec[R, O]) { codec = c }

// Get returns the codec Set installed. R and O must be the types Set was
// called with; anything else is a programming error and panics.
func Get[R, O any]() Codec[R, O] { return codec.(Codec[R, O]) }

// ExplicitTable reports whether Table() was called on tx's chain. Call it
// before the chain runs: running it fills in the model's table, after
// which an explicit table and the model's own cannot be told apart.
func ExplicitTable(tx *gorm.DB) bool {
	return tx.Statement.TableExpr != nil || tx.Statement.Table != ""
}
