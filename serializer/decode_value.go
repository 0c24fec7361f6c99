package serializer

import (
	"database/sql"
	"fmt"
	"math"
	"reflect"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// countNode counts one value against the node limit.
func (d *Decoder) countNode() error {
	d.nodes++
	if d.nodes > d.limits.MaxNodes {
		return d.tooManyNodes()
	}
	return nil
}

// tooManyNodes is countNode's error, out of line so that countNode inlines.
func (d *Decoder) tooManyNodes() error {
	return fmt.Errorf("%w: more than %d values", ErrLimit, d.limits.MaxNodes)
}

// value reads one value written by Encoder.value.
func (d *Decoder) value() (any, error) {
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

func (d *Decoder) anys() ([]any, error) {
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
func (d *Decoder) makeAnys(n int) []any { return cut(d, &d.anySlab, n) }

// makeExpressions is makeAnys for expression lists.
func (d *Decoder) makeExpressions(n int) []clause.Expression { return cut(d, &d.exprSlab, n) }

// cut returns n elements cut from *slab, one of d's slabs, which newSlabs
// refills when it is short; longer lists get their own allocation. The
// result's capacity is its length, so an append cannot write into a
// neighbour.
func cut[T any](d *Decoder, slab *[]T, n int) []T {
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

func (d *Decoder) newSlabs() {
	var anys []any
	var exprs []clause.Expression
	first := d.anySlab == nil && d.exprSlab == nil
	if f := d.scopeBuf[0].frame; first && f != nil {
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
		d.anySlab, d.exprSlab = anys, exprs // one write barrier for both
	case refillAnys:
		d.anySlab = anys
	default:
		d.exprSlab = exprs
	}
}

// tagged reads [tag, ...].
func (d *Decoder) tagged() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	v, err := d.taggedValue()
	d.leave()
	return v, err
}

func (d *Decoder) taggedValue() (any, error) {
	tag, n, err := d.tagHeader()
	if err != nil {
		return nil, err
	}
	return d.taggedBody(tag, n)
}

// tagHeader reads a tagged value's length and tag and checks its arity.
func (d *Decoder) tagHeader() (tag int64, n int, err error) {
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
func (d *Decoder) taggedBody(tag int64, n int) (any, error) {
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
		name, err := d.str()
		if err != nil {
			return nil, err
		}
		if d.strict {
			return nil, refuse(ErrNotAllowed, "named argument", name, "GORM binds a named argument outside a named expression without a placeholder, shifting every later value")
		}
		v, err := d.value()
		return sql.Named(name, v), err
	case tSubquery:
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
		return &Subquery{Query: q}, nil
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

// reference reads [tRef, referencer, id] and resolves the ID on the target.
func (d *Decoder) reference() (any, error) {
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

func (d *Decoder) signed(tag, i int64) (any, error) {
	switch tag {
	case tInt8:
		if i >= math.MinInt8 && i <= math.MaxInt8 {
			return int8(i), nil
		}
	case tInt16:
		if i >= math.MinInt16 && i <= math.MaxInt16 {
			return int16(i), nil
		}
	case tInt32:
		if i >= math.MinInt32 && i <= math.MaxInt32 {
			return int32(i), nil
		}
	default:
		return i, nil
	}
	return nil, d.corrupt("integer %d out of range for tag %d", i, tag)
}

func (d *Decoder) unsigned(tag int64, u uint64) (any, error) {
	switch tag {
	case tUint:
		if u <= math.MaxUint {
			return uint(u), nil
		}
	case tUint8:
		if u <= math.MaxUint8 {
			return uint8(u), nil
		}
	case tUint16:
		if u <= math.MaxUint16 {
			return uint16(u), nil
		}
	case tUint32:
		if u <= math.MaxUint32 {
			return uint32(u), nil
		}
	case tUint64:
		return u, nil
	default:
		return uintptr(u), nil
	}
	return nil, d.corrupt("integer %d out of range for tag %d", u, tag)
}

// element decodes the next value into dst, converting it to dst's type.
func (d *Decoder) element(dst reflect.Value) error {
	// Large unsigned values are written untagged inside named types.
	if d.r.Peek() == wire.Int && isUnsigned(dst.Kind()) {
		u, err := d.r.ReadUint()
		if err != nil {
			return err
		}
		if dst.OverflowUint(u) {
			return d.corrupt("integer %d overflows %s", u, dst.Type())
		}
		dst.SetUint(u)
		return nil
	}
	v, err := d.value()
	if err != nil {
		return err
	}
	return d.assign(dst, v)
}

func isUnsigned(k reflect.Kind) bool {
	return k >= reflect.Uint && k <= reflect.Uintptr
}

// assign stores a decoded value into dst, converting between the decoded
// and the declared type where no information is lost.
func (d *Decoder) assign(dst reflect.Value, v any) error {
	if v == nil {
		if dst.Type() == expressionType {
			// GORM builds every expression of a list; a nil one panics there.
			return d.corrupt("nil clause expression in a collection")
		}
		switch dst.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
			dst.SetZero()
			return nil
		}
		return d.corrupt("nil for a value of type %s", dst.Type())
	}
	sv := reflect.ValueOf(v)
	st := sv.Type()
	if st == dst.Type() || dst.Kind() == reflect.Interface && st.Implements(dst.Type()) {
		dst.Set(sv)
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		p := reflect.New(dst.Type().Elem())
		if err := d.assign(p.Elem(), v); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if sv.CanInt() && !dst.OverflowInt(sv.Int()) {
			dst.SetInt(sv.Int())
			return nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if sv.CanUint() && !dst.OverflowUint(sv.Uint()) {
			dst.SetUint(sv.Uint())
			return nil
		}
		if sv.CanInt() && sv.Int() >= 0 && !dst.OverflowUint(uint64(sv.Int())) {
			dst.SetUint(uint64(sv.Int()))
			return nil
		}
	case reflect.Float32, reflect.Float64:
		if sv.CanFloat() {
			dst.SetFloat(sv.Float())
			return nil
		}
	case reflect.String:
		if st.Kind() == reflect.String {
			dst.SetString(sv.String())
			return nil
		}
	case reflect.Bool:
		if st.Kind() == reflect.Bool {
			dst.SetBool(sv.Bool())
			return nil
		}
	case reflect.Slice:
		if st.Kind() == reflect.Slice {
			out := reflect.MakeSlice(dst.Type(), sv.Len(), sv.Len())
			for i := 0; i < sv.Len(); i++ {
				if err := d.assign(out.Index(i), sv.Index(i).Interface()); err != nil {
					return err
				}
			}
			dst.Set(out)
			return nil
		}
	case reflect.Array:
		if (st.Kind() == reflect.Array || st.Kind() == reflect.Slice) && sv.Len() == dst.Len() {
			for i := 0; i < sv.Len(); i++ {
				if err := d.assign(dst.Index(i), sv.Index(i).Interface()); err != nil {
					return err
				}
			}
			return nil
		}
	case reflect.Map:
		if st.Kind() == reflect.Map {
			out := reflect.MakeMapWithSize(dst.Type(), sv.Len())
			iter := sv.MapRange()
			for iter.Next() {
				k := reflect.New(dst.Type().Key()).Elem()
				if err := d.assign(k, iter.Key().Interface()); err != nil {
					return err
				}
				val := reflect.New(dst.Type().Elem()).Elem()
				if err := d.assign(val, iter.Value().Interface()); err != nil {
					return err
				}
				out.SetMapIndex(k, val)
			}
			dst.Set(out)
			return nil
		}
	case reflect.Struct:
		if st.Kind() == reflect.Struct && st.ConvertibleTo(dst.Type()) {
			dst.Set(sv.Convert(dst.Type()))
			return nil
		}
	}
	return d.corrupt("a %s cannot hold a decoded %s", dst.Type(), st)
}

// clauseValue reads the clause package's types.
func (d *Decoder) clauseValue(tag int64, n int) (any, error) {
	if d.inTableExpr > 0 {
		return d.tableExprName(tag, n)
	}
	switch tag {
	case tColumn:
		return d.column(n)
	case tTable:
		return d.tableRef("table")
	case tOrderByColumn:
		return d.orderByColumn()
	case tAssignment:
		if d.strict {
			return nil, refuse(ErrNotAllowed, "clause value", "clause.Assignment", "write clauses are not accepted under the strict policy")
		}
		return d.assignment()
	}
	x, err := d.clauseExpr(tag, n)
	if x == nil {
		return nil, err
	}
	return x, err
}

// isClauseExpr reports whether a tag is one of the clause package's
// expression types, which clauseExpr reads.
func isClauseExpr(tag int64) bool {
	return tag >= 0 && tag < tagCount && clauseExprTags[tag]
}

var clauseExprTags = func() (t [tagCount]bool) {
	for tag := tExpr; tag <= tClause; tag++ {
		t[tag] = tag != tColumn && tag != tTable && tag != tOrderByColumn && tag != tAssignment
	}
	return t
}()

// clauseExpr reads the clause package's expression types. They come back
// as clause.Expression, which the statement's slots hold, so that no type
// assertion has to find them again.
func (d *Decoder) clauseExpr(tag int64, n int) (clause.Expression, error) {
	if d.inTableExpr > 0 {
		return nil, d.refuseInTableExpr(tag)
	}
	if d.strict && writeTags[tag] {
		return nil, refuse(ErrNotAllowed, "clause value", tagNames[tag], "write clauses are not accepted under the strict policy")
	}
	switch tag {
	case tExpr:
		var err error
		sql, ok := d.r.FixStr()
		if !ok {
			if sql, err = d.str(); err != nil {
				return nil, err
			}
		}
		if d.strict {
			return nil, d.rawRefused("SQL expression", sql)
		}
		x := clause.Expr{SQL: sql}
		if n > 2 {
			if x.Vars, err = d.anys(); err != nil {
				return nil, err
			}
		}
		if n > 3 {
			x.WithoutParentheses, err = d.r.ReadBool()
		}
		return x, err
	case tNamedExpr:
		sql, err := d.str()
		if err != nil {
			return nil, err
		}
		if d.strict {
			return nil, d.rawRefused("SQL expression", sql)
		}
		vars, err := d.anys()
		return clause.NamedExpr{SQL: sql, Vars: vars}, err
	case tEq, tNeq, tGt, tGte, tLt, tLte, tLike:
		col, err := d.columnSlot()
		if err != nil {
			return nil, err
		}
		val, err := d.value()
		if err != nil {
			return nil, err
		}
		switch tag {
		case tEq:
			return clause.Eq{Column: col, Value: val}, nil
		case tNeq:
			return clause.Neq{Column: col, Value: val}, nil
		case tGt:
			return clause.Gt{Column: col, Value: val}, nil
		case tGte:
			return clause.Gte{Column: col, Value: val}, nil
		case tLt:
			return clause.Lt{Column: col, Value: val}, nil
		case tLte:
			return clause.Lte{Column: col, Value: val}, nil
		}
		return clause.Like{Column: col, Value: val}, nil
	case tIN:
		col, err := d.columnSlot()
		if err != nil {
			return nil, err
		}
		vals, err := d.anys()
		return clause.IN{Column: col, Values: vals}, err
	case tWhere, tAnd, tOr, tNot, tComma:
		xs, err := d.expressions()
		if err != nil {
			return nil, err
		}
		switch tag {
		case tWhere:
			return clause.Where{Exprs: xs}, nil
		case tAnd:
			return clause.AndConditions{Exprs: xs}, nil
		case tOr:
			return clause.OrConditions{Exprs: xs}, nil
		case tNot:
			return clause.NotConditions{Exprs: xs}, nil
		}
		return clause.CommaExpression{Exprs: xs}, nil
	case tSelect:
		distinct, err := d.r.ReadBool()
		if err != nil {
			return nil, err
		}
		cols, err := d.columns()
		if err != nil {
			return nil, err
		}
		x, err := d.expression()
		return clause.Select{Distinct: distinct, Columns: cols, Expression: x}, err
	case tFrom:
		return d.from()
	case tJoin:
		return d.join()
	case tGroupBy:
		cols, err := d.columns()
		if err != nil {
			return nil, err
		}
		having, err := d.expressions()
		return clause.GroupBy{Columns: cols, Having: having}, err
	case tOrderBy:
		m, err := d.r.ReadArrayLen()
		if err != nil {
			return nil, err
		}
		var cols []clause.OrderByColumn
		if m > 0 {
			cols = make([]clause.OrderByColumn, m)
		}
		for i := range cols {
			if cols[i], err = d.orderByColumn(); err != nil {
				return nil, err
			}
		}
		if n < 3 {
			return clause.OrderBy{Columns: cols}, nil
		}
		x, err := d.expression()
		return clause.OrderBy{Columns: cols, Expression: x}, err
	case tLimit:
		var limit *int
		if d.r.Peek() == wire.Nil {
			_ = d.r.ReadNil()
		} else {
			l, err := d.r.ReadInt()
			if err != nil {
				return nil, err
			}
			if int64(int(l)) != l {
				return nil, d.corrupt("limit %d out of range", l)
			}
			li := int(l)
			limit = &li
		}
		if n < 3 {
			return clause.Limit{Limit: limit}, nil
		}
		off, err := d.r.ReadInt()
		if err != nil {
			return nil, err
		}
		if int64(int(off)) != off {
			return nil, d.corrupt("offset %d out of range", off)
		}
		return clause.Limit{Limit: limit, Offset: int(off)}, nil
	case tLocking:
		strength, err := d.str()
		if err != nil {
			return nil, err
		}
		t, err := d.tableRef("locking table")
		if err != nil {
			return nil, err
		}
		opts, err := d.str()
		if err != nil {
			return nil, err
		}
		if d.strict && (!lockStrengths[strength] || !lockOptions[opts]) {
			return nil, d.rawRefused("locking clause", strength+" "+opts)
		}
		return clause.Locking{Strength: strength, Table: t, Options: opts}, nil
	case tReturning:
		cols, err := d.columns()
		return clause.Returning{Columns: cols}, err
	case tOnConflict:
		return d.onConflict()
	case tSet:
		return d.set()
	case tInsert:
		t, err := d.tableRef("INSERT table")
		if err != nil {
			return nil, err
		}
		mod, err := d.modifier()
		return clause.Insert{Table: t, Modifier: mod}, err
	case tValues:
		cols, err := d.columns()
		if err != nil {
			return nil, err
		}
		m, err := d.r.ReadArrayLen()
		if err != nil {
			return nil, err
		}
		rows := make([][]any, m)
		for i := range rows {
			if rows[i], err = d.anys(); err != nil {
				return nil, err
			}
		}
		return clause.Values{Columns: cols, Values: rows}, nil
	case tUpdate:
		mod, err := d.modifier()
		if err != nil {
			return nil, err
		}
		t, err := d.tableRef("UPDATE table")
		return clause.Update{Modifier: mod, Table: t}, err
	case tDelete:
		mod, err := d.modifier()
		return clause.Delete{Modifier: mod}, err
	case tClause:
		name, err := d.str()
		if err != nil {
			return nil, err
		}
		c := clause.Clause{Name: name}
		for _, slot := range []*clause.Expression{&c.BeforeExpression, &c.AfterNameExpression, &c.Expression, &c.AfterExpression} {
			if *slot, err = d.expression(); err != nil {
				return nil, err
			}
		}
		return c, d.checkClause(name, c)
	}
	return nil, d.corrupt("unknown value tag %d", tag)
}

var (
	lockStrengths = map[string]bool{clause.LockingStrengthUpdate: true, clause.LockingStrengthShare: true, "NO KEY UPDATE": true, "KEY SHARE": true}
	lockOptions   = map[string]bool{"": true, clause.LockingOptionsSkipLocked: true, clause.LockingOptionsNoWait: true}
)

// modifier reads an INSERT/UPDATE/DELETE modifier, which GORM writes
// verbatim.
func (d *Decoder) modifier() (string, error) {
	mod, err := d.str()
	if err == nil && mod != "" && d.strict {
		return "", d.rawRefused("modifier", mod)
	}
	return mod, err
}

// columnSlot reads the Column of a comparison: a clause.Column or a plain
// string (Where("name", v)), which GORM quotes as an identifier.
func (d *Decoder) columnSlot() (any, error) {
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	switch c := v.(type) {
	case string:
		// GORM quotes it as a name, splitting it at its last dot.
		col := clause.Column{Name: c}
		if i := strings.LastIndexByte(c, '.'); i >= 0 {
			col = clause.Column{Table: c[:i], Name: c[i+1:]}
		}
		return v, d.checkColumn(col)
	case clause.Column, nil, []clause.Column, clause.Expr, clause.Table:
		return v, nil // checked as they were read
	}
	return nil, d.corrupt("unexpected %T in a column position", v)
}

// column reads [tColumn, flags, table, name, column?, alias?]; a column
// follows the name of a field reference with the colColumn flag.
func (d *Decoder) column(n int) (clause.Column, error) {
	flags, err := d.r.ReadInt()
	if err != nil {
		return clause.Column{}, err
	}
	want := 4
	if flags&colAlias != 0 {
		want++
	}
	if flags&colColumn != 0 {
		want++
	}
	if flags&^(colRaw|colFieldRef|colAlias|colColumn) != 0 || n != want ||
		flags&colColumn != 0 && flags&colFieldRef == 0 || // only a field reference records a column
		flags&(colRaw|colFieldRef) == colRaw|colFieldRef { // written raw, a field's name would not be renamed

		return clause.Column{}, d.corrupt("column flags %#x with %d elements", flags, n)
	}
	var c clause.Column
	c.Raw = flags&colRaw != 0
	if c.Table, err = d.ident(); err != nil {
		return c, err
	}
	if flags&colFieldRef != 0 {
		name, err := d.sym()
		if err != nil {
			return c, err
		}
		c.Name = name
		column := ""
		if flags&colColumn != 0 {
			if column, err = d.sym(); err != nil {
				return c, err
			}
		}
		if sch, err := d.scopeSchema(); err != nil {
			return c, err
		} else if sch != nil {
			f, err := d.fieldCol(name, column)
			if err != nil {
				return c, err
			}
			c.Name = f.DBName
		}
	} else {
		if c.Name, err = d.ident(); err != nil {
			return c, err
		}
	}
	if flags&colAlias != 0 {
		if c.Alias, err = d.str(); err != nil {
			return c, err
		}
	}
	if c.Raw {
		return c, d.checkRawColumn(c)
	}
	return c, d.checkColumn(c)
}

func (d *Decoder) columns() ([]clause.Column, error) { return list[clause.Column](d, "a column") }

// list reads an array whose elements must all be values of type T.
func list[T any](d *Decoder, what string) ([]T, error) {
	m, err := d.r.ReadArrayLen()
	if err != nil || m == 0 {
		return nil, err
	}
	out := make([]T, m)
	for i := range out {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		x, ok := v.(T)
		if !ok {
			return nil, d.corrupt("expected %s, found %T", what, v)
		}
		out[i] = x
	}
	return out, nil
}

func (d *Decoder) orderByColumn() (clause.OrderByColumn, error) {
	var oc clause.OrderByColumn
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return oc, err
	}
	if m < 1 || m > 3 {
		return oc, d.corrupt("order column of %d elements", m)
	}
	v, err := d.value()
	if err != nil {
		return oc, err
	}
	c, ok := v.(clause.Column)
	if !ok {
		return oc, d.corrupt("expected a column, found %T", v)
	}
	oc.Column = c
	if m > 1 {
		if oc.Desc, err = d.r.ReadBool(); err != nil {
			return oc, err
		}
	}
	if m > 2 {
		oc.Reorder, err = d.r.ReadBool()
	}
	return oc, err
}

// tableRef reads [tTable, name, alias, raw] (the tag is read when the
// table stands alone as a value).
func (d *Decoder) tableRef(slot string) (clause.Table, error) {
	var t clause.Table
	if d.r.Peek() == wire.Array {
		m, err := d.r.ReadArrayLen()
		if err != nil {
			return t, err
		}
		tag, err := d.r.ReadInt()
		if err != nil {
			return t, err
		}
		if m != 4 || tag != tTable {
			return t, d.corrupt("expected a table, found tag %d with %d elements", tag, m)
		}
	}
	var err error
	if t.Name, err = d.ident(); err != nil {
		return t, err
	}
	if t.Alias, err = d.str(); err != nil {
		return t, err
	}
	if t.Raw, err = d.r.ReadBool(); err != nil {
		return t, err
	}
	return t, d.checkTable(slot, t)
}

func (d *Decoder) from() (clause.From, error) {
	var f clause.From
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return f, err
	}
	if m > 1 && d.strict {
		return f, refuse(ErrNotAllowed, "FROM table", fmt.Sprint(m, " tables"), "a FROM of several tables multiplies their rows")
	}
	for i := 0; i < m; i++ {
		t, err := d.tableRef("FROM table")
		if err != nil {
			return f, err
		}
		f.Tables = append(f.Tables, t)
	}
	f.Joins, err = list[clause.Join](d, "a join")
	return f, err
}

func (d *Decoder) join() (clause.Join, error) {
	var j clause.Join
	var err error
	if j.Type, err = d.joinType(); err != nil {
		return j, err
	}
	if j.Table, err = d.tableRef("join table"); err != nil {
		return j, err
	}
	on, err := d.value()
	if err != nil {
		return j, err
	}
	w, ok := on.(clause.Where)
	if !ok {
		return j, d.corrupt("join condition is %T, not a WHERE", on)
	}
	j.ON = w
	if j.Using, err = d.strs(); err != nil {
		return j, err
	}
	if d.strict && len(j.Using) > 0 {
		return j, d.rawRefused("join USING", strings.Join(j.Using, ","))
	}
	j.Expression, err = d.expression()
	return j, err
}

func (d *Decoder) onConflict() (clause.OnConflict, error) {
	var oc clause.OnConflict
	var err error
	if oc.Columns, err = d.columns(); err != nil {
		return oc, err
	}
	for _, w := range []*clause.Where{&oc.Where, &oc.TargetWhere} {
		v, err := d.value()
		if err != nil {
			return oc, err
		}
		where, ok := v.(clause.Where)
		if !ok {
			return oc, d.corrupt("ON CONFLICT condition is %T", v)
		}
		*w = where
	}
	if oc.OnConstraint, err = d.str(); err != nil {
		return oc, err
	}
	if oc.OnConstraint != "" && d.strict {
		return oc, d.rawRefused("ON CONSTRAINT", oc.OnConstraint)
	}
	if oc.DoNothing, err = d.r.ReadBool(); err != nil {
		return oc, err
	}
	v, err := d.value()
	if err != nil {
		return oc, err
	}
	set, ok := v.(clause.Set)
	if !ok {
		return oc, d.corrupt("ON CONFLICT updates are %T", v)
	}
	oc.DoUpdates = set
	oc.UpdateAll, err = d.r.ReadBool()
	return oc, err
}

func (d *Decoder) set() (clause.Set, error) {
	assignments, err := list[clause.Assignment](d, "an assignment")
	return clause.Set(assignments), err
}

func (d *Decoder) assignment() (clause.Assignment, error) {
	v, err := d.value()
	if err != nil {
		return clause.Assignment{}, err
	}
	c, ok := v.(clause.Column)
	if !ok {
		return clause.Assignment{}, d.corrupt("assignment to %T", v)
	}
	val, err := d.value()
	return clause.Assignment{Column: c, Value: val}, err
}
