package serializer

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

var (
	timeType       = reflect.TypeOf(time.Time{})
	bytesType      = reflect.TypeOf([]byte(nil))
	expressionType = reflect.TypeOf((*clause.Expression)(nil)).Elem()
	valuerType     = reflect.TypeOf((*driver.Valuer)(nil)).Elem()
	gormValuerType = reflect.TypeOf((*gorm.Valuer)(nil)).Elem()
)

func (e *Encoder) values(vs []any, where string) error {
	e.w.ArrayLen(len(vs))
	for _, v := range vs {
		if err := e.value(v, where); err != nil {
			return err
		}
	}
	return nil
}

func (e *Encoder) exprs(xs []clause.Expression, where string) error {
	e.w.ArrayLen(len(xs))
	for _, x := range xs {
		if err := e.value(x, where); err != nil {
			return err
		}
	}
	return nil
}

// value writes any Go value that may appear in a chain. Common types take
// the fast paths; the rest go through reflection.
func (e *Encoder) value(v any, where string) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxEncodeDepth {
		return &UnsupportedTypeError{Type: fmt.Sprintf("%T", v), Where: where, Reason: "value nested too deeply (a cycle?)"}
	}
	switch v := v.(type) {
	case nil:
		e.w.Nil()
	case string:
		e.w.String(v)
	case int:
		e.w.Int(int64(v))
	case bool:
		e.w.Bool(v)
	case float64:
		e.w.Float64(v)
	case []byte:
		if v == nil {
			e.w.Nil()
		} else {
			e.w.Bytes(v)
		}
	case time.Time:
		e.time(v)
	case []any:
		return e.slice(reflect.ValueOf(v), where)
	case *gorm.DB:
		if v == nil {
			e.w.Nil()
			return nil
		}
		if e.preload != nil {
			if done, err := e.preloadQuery(v, where); done {
				return err
			}
		}
		e.w.ArrayLen(2)
		e.w.Int(tSubquery)
		return e.subquery(v, where)
	case sql.NamedArg:
		e.w.ArrayLen(3)
		e.w.Int(tNamedArg)
		e.w.String(v.Name)
		return e.value(v.Value, where)
	case clause.Column:
		e.column(v)
	case clause.Table:
		e.tableRef(v)
	case clause.Expr:
		n := 4
		if !v.WithoutParentheses {
			n--
			if len(v.Vars) == 0 {
				n--
			}
		}
		e.w.ArrayLen(n)
		e.w.Int(tExpr)
		e.w.String(v.SQL)
		if n > 2 {
			if err := e.values(v.Vars, where); err != nil {
				return err
			}
		}
		if n > 3 {
			e.w.Bool(true)
		}
	case clause.NamedExpr:
		e.w.ArrayLen(3)
		e.w.Int(tNamedExpr)
		e.w.String(v.SQL)
		return e.values(v.Vars, where)
	case clause.Eq:
		return e.binary(tEq, v.Column, v.Value, where)
	case clause.Neq:
		return e.binary(tNeq, v.Column, v.Value, where)
	case clause.Gt:
		return e.binary(tGt, v.Column, v.Value, where)
	case clause.Gte:
		return e.binary(tGte, v.Column, v.Value, where)
	case clause.Lt:
		return e.binary(tLt, v.Column, v.Value, where)
	case clause.Lte:
		return e.binary(tLte, v.Column, v.Value, where)
	case clause.Like:
		return e.binary(tLike, v.Column, v.Value, where)
	case clause.IN:
		e.w.ArrayLen(3)
		e.w.Int(tIN)
		if err := e.value(v.Column, where); err != nil {
			return err
		}
		return e.values(v.Values, where)
	case clause.Where:
		return e.group(tWhere, v.Exprs, where)
	case clause.AndConditions:
		return e.group(tAnd, v.Exprs, where)
	case clause.OrConditions:
		return e.group(tOr, v.Exprs, where)
	case clause.NotConditions:
		return e.group(tNot, v.Exprs, where)
	case clause.CommaExpression:
		return e.group(tComma, v.Exprs, where)
	case clause.Select:
		e.w.ArrayLen(4)
		e.w.Int(tSelect)
		e.w.Bool(v.Distinct)
		e.columns(v.Columns)
		return e.value(v.Expression, where)
	case clause.From:
		e.w.ArrayLen(3)
		e.w.Int(tFrom)
		e.w.ArrayLen(len(v.Tables))
		for _, t := range v.Tables {
			e.tableRef(t)
		}
		e.w.ArrayLen(len(v.Joins))
		for _, j := range v.Joins {
			if err := e.value(j, where); err != nil {
				return err
			}
		}
	case clause.Join:
		e.w.ArrayLen(6)
		e.w.Int(tJoin)
		e.joinType(v.Type)
		e.tableRef(v.Table)
		if err := e.group(tWhere, v.ON.Exprs, where); err != nil {
			return err
		}
		e.strings(v.Using)
		return e.value(v.Expression, where)
	case clause.GroupBy:
		e.w.ArrayLen(3)
		e.w.Int(tGroupBy)
		e.columns(v.Columns)
		return e.exprs(v.Having, "Having") // GORM keeps Having in GROUP BY
	case clause.OrderBy:
		if v.Expression == nil {
			e.w.ArrayLen(2)
		} else {
			e.w.ArrayLen(3)
		}
		e.w.Int(tOrderBy)
		e.w.ArrayLen(len(v.Columns))
		for _, c := range v.Columns {
			e.orderByColumn(c)
		}
		if v.Expression == nil {
			return nil
		}
		return e.value(v.Expression, where)
	case clause.OrderByColumn:
		e.w.ArrayLen(2)
		e.w.Int(tOrderByColumn)
		e.orderByColumn(v)
	case clause.Limit:
		if v.Offset == 0 {
			e.w.ArrayLen(2)
		} else {
			e.w.ArrayLen(3)
		}
		e.w.Int(tLimit)
		if v.Limit == nil {
			e.w.Nil()
		} else {
			e.w.Int(int64(*v.Limit))
		}
		if v.Offset != 0 {
			e.w.Int(int64(v.Offset))
		}
	case clause.Locking:
		e.w.ArrayLen(4)
		e.w.Int(tLocking)
		e.w.String(v.Strength)
		e.tableRef(v.Table)
		e.w.String(v.Options)
	case clause.Returning:
		e.w.ArrayLen(2)
		e.w.Int(tReturning)
		e.columns(v.Columns)
	case clause.OnConflict:
		e.w.ArrayLen(8)
		e.w.Int(tOnConflict)
		e.columns(v.Columns)
		if err := e.group(tWhere, v.Where.Exprs, where); err != nil {
			return err
		}
		if err := e.group(tWhere, v.TargetWhere.Exprs, where); err != nil {
			return err
		}
		e.w.String(v.OnConstraint)
		e.w.Bool(v.DoNothing)
		if err := e.assignments(v.DoUpdates, where); err != nil {
			return err
		}
		e.w.Bool(v.UpdateAll)
	case clause.Set:
		return e.assignments(v, where)
	case clause.Assignment:
		e.w.ArrayLen(3)
		e.w.Int(tAssignment)
		e.column(v.Column)
		return e.value(v.Value, where)
	case clause.Insert:
		e.w.ArrayLen(3)
		e.w.Int(tInsert)
		e.tableRef(v.Table)
		e.w.String(v.Modifier)
	case clause.Values:
		e.w.ArrayLen(3)
		e.w.Int(tValues)
		e.columns(v.Columns)
		e.w.ArrayLen(len(v.Values))
		for _, row := range v.Values {
			if err := e.values(row, where); err != nil {
				return err
			}
		}
	case clause.Update:
		e.w.ArrayLen(3)
		e.w.Int(tUpdate)
		e.w.String(v.Modifier)
		e.tableRef(v.Table)
	case clause.Delete:
		e.w.ArrayLen(2)
		e.w.Int(tDelete)
		e.w.String(v.Modifier)
	case clause.Clause:
		if v.Builder != nil {
			return &UnsupportedTypeError{Type: "clause.ClauseBuilder", Where: where, Reason: "clause builders are functions"}
		}
		e.w.ArrayLen(6)
		e.w.Int(tClause)
		e.w.String(v.Name)
		for _, x := range []clause.Expression{v.BeforeExpression, v.AfterNameExpression, v.Expression, v.AfterExpression} {
			if err := e.value(x, where); err != nil {
				return err
			}
		}
	default:
		return e.reflectValue(reflect.ValueOf(v), where)
	}
	return nil
}

func (e *Encoder) binary(tag int64, col, val any, where string) error {
	e.w.ArrayLen(3)
	e.w.Int(tag)
	if err := e.value(col, where); err != nil {
		return err
	}
	return e.value(val, where)
}

func (e *Encoder) group(tag int64, xs []clause.Expression, where string) error {
	e.w.ArrayLen(2)
	e.w.Int(tag)
	return e.exprs(xs, where)
}

func (e *Encoder) assignments(set clause.Set, where string) error {
	e.w.ArrayLen(2)
	e.w.Int(tSet)
	e.w.ArrayLen(len(set))
	for _, a := range set {
		if err := e.value(a, where); err != nil {
			return err
		}
	}
	return nil
}

func (e *Encoder) columns(cs []clause.Column) {
	e.w.ArrayLen(len(cs))
	for _, c := range cs {
		e.column(c)
	}
}

func (e *Encoder) orderByColumn(c clause.OrderByColumn) {
	switch {
	case c.Reorder:
		e.w.ArrayLen(3)
	case c.Desc:
		e.w.ArrayLen(2)
	default:
		e.w.ArrayLen(1)
	}
	e.column(c.Column)
	if c.Desc || c.Reorder {
		e.w.Bool(c.Desc)
	}
	if c.Reorder {
		e.w.Bool(true)
	}
}

