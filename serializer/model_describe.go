package serializer

import (
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
)

// ModelDescription is a readable view of a model payload.
type ModelDescription struct {
	Version     int    `json:"version"`
	Kind        string `json:"kind"` // "row" or "rows"
	Model       string `json:"model"`
	Fingerprint string `json:"fingerprint"`
	Bytes       int    `json:"bytes"`
	// Data holds the column values in schema order (a list of such lists
	// for "rows"), as MessagePack decodes them without the model: times
	// are [seconds, nanoseconds, offset, zone, location].
	Data any `json:"data"`
}

// DescribeModel decodes a model payload for display, without needing the
// model type (`gormpickle inspect` uses it).
func DescribeModel(data []byte) (*ModelDescription, error) {
	if len(data) < len(modelMagic)+2 || string(data[:len(modelMagic)]) != modelMagic {
		return nil, &CorruptError{Offset: 0, Reason: "not a gormpickle model payload (bad magic)"}
	}
	if data[3] != modelVersion {
		return nil, fmt.Errorf("%w: model payload has version %d, this build reads version %d", ErrVersion, data[3], modelVersion)
	}
	if len(data) > DefaultLimits().MaxBytes {
		return nil, fmt.Errorf("%w: payload of %d bytes", ErrLimit, len(data))
	}
	var body []any
	if err := msgpack.Unmarshal(data[5:], &body); err != nil {
		return nil, &CorruptError{Offset: 5, Reason: err.Error()}
	}
	if len(body) != 4 {
		return nil, &CorruptError{Offset: 5, Reason: fmt.Sprintf("model payload body of %d elements", len(body))}
	}
	d := &ModelDescription{Version: int(data[3]), Bytes: len(data), Data: body[3]}
	d.Kind = "row"
	if k, ok := body[0].(int8); ok && k == modelMany {
		d.Kind = "rows"
	}
	d.Model, _ = body[1].(string)
	d.Fingerprint = fmt.Sprintf("%016x", body[2])
	return d, nil
}
