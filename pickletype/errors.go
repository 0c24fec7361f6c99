package pickletype

import (
	"errors"
	"fmt"
)

// Sentinel errors, usable with errors.Is.
var (
	// ErrCorrupt: the stored bytes are not a pickletype value, are
	// truncated, or the codec cannot decode them.
	ErrCorrupt = errors.New("pickletype: corrupt value")
	// ErrUnknownCodec: a codec name that is not registered.
	ErrUnknownCodec = errors.New("pickletype: unknown codec")
	// ErrTooLarge: a value larger than the configured maximum size.
	ErrTooLarge = errors.New("pickletype: value too large")
	// ErrEncode: the codec could not encode the value.
	ErrEncode = errors.New("pickletype: cannot encode value")
)

// FieldError says which field or type an error is about.
type FieldError struct {
	Field string // "Model.Field" for serializer fields, the Go type for Type[T]
	Op    string // "scan" or "value"
	Err   error
}

// Error describes the failure with the field and the operation.
func (e *FieldError) Error() string {
	return fmt.Sprintf("pickletype: %s %s: %v", e.Op, e.Field, e.Err)
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }
