package serializer

import "reflect"

// typeDesc writes a collection element type.
func (e *encoder) typeDesc(t reflect.Type, where string) error {
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
