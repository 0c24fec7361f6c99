package pickletype

import (
	"bytes"
	"encoding/json"
)

// MarshalJSON writes Data as its own JSON, as go-gorm/datatypes' JSONType[T]
// does, so that a model returned by an API shows the value, not a
// {"Data": …} wrapper. A nil pointer, map, slice or interface is null. It
// implements json.Marshaler.
func (t Type[T]) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.Data)
}

// UnmarshalJSON reads what MarshalJSON writes: the value of Data, or null
// for the zero Type (as NULL scans). On error t is left unchanged. It
// implements json.Unmarshaler.
func (t *Type[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*t = Type[T]{}
		return nil
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	t.Data = out
	return nil
}