// column writes a clause.Column, turning the model's columns into field
// references and the statement's table into a placeholder, so a target
// with another naming strategy resolves them its own way.
func (e *Encoder) column(c clause.Column) {
	flags := int64(0)
	if c.Raw {
		flags |= colRaw
	}
	if c.Alias != "" {
		flags |= colAlias
	}
	fieldName, column := "", ""
	ownTable := c.Table == "" || c.Table == clause.CurrentTable || (e.scope != nil && c.Table == e.scope.table)
	if !c.Raw && ownTable && c.Name != clause.PrimaryKey && e.scope != nil && e.scope.schema != nil {
		if f := e.scope.schema.FieldsByDBName[c.Name]; f != nil {
			fieldName = f.Name
			flags |= colFieldRef
			if column = e.recordedColumn(f); column != "" {
				flags |= colColumn
			}
		}
	}
	n := 4
	if c.Alias != "" {
		n++
	}
	if column != "" {
		n++
	}
	e.w.ArrayLen(n)
	e.w.Int(tColumn)
	e.w.Int(flags)
	e.tableName(c.Table)
	switch {
	case fieldName != "":
		e.sym(fieldName)
		if column != "" {
			e.sym(column)
		}
	case c.Name == clause.PrimaryKey:
		e.w.Int(refPrimaryKey)
	case c.Name == clause.Associations:
		e.w.Int(refAssociations)
	default:
		e.sym(c.Name)
	}
	if c.Alias != "" {
		e.w.String(c.Alias)
	}
}

// tableName writes a table name slot: nil for none, a placeholder for the
// current or statement table, else the interned name.
func (e *Encoder) tableName(name string) {
	switch {
	case name == "":
		e.w.Nil()
	case name == clause.CurrentTable:
		e.w.Int(refCurrentTable)
	case e.scope != nil && e.scope.table != "" && name == e.scope.table:
		e.w.Int(refStatementTable)
	default:
		e.sym(name)
	}
}

func (e *Encoder) tableRef(t clause.Table) {
	e.w.ArrayLen(4)
	e.w.Int(tTable)
	e.tableName(t.Name)
	e.w.String(t.Alias)
	e.w.Bool(t.Raw)
}

