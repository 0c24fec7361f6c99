package serializer

import (
	"database/sql"
	"fmt"
	"math"
)

// tagged reads [tag, ...].
func (d *decoder) tagged() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	v, err := d.taggedValue()
	d.leave()
	return v, err
}

func (d *decoder) taggedValue() (any, error) {
	tag, n, err := d.tagHeader()
	if err != nil {
		return nil, err
	}
	return d.taggedBody(tag, n)
}

// tagHeader reads a tagged value's length and tag and checks its arity.
func (d *decoder) tagHeader() (tag int64, n int, err error) {
	var ok bool
	if n, ok = d.r.FixArray(); !ok {
		if n, err = d.r.ReadArrayLen(); err != nil {
			return 0, 0, err
		}
	}
	if n == 0 {
		return 0, 0, d.corrupt("empty tagged value")
	}
	if tag, ok = d.r.FixInt(); !ok {
		if tag, err = d.r.ReadInt(); err != nil {
			return 0, 0, err
		}
	}
	if tag <= 0 || tag >= tagCount {
		return 0, 0, d.corrupt("unknown value tag %d", tag)
	}
	if !tagFits(tag, n) {
		return 0, 0, d.corrupt("value tag %d with %d elements", tag, n)
	}
	return tag, n, nil
}

// tagFits reports whether tag is known and may have n elements.
func tagFits(tag int64, n int) bool {
	return tag > 0 && tag < tagCount && n >= tagMinLen[tag] && n <= tagMaxLen[tag]
}

// tagMinLen and tagMaxLen are the element counts each tag allows,
// from tagArity and tagMaxArity.
var tagMinLen, tagMaxLen = func() (lo, hi [tagCount]int) {
	for tag := 1; tag < tagCount; tag++ {
		switch want := tagArity[tag]; {
		case want > 0:
			lo[tag], hi[tag] = want, want
		default:
			lo[tag], hi[tag] = -want, math.MaxInt
			if tagMaxArity[tag] > 0 {
				hi[tag] = tagMaxArity[tag]
			}
		}
	}
	return lo, hi
}()

// taggedBody reads the rest of a tagged value whose header was read.
func (d *decoder) taggedBody(tag int64, n int) (any, error) {
	switch tag {
	case tInt8, tInt16, tInt32, tInt64:
		i, err := d.r.ReadInt()
		if err != nil {
			return nil, err
		}
		return d.signed(tag, i)
	case tUint, tUint8, tUint16, tUint32, tUint64, tUintptr:
		u, err := d.r.ReadUint()
		if err != nil {
			return nil, err
		}
		return d.unsigned(tag, u)
	case tFloat32:
		return d.r.ReadFloat32()
	case tTime:
		return d.time()
	case tSlice:
		return d.slice(n - 2)
	case tArray:
		return d.array(n - 3)
	case tMap:
		if (n-3)%2 != 0 {
			return nil, d.corrupt("map with an odd number of elements")
		}
		return d.mapValue((n - 3) / 2)
	case tStruct:
		if n%2 != 0 {
			return nil, d.corrupt("struct with an odd number of elements")
		}
		v, err := d.structValue((n - 2) / 2)
		if err == nil {
			err = d.checkRegistered(v)
		}
		return v, err
	case tNamed:
		v, err := d.named()
		if err == nil {
			err = d.checkRegistered(v)
		}
		return v, err
	case tValuer:
		v, err := d.valuer()
		if err == nil {
			err = d.checkRegistered(v)
		}
		return v, err
	case tNamedArg:
		return d.namedArg()
	case tSubquery:
		return d.subquery()
	case tPreloadFunc:
		return d.preloadFunc()
	case tPreloadTx:
		return d.preloadQuery()
	}
	if tag == tRef {
		return d.reference()
	}
	return d.clauseValue(tag, n)
}

func (d *decoder) namedArg() (any, error) {
	name, err := d.str()
	if err != nil {
		return nil, err
	}
	if d.strict {
		return nil, refuse(ErrNotAllowed, "named argument", name, "GORM binds a named argument outside a named expression without a placeholder, shifting every later value")
	}
	v, err := d.value()
	return sql.Named(name, v), err
}

// subquery reads a *gorm.DB argument: restored as a *gorm.DB on a target
// DB, else as a subqueryValue holding its query tree.
func (d *decoder) subquery() (any, error) {
	hint := d.relationHint()
	d.hint = hint
	if d.target != nil {
		_, tx, err := d.restoreStatement()
		if err == nil && hint == nil {
			err = d.checkSubquerySelect(tx.Statement)
		}
		if err != nil {
			return nil, err
		}
		return tx, nil
	}
	q, err := d.statement()
	if err != nil {
		return nil, err
	}
	return &subqueryValue{Query: q}, nil
}

// reference reads [tRef, referencer, id] and resolves the ID on the target.
func (d *decoder) reference() (any, error) {
	name, err := d.sym()
	if err != nil {
		return nil, err
	}
	id, err := d.str()
	if err != nil {
		return nil, err
	}
	ref, ok := d.reg.referencer(name)
	if !ok {
		if d.target == nil {
			return map[string]any{"$ref": name, "id": id}, nil
		}
		return nil, fmt.Errorf("%w: payload references %q through referencer %q, which is not registered on this DB", ErrUnknownModel, id, name)
	}
	v, err := ref.Resolve(id)
	if err != nil {
		return nil, fmt.Errorf("gormpickle: referencer %q cannot resolve %q: %w", name, id, err)
	}
	return v, nil
}

// tagArity is the element count of each tag (including the tag); a negative
// number is a minimum for variable-length tags.
var tagArity = [tagCount]int{
	tInt8: 2, tInt16: 2, tInt32: 2, tInt64: 2, tUint: 2, tUint8: 2, tUint16: 2, tUint32: 2, tUint64: 2, tUintptr: 2,
	tFloat32: 2, tTime: 6, tSlice: -2, tArray: -3, tMap: -3, tStruct: -2, tNamed: 3, tNamedArg: 3,
	tSubquery: 2, tPreloadFunc: 2, tExpr: -2, tNamedExpr: 3, tEq: 3, tNeq: 3, tGt: 3, tGte: 3, tLt: 3,
	tLte: 3, tLike: 3, tIN: 3, tWhere: 2, tAnd: 2, tOr: 2, tNot: 2, tColumn: -4, tTable: 4, tSelect: 4,
	tComma: 2, tFrom: 3, tJoin: 6, tGroupBy: 3, tOrderBy: -2, tOrderByColumn: 2, tLimit: -2, tLocking: 4,
	tReturning: 2, tOnConflict: 8, tSet: 2, tAssignment: 3, tInsert: 3, tValues: 3, tUpdate: 3,
	tDelete: 2, tClause: 6, tRef: 3, tValuer: 3, tPreloadTx: 2,
}

// tagMaxArity bounds the variable-length tags whose trailing elements may
// be left out (version 2): the full length.
var tagMaxArity = [tagCount]int{tExpr: 4, tOrderBy: 3, tLimit: 3}
