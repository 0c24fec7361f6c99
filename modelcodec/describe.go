package modelcodec

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/serializer"
)

// Description is a readable view of a model payload, for debugging.
type Description struct {
	Version     int    `json:"version"`
	Kind        string `json:"kind"` // "row" or "rows"
	Model       string `json:"model"`
	Fingerprint string `json:"fingerprint"` // 16 hex digits
	Bytes       int    `json:"bytes"`
	// Data holds the column values in schema order (for "rows", a list of
	// such lists), as they decode without the model: []byte values as
	// base64 strings, maps as lists of [key, value] pairs, times as
	// [seconds, nanoseconds, offset, zone, location].
	Data any `json:"data"`
}

// Describe decodes a model payload for display, without needing the
// model type. It checks and bounds the bytes as [Decode] does.
func Describe(data []byte) (*Description, error) {
	d, h, err := readModelHeader(data)
	if err != nil {
		return nil, err
	}
	body, err := d.anyValue()
	if err != nil {
		return nil, d.wrap(err)
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	desc := &Description{Version: modelVersion, Kind: "row", Model: h.id,
		Fingerprint: fmt.Sprintf("%016x", h.fingerprint), Bytes: len(data), Data: body}
	if h.kind == modelMany {
		desc.Kind = "rows"
	}
	return desc, nil
}

// DescribeJSON is [Describe] rendered as indented JSON (two
// spaces), the form `gormpickle inspect` prints.
func DescribeJSON(data []byte) ([]byte, error) {
	desc, err := Describe(data)
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(desc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("gormpickle: describe model payload: %w", err)
	}
	return out, nil
}

// anyValue reads any value this package writes, untyped, for display.
func (d *decoder) anyValue() (any, error) {
	d.nodes++
	if d.nodes > d.limits.MaxNodes {
		return nil, fmt.Errorf("%w: more than %d values", serializer.ErrLimit, d.limits.MaxNodes)
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > d.limits.MaxDepth {
		return nil, fmt.Errorf("%w: nesting deeper than %d", serializer.ErrLimit, d.limits.MaxDepth)
	}
	switch d.r.Peek() {
	case wire.Nil:
		return nil, d.r.ReadNil()
	case wire.Bool:
		return d.r.ReadBool()
	case wire.Int:
		if u, err := d.r.ReadUint(); err == nil {
			return u, nil // uint64 over its full range
		}
		return d.r.ReadInt()
	case wire.Float32:
		f, err := d.r.ReadFloat32()
		return jsonFloat(float64(f)), err
	case wire.Float64:
		f, err := d.r.ReadFloat64()
		return jsonFloat(f), err
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
			if out[i], err = d.anyValue(); err != nil {
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
			if out[i][0], err = d.anyValue(); err != nil {
				return nil, err
			}
			if out[i][1], err = d.anyValue(); err != nil {
				return nil, err
			}
		}
		return out, nil
	case wire.Invalid:
		return nil, d.r.Fail("truncated: unexpected end of input")
	}
	return nil, d.corrupt("unexpected %s", d.r.Peek())
}

// jsonFloat keeps NaN and infinities, which JSON numbers cannot hold, as
// strings.
func jsonFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return f
}