// time writes an instant with its location: seconds, nanoseconds, the
// location's name, the zone abbreviation and its offset.
func (e *Encoder) time(t time.Time) {
	name, offset := t.Zone()
	e.w.ArrayLen(6)
	e.w.Int(tTime)
	e.w.Int(t.Unix())
	e.w.Int(int64(t.Nanosecond()))
	e.w.String(t.Location().String())
	e.w.String(name)
	e.w.Int(int64(offset))
}

// reflectValue encodes what the fast paths in value do not cover.
func (e *Encoder) reflectValue(rv reflect.Value, where string) error {
	if name, id, ok := e.reg.reference(rv.Interface()); ok {
		e.w.ArrayLen(3)
		e.w.Int(tRef)
		e.sym(name)
		e.w.String(id)
		return nil
	}
	t := rv.Type()
	if id, ok := e.reg.TypeID(t); ok {
		return e.named(rv, id, where)
	}
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		e.w.Nil()
		return nil
	}
	if t.Implements(gormValuerType) {
		if rv.Kind() == reflect.Pointer && e.typeRegistered(t.Elem()) {
			// A pointer to a registered type travels as the value.
			return e.value(rv.Elem().Interface(), where)
		}
		return e.unsupported(t, where, "gorm.Valuer values render SQL on the target; register the type with gormpickle.WithTypes")
	}
	if t.Implements(valuerType) {
		// Frozen at dump time: the driver value travels, not the Go type.
		dv, err := rv.Interface().(driver.Valuer).Value()
		if err != nil {
			return fmt.Errorf("%w: %s in %s: Value(): %v", ErrNotSerializable, t, where, err)
		}
		return e.value(dv, where)
	}
	if rv.Kind() == reflect.Pointer {
		return e.value(rv.Elem().Interface(), where)
	}
	if t.Implements(expressionType) {
		return e.unsupported(t, where, "unregistered clause.Expression; register it with gormpickle.WithTypes")
	}
	if t.Name() != "" && t.PkgPath() != "" {
		return e.unsupported(t, where, "named types must be registered with gormpickle.WithTypes (or implement driver.Valuer)")
	}
	switch rv.Kind() {
	case reflect.Int8:
		return e.tagged(tInt8, rv.Int())
	case reflect.Int16:
		return e.tagged(tInt16, rv.Int())
	case reflect.Int32:
		return e.tagged(tInt32, rv.Int())
	case reflect.Int64:
		return e.tagged(tInt64, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.w.ArrayLen(2)
		e.w.Int(int64(tUint + (rv.Kind() - reflect.Uint)))
		e.w.Uint(rv.Uint())
		return nil
	case reflect.Float32:
		e.w.ArrayLen(2)
		e.w.Int(tFloat32)
		e.w.Float32(float32(rv.Float()))
		return nil
	case reflect.Slice:
		if rv.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.slice(rv, where)
	case reflect.Array:
		return e.slice(rv, where)
	case reflect.Map:
		if rv.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.mapValue(rv, where)
	}
	return e.unsupported(t, where, "")
}

func (e *Encoder) unsupported(t reflect.Type, where, reason string) error {
	return &UnsupportedTypeError{Type: t.String(), Where: where, Reason: reason}
}

func (e *Encoder) tagged(tag int64, v int64) error {
	e.w.ArrayLen(2)
	e.w.Int(tag)
	e.w.Int(v)
	return nil
}

// slice writes [tSlice, elemType, items...] or [tArray, len, elemType, items...].
func (e *Encoder) slice(rv reflect.Value, where string) error {
	n := rv.Len()
	if rv.Kind() == reflect.Array {
		e.w.ArrayLen(3 + n)
		e.w.Int(tArray)
		e.w.Int(int64(n))
	} else {
		e.w.ArrayLen(2 + n)
		e.w.Int(tSlice)
	}
	if err := e.typeDesc(rv.Type().Elem(), where); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := e.element(rv.Index(i), where); err != nil {
			return err
		}
	}
	return nil
}

// element writes one element of a collection; a nil interface element is
// written as plain nil.
func (e *Encoder) element(ev reflect.Value, where string) error {
	if ev.Kind() == reflect.Interface {
		if ev.IsNil() {
			e.w.Nil()
			return nil
		}
		ev = ev.Elem()
	}
	return e.value(ev.Interface(), where)
}

