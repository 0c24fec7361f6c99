package serializer

import (
	"fmt"
	"math"

	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// countNode counts one value against the node limit.
func (d *decoder) countNode() error {
	d.nodes++
	if d.nodes > d.limits.MaxNodes {
		return d.tooManyNodes()
	}
	return nil
}

// tooManyNodes is countNode's error, out of line so that countNode inlines.
func (d *decoder) tooManyNodes() error {
	return fmt.Errorf("%w: more than %d values", ErrLimit, d.limits.MaxNodes)
}

// value reads one value written by encoder.value.
func (d *decoder) value() (any, error) {
	if err := d.countNode(); err != nil {
		return nil, err
	}
	if s, ok := d.r.FixStr(); ok {
		return s, nil
	}
	switch d.r.Peek() {
	case wire.Nil:
		return nil, d.r.ReadNil()
	case wire.Bool:
		return d.r.ReadBool()
	case wire.Int:
		i, err := d.r.ReadInt()
		if err != nil {
			return nil, err
		}
		if i < math.MinInt || i > math.MaxInt {
			return nil, d.corrupt("integer %d overflows int", i)
		}
		return int(i), nil
	case wire.Float64:
		return d.r.ReadFloat64()
	case wire.Float32:
		return d.r.ReadFloat32()
	case wire.Str:
		return d.r.ReadString()
	case wire.Bin:
		return d.r.ReadBytes()
	case wire.Array:
		return d.tagged()
	}
	return nil, d.corrupt("unexpected %s value", d.r.Peek())
}

func (d *decoder) anys() ([]any, error) {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		return nil, nil
	}
	var err error
	out := d.makeAnys(n)
	for i := range out {
		if out[i], err = d.value(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// makeAnys returns a []any of n elements. Short ones are cut from a slab
// allocated per payload: statements hold many short var lists.
func (d *decoder) makeAnys(n int) []any { return cut(d, &d.anySlab, n) }

// makeExpressions is makeAnys for expression lists.
func (d *decoder) makeExpressions(n int) []clause.Expression { return cut(d, &d.exprSlab, n) }

// cut returns n elements cut from *slab, one of d's slabs, which newSlabs
// refills when it is short; longer lists get their own allocation. The
// result's capacity is its length, so an append cannot write into a
// neighbour.
func cut[T any](d *decoder, slab *[]T, n int) []T {
	if n > maxSlabList {
		return make([]T, n)
	}
	for len(*slab)+n > cap(*slab) {
		d.newSlabs() // a frame's first slab may be short of n; the next is not
	}
	start := len(*slab)
	*slab = (*slab)[:start+n]
	return (*slab)[start : start+n : start+n]
}

// maxSlabList is the longest list cut from a slab.
const maxSlabList = 2

// Slabs are allocated in pairs, one allocation for both kinds: a payload
// with a condition has a var list and an expression list. A restored
// payload's first lists are cut from its frame (see frame.lists); after
// that, a payload under smallPayload bytes gets pairs with room for one
// short list of each kind (64 bytes: such a payload rarely holds more, and
// every byte allocated costs the collector), a larger one room for two. A
// refill of one kind also refills the other if it has no room for a short
// list.
type (
	smallSlabs struct {
		anys  [maxSlabList]any
		exprs [maxSlabList]clause.Expression
	}
	slabs struct {
		anys  [2 * maxSlabList]any
		exprs [2 * maxSlabList]clause.Expression
	}
)

// smallPayload is the body size under which slabs are small.
const smallPayload = 128

func (d *decoder) newSlabs() {
	var anys []any
	var exprs []clause.Expression
	first := d.anySlab == nil && d.exprSlab == nil
	if f, ok := d.scopeBuf[0].sink.(*frame); first && ok {
		// The restored statement's frame has room for the first lists
		// (scope 0 is the top statement's: lists are only read inside one).
		anys, exprs = f.lists.anys[:0], f.lists.exprs[:0]
	} else if d.r.Len() < smallPayload {
		s := new(smallSlabs)
		anys, exprs = s.anys[:0], s.exprs[:0]
	} else {
		s := new(slabs)
		anys, exprs = s.anys[:0], s.exprs[:0]
	}
	refillAnys := cap(d.anySlab)-len(d.anySlab) < maxSlabList
	refillExprs := cap(d.exprSlab)-len(d.exprSlab) < maxSlabList
	switch {
	case refillAnys && refillExprs:
		d.anySlab, d.exprSlab = anys, exprs // one pointer write for both
	case refillAnys:
		d.anySlab = anys
	default:
		d.exprSlab = exprs
	}
}
