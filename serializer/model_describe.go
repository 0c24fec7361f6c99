package serializer

import (
	"errors"
	"fmt"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// ModelDescription is a readable view of a model payload.
type ModelDescription struct {
	Version     int    `json:"version"`
	Kind        string `json:"kind"` // "row" or "rows"
	Model       string `json:"model"`
	Fingerprint string `json:"fingerprint"`
	Bytes       int    `json:"bytes"`
	// Data holds the column values in schema order (a list of such lists
	// for "rows"), as they decode without the model: times are
	// [seconds, nanoseconds, offset, zone, location].
	Data any `json:"data"`
}

// DescribeModel decodes a model payload for display, without needing the
// model type (`gormpickle inspect` uses it). It is bounded like every
// decoder here.
func DescribeModel(data []byte) (*ModelDescription, error) {
	limits := DefaultLimits()
	if len(data) > limits.MaxBytes {
		return nil, fmt.Errorf("%w: payload of %d bytes exceeds the limit of %d", ErrLimit, len(data), limits.MaxBytes)
	}
	if len(data) < len(modelMagic)+2 || string(data[:len(modelMagic)]) != modelMagic {
		return nil, &CorruptError{Offset: 0, Reason: "not a gormpickle model payload (bad magic)"}
	}
	if data[3] != modelVersion {
		return nil, fmt.Errorf("%w: model payload has version %d, this build reads version %d", ErrVersion, data[3], modelVersion)
	}
	d := &modelDecoder{r: wire.NewReader(data[5:], wire.Limits{MaxCollection: limits.MaxCollection, MaxString: limits.MaxString}), limits: limits}
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return nil, d.wrap(err)
	}
	if n != 4 {
		return nil, d.corrupt("model payload body of %d elements", n)
	}
	kind, err := d.r.ReadInt()
	if err != nil {
		return nil, d.wrap(err)
	}
	id, err := d.r.ReadString()
	if err != nil {
		return nil, d.wrap(err)
	}
	fp, err := d.r.ReadUint()
	if err != nil {
		return nil, d.wrap(err)
	}
	nodes := 0
	body, err := d.anyValue(&nodes)
	if err != nil {
		return nil, d.wrap(err)
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	desc := &ModelDescription{Version: modelVersion, Kind: "row", Model: id, Fingerprint: fmt.Sprintf("%016x", fp), Bytes: len(data), Data: body}
	if kind == modelMany {
		desc.Kind = "rows"
	}
	return desc, nil
}

// errTooDeep stops anyValue at the depth limit.
var errTooDeep = errors.New("nesting too deep")

// anyValue reads any value this package writes, untyped, for display.
func (d *modelDecoder) anyValue(nodes *int) (any, error) {
	*nodes++
	if *nodes > d.limits.MaxNodes {
		return nil, fmt.Errorf("%w: more than %d values", ErrLimit, d.limits.MaxNodes)
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > d.limits.MaxDepth {
		return nil, fmt.Errorf("%w: %v", ErrLimit, errTooDeep)
	}
	switch d.r.Peek() {
	case wire.Nil:
		return nil, d.r.ReadNil()
	case wire.Bool:
		return d.r.ReadBool()
	case wire.Int:
		if i, err := d.r.ReadUint(); err == nil {
			return i, nil
		}
		return d.r.ReadInt()
	case wire.Float32:
		return d.r.ReadFloat32()
	case wire.Float64:
		return d.r.ReadFloat64()
	case wire.Str:
		return d.r.ReadString()
	case wire.Bin:
		return d.r.ReadBytes()
	case wire.Array:
		n, err := d.r.ReadArrayLen()
		if err != nil {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = d.anyValue(nodes); err != nil {
				return nil, err
			}
		}
		return out, nil
	case wire.Map:
		n, err := d.r.ReadMapLen()
		if err != nil {
			return nil, err
		}
		out := make([][2]any, n)
		for i := range out {
			if out[i][0], err = d.anyValue(nodes); err != nil {
				return nil, err
			}
			if out[i][1], err = d.anyValue(nodes); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, d.corrupt("unexpected %s", d.r.Peek())
}