// mapValue writes [tMap, keyType, valueType, k1, v1, ...] with entries
// sorted by their encoded key, so equal maps give equal bytes. Keys are
// encoded for sorting from the identifier table as it is at the map, then
// everything is written in order: an identifier is interned where it
// first appears in the bytes, which the reader needs.
func (e *Encoder) mapValue(rv reflect.Value, where string) error {
	type entry struct {
		sortKey []byte
		k, v    reflect.Value
	}
	entries := make([]entry, 0, rv.Len())
	outer, syms := e.w, len(e.syms)
	iter := rv.MapRange()
	for iter.Next() {
		e.w = wire.Writer{}
		err := e.element(iter.Key(), where)
		e.forgetSyms(syms)
		if err != nil {
			e.w = outer
			return err
		}
		entries = append(entries, entry{e.w.Buf, iter.Key(), iter.Value()})
	}
	e.w = outer
	sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].sortKey, entries[j].sortKey) < 0 })
	e.w.ArrayLen(3 + 2*len(entries))
	e.w.Int(tMap)
	if err := e.typeDesc(rv.Type().Key(), where); err != nil {
		return err
	}
	if err := e.typeDesc(rv.Type().Elem(), where); err != nil {
		return err
	}
	for _, en := range entries {
		if err := e.element(en.k, where); err != nil {
			return err
		}
		if err := e.element(en.v, where); err != nil {
			return err
		}
	}
	return nil
}

// named writes a value of a registered type: a struct field by field
// ([tStruct, id, name1, v1, ...]), anything else as its underlying value
// ([tNamed, id, value]). A struct whose fields cannot all be written (an
// unexported one is set: decimal.Decimal, datatypes.Date) is written as
// its driver value ([tValuer, id, value]) when it is a driver.Valuer whose
// pointer is an sql.Scanner, which restores it.
func (e *Encoder) named(rv reflect.Value, id, where string) error {
	t := rv.Type()
	if t.Kind() != reflect.Struct {
		e.w.ArrayLen(3)
		e.w.Int(tNamed)
		e.sym(id)
		return e.underlying(rv, where)
	}
	if !scannable(t) {
		return e.fields(rv, id, where)
	}
	m := e.mark()
	err := e.fields(rv, id, where)
	if !errors.Is(err, ErrNotSerializable) {
		return err
	}
	e.rewind(m)
	if e.driverValue(rv, id, where) != nil {
		return err // what the fields could not do
	}
	return nil
}

// fields writes a registered struct field by field.
func (e *Encoder) fields(rv reflect.Value, id, where string) error {
	t := rv.Type()
	n := 0
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			n++
		} else if !rv.Field(i).IsZero() {
			return e.unsupported(t, where, "unexported field "+t.Field(i).Name+" is set")
		}
	}
	e.w.ArrayLen(2 + 2*n)
	e.w.Int(tStruct)
	e.sym(id)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		e.sym(f.Name)
		if err := e.element(rv.Field(i), where); err != nil {
			return err
		}
	}
	return nil
}

