package modelcodec

import (
	"sync/atomic"

	"github.com/gormpickle/gormpickle/internal/alloc"
	"github.com/gormpickle/gormpickle/serializer"
)

// Limits bound what [Decode], [DecodeMany] and [Describe] accept from a
// payload, which may come from a cache an attacker can write.
type Limits struct {
	// Limits bound the payload itself: its size (MaxBytes), nesting
	// (MaxDepth), values shown by Describe (MaxNodes), elements per
	// collection (MaxCollection) and bytes per string (MaxString); the
	// query codec's relation bounds do not apply. Zero fields take
	// [serializer.DefaultLimits]: 1 MiB payloads.
	serializer.Limits
	// MaxDecoded bounds the memory the decoded rows take: their structs,
	// strings, byte slices, slices, maps and pointed-to values, counted
	// before each is allocated. 0 means 16 times Limits.MaxBytes (16 MiB
	// by default): rows take about twice their payload, and only values
	// written to inflate a reader's memory (a nil slice is one payload
	// byte and a 24-byte header) come near 16 times.
	MaxDecoded int
}

// current holds the limits in use, defaults filled in when set, so that
// decoding pays nothing to fill them.
var current atomic.Pointer[Limits]

func init() { SetLimits(Limits{}) }

// SetLimits sets the limits of model payload decoding for the process.
// Zero fields take the defaults. Call it during initialization.
func SetLimits(l Limits) {
	l = l.withDefaults()
	current.Store(&l)
}

// CurrentLimits returns the limits model payloads are decoded under,
// defaults filled in.
func CurrentLimits() Limits { return *current.Load() }

// withDefaults fills zero fields: the payload bounds from
// serializer.DefaultLimits, MaxDecoded from the filled MaxBytes.
func (l Limits) withDefaults() Limits {
	def := serializer.DefaultLimits()
	fill := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	fill(&l.MaxBytes, def.MaxBytes)
	fill(&l.MaxDepth, def.MaxDepth)
	fill(&l.MaxNodes, def.MaxNodes)
	fill(&l.MaxCollection, def.MaxCollection)
	fill(&l.MaxString, def.MaxString)
	fill(&l.MaxRelationDepth, def.MaxRelationDepth)
	fill(&l.MaxJoins, def.MaxJoins)
	fill(&l.MaxPreloads, def.MaxPreloads)
	fill(&l.MaxDecoded, alloc.Factor*l.MaxBytes)
	return l
}
