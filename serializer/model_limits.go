package serializer

import "sync/atomic"

// ModelLimits bound what [DecodeModel], [DecodeModels] and
// [DescribeModel] accept from a payload, which may come from a cache an
// attacker can write.
type ModelLimits struct {
	// Limits bound the payload itself: its size (MaxBytes), nesting,
	// elements per collection and bytes per string. Zero fields take
	// [DefaultLimits]: 1 MiB payloads.
	Limits
	// MaxDecoded bounds the memory the decoded rows take: their structs,
	// strings, byte slices, slices, maps and pointed-to values, counted
	// before each is allocated. 0 means 16 times Limits.MaxBytes (16 MiB
	// by default): rows take about twice their payload, and only values
	// written to inflate a reader's memory (a nil slice is one payload
	// byte and a 24-byte header) come near 16 times.
	MaxDecoded int
}

var modelLimits atomic.Pointer[ModelLimits]

func init() { modelLimits.Store(&ModelLimits{}) }

// SetModelLimits sets the limits of model payload decoding for the
// process. Zero fields take the defaults. Call it during initialization.
func SetModelLimits(l ModelLimits) { modelLimits.Store(&l) }

// CurrentModelLimits returns the limits model payloads are decoded under,
// defaults filled in.
func CurrentModelLimits() ModelLimits { return modelLimits.Load().withDefaults() }

func (l ModelLimits) withDefaults() ModelLimits {
	l.Limits = l.Limits.withDefaults()
	if l.MaxDecoded <= 0 {
		l.MaxDecoded = allocFactor * l.MaxBytes
	}
	return l
}