// underlying writes a named non-struct value as its underlying kind.
func (e *Encoder) underlying(rv reflect.Value, where string) error {
	switch rv.Kind() {
	case reflect.String:
		e.w.String(rv.String())
	case reflect.Bool:
		e.w.Bool(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.w.Int(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.w.Uint(rv.Uint())
	case reflect.Float32, reflect.Float64:
		e.w.Float64(rv.Float())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			e.w.Nil()
			return nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			e.w.Bytes(byteSlice(rv)) // json.RawMessage, datatypes.JSON, [16]byte
			return nil
		}
		e.w.ArrayLen(rv.Len())
		for i := 0; i < rv.Len(); i++ {
			if err := e.element(rv.Index(i), where); err != nil {
				return err
			}
		}
	case reflect.Map:
		return e.mapValue(rv, where)
	case reflect.Pointer:
		if rv.IsNil() {
			e.w.Nil()
			return nil
		}
		return e.element(rv.Elem(), where)
	default:
		return e.unsupported(rv.Type(), where, "")
	}
	return nil
}

// typeDesc writes a collection element type.
func (e *Encoder) typeDesc(t reflect.Type, where string) error {
	if code, ok := builtinTypeCode(t); ok {
		e.w.Int(int64(code))
		return nil
	}
	if id, ok := e.reg.TypeID(t); ok {
		e.w.ArrayLen(2)
		e.w.Int(typNamed)
		e.sym(id)
		return nil
	}
	if t.Implements(valuerType) && !t.Implements(gormValuerType) {
		// Its elements travel as their driver values (reflectValue),
		// which a collection of any holds: GORM binds each the same.
		e.w.Int(typInterface)
		return nil
	}
	switch t.Kind() {
	case reflect.Slice:
		e.w.ArrayLen(2)
		e.w.Int(typSliceOf)
		return e.typeDesc(t.Elem(), where)
	case reflect.Array:
		e.w.ArrayLen(3)
		e.w.Int(typArrayOf)
		e.w.Int(int64(t.Len()))
		return e.typeDesc(t.Elem(), where)
	case reflect.Map:
		e.w.ArrayLen(3)
		e.w.Int(typMapOf)
		if err := e.typeDesc(t.Key(), where); err != nil {
			return err
		}
		return e.typeDesc(t.Elem(), where)
	case reflect.Pointer:
		e.w.ArrayLen(2)
		e.w.Int(typPtrTo)
		return e.typeDesc(t.Elem(), where)
	}
	if isGormValuer(t) {
		return e.unsupported(t, where, "gorm.Valuer values render SQL on the target; register the type with gormpickle.WithTypes")
	}
	return e.unsupported(t, where, "collections of this element type need the type registered with gormpickle.WithTypes")
}

// builtinTypeCode returns the descriptor code of an unnamed or predeclared
// element type.
func builtinTypeCode(t reflect.Type) (int, bool) {
	switch t {
	case timeType:
		return typTime, true
	case bytesType:
		return typBytes, true
	case expressionType:
		return typExpression, true
	}
	if t.PkgPath() != "" {
		return 0, false
	}
	switch t.Kind() {
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return typInterface, true
		}
	case reflect.Bool:
		return typBool, true
	case reflect.Int:
		return typInt, true
	case reflect.Int8:
		return typInt8, true
	case reflect.Int16:
		return typInt16, true
	case reflect.Int32:
		return typInt32, true
	case reflect.Int64:
		return typInt64, true
	case reflect.Uint:
		return typUint, true
	case reflect.Uint8:
		return typUint8, true
	case reflect.Uint16:
		return typUint16, true
	case reflect.Uint32:
		return typUint32, true
	case reflect.Uint64:
		return typUint64, true
	case reflect.Uintptr:
		return typUintptr, true
	case reflect.Float32:
		return typFloat32, true
	case reflect.Float64:
		return typFloat64, true
	case reflect.String:
		return typString, true
	}
	return 0, false
}

// builtinTypes maps descriptor codes back to types.
var builtinTypeByCode = [typBuiltinCount]reflect.Type{
	typInterface:  reflect.TypeOf((*any)(nil)).Elem(),
	typBool:       reflect.TypeOf(false),
	typInt:        reflect.TypeOf(0),
	typInt8:       reflect.TypeOf(int8(0)),
	typInt16:      reflect.TypeOf(int16(0)),
	typInt32:      reflect.TypeOf(int32(0)),
	typInt64:      reflect.TypeOf(int64(0)),
	typUint:       reflect.TypeOf(uint(0)),
	typUint8:      reflect.TypeOf(uint8(0)),
	typUint16:     reflect.TypeOf(uint16(0)),
	typUint32:     reflect.TypeOf(uint32(0)),
	typUint64:     reflect.TypeOf(uint64(0)),
	typUintptr:    reflect.TypeOf(uintptr(0)),
	typFloat32:    reflect.TypeOf(float32(0)),
	typFloat64:    reflect.TypeOf(float64(0)),
	typString:     reflect.TypeOf(""),
	typBytes:      bytesType,
	typTime:       timeType,
	typExpression: expressionType,
}
