package gormpickle

import (
	"errors"

	"github.com/gormpickle/gormpickle/internal/capture"
	"github.com/gormpickle/gormpickle/serializer"
)

// Errors returned by [Dumps] and [Loads]. They are the serializer package's
// sentinels, so errors.Is works with either name.
var (
	// ErrUnknownModel: the payload names a model the target has not registered.
	ErrUnknownModel = serializer.ErrUnknownModel
	// ErrUnknownField: the payload names a field the target's model lacks.
	ErrUnknownField = serializer.ErrUnknownField
	// ErrCorrupt: malformed, truncated or inconsistent bytes.
	ErrCorrupt = serializer.ErrCorrupt
	// ErrVersion: a format version this build cannot read.
	ErrVersion = serializer.ErrVersion
	// ErrNotSerializable: Dumps met a value it cannot encode.
	ErrNotSerializable = serializer.ErrNotSerializable
	// ErrLimit: the payload exceeds a decode limit.
	ErrLimit = serializer.ErrLimit
	// ErrRawSQL: the payload carries raw SQL and the plugin refuses it.
	ErrRawSQL = serializer.ErrRawSQL
	// ErrNotAllowed: the payload names a model or field outside the allow-list.
	ErrNotAllowed = serializer.ErrNotAllowed
	// ErrSignature: the payload's signature is missing or wrong.
	ErrSignature = serializer.ErrSignature
	// ErrTypeMismatch: a value of the payload does not fit the type the
	// target gives it (its model or a value type changed).
	ErrTypeMismatch = serializer.ErrTypeMismatch
)

// ErrSigningKey is returned by db.Use for a plugin configured with no
// signing key, an empty one or one shorter than [MinKeyLen].
var ErrSigningKey = errors.New("gormpickle: unusable signing key")

// PolicyError reports the payload slot the load policy refused; it
// unwraps to ErrRawSQL, ErrNotAllowed or ErrLimit.
type PolicyError = serializer.PolicyError

// ValueError reports a payload value the target's type refused; it
// unwraps to ErrTypeMismatch and to the target's error.
type ValueError = serializer.ValueError

// ErrNoPlugin is returned by Dumps and Loads on a *gorm.DB on which the
// plugin is not installed.
var ErrNoPlugin = capture.ErrNotInstalled
