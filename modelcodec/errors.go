package modelcodec

import "errors"

// Sentinel errors of the model codec. Both mean the payload is sound but
// not for the reading model: caches should treat them as a miss. The
// gormpickle package re-exports them.
var (
	// ErrModelMismatch: a model payload was written for another model, or
	// is a list decoded as one row (or the reverse).
	ErrModelMismatch = errors.New("gormpickle: model mismatch")
	// ErrSchemaChanged: a model payload was written for an older or newer
	// shape of the same model (columns added, removed or retyped).
	ErrSchemaChanged = errors.New("gormpickle: model schema changed")
)
