package serializer

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them, so
// callers can test with errors.Is; messages name the model, field or Go type
// involved.
var (
	// ErrUnknownModel: a payload names a model the target has not registered.
	ErrUnknownModel = errors.New("gormpickle: unknown model")
	// ErrUnknownField: a payload names a field the target's model lacks.
	ErrUnknownField = errors.New("gormpickle: unknown field")
	// ErrCorrupt: malformed, truncated or inconsistent bytes.
	ErrCorrupt = errors.New("gormpickle: corrupt payload")
	// ErrVersion: a format version this build cannot read.
	ErrVersion = errors.New("gormpickle: unsupported format version")
	// ErrNotSerializable: a value that cannot be encoded (func, chan,
	// unregistered named type, ...).
	ErrNotSerializable = errors.New("gormpickle: not serializable")
	// ErrLimit: a payload exceeds a decode limit (size, depth, nodes,
	// collection or string length).
	ErrLimit = errors.New("gormpickle: decode limit exceeded")
	// ErrRawSQL: a payload carries raw SQL and the policy refuses it.
	ErrRawSQL = errors.New("gormpickle: raw SQL refused by policy")
	// ErrNotAllowed: a payload names a model or field outside the allow-list.
	ErrNotAllowed = errors.New("gormpickle: not allowed by policy")
	// ErrSignature: a signed payload's tag is missing or wrong.
	ErrSignature = errors.New("gormpickle: bad or missing signature")
	// ErrTypeMismatch: a value of a sound payload does not fit the type
	// the target gives it (a model field's type or serializer, a
	// registered type's Scan refused it): the target's model or type is
	// not the source's. See [ValueError].
	ErrTypeMismatch = errors.New("gormpickle: value does not fit the target's type")
)

// ValueError reports a payload value the target's type refused. It
// unwraps to [ErrTypeMismatch] and to the target's own error.
type ValueError struct {
	Model string // the model ID, for a model value's field
	Field string // the Go field name, for a model value's field
	Type  string // the Go type that refused the value
	Err   error
}

// Error names the model and field, or the type, and the target's error.
func (e *ValueError) Error() string {
	where := e.Type
	if e.Field != "" {
		where = fmt.Sprintf("model %s field %s", e.Model, e.Field)
	}
	return fmt.Sprintf("%v: %s: %v", ErrTypeMismatch, where, e.Err)
}

// Unwrap returns [ErrTypeMismatch] and the target's error.
func (e *ValueError) Unwrap() []error { return []error{ErrTypeMismatch, e.Err} }

// CorruptError reports malformed input and the byte offset where decoding
// stopped. It unwraps to [ErrCorrupt].
type CorruptError struct {
	Offset int
	Reason string
}

// Error describes the failure with its byte offset.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("gormpickle: corrupt payload at byte %d: %s", e.Offset, e.Reason)
}

// Unwrap returns [ErrCorrupt].
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// UnsupportedTypeError reports a Go value that cannot be encoded. It unwraps
// to [ErrNotSerializable].
type UnsupportedTypeError struct {
	Type   string // the Go type, as fmt %T prints it
	Where  string // where in the chain the value was met
	Reason string
}

// Error names the type, where it was met and why it cannot travel.
func (e *UnsupportedTypeError) Error() string {
	msg := fmt.Sprintf("gormpickle: cannot serialize %s", e.Type)
	if e.Where != "" {
		msg += " in " + e.Where
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns [ErrNotSerializable].
func (e *UnsupportedTypeError) Unwrap() error { return ErrNotSerializable }
