package pickletype

import (
	"errors"
	"fmt"
)

// errGobInternal refuses values of gob's own types (ids 9 to 63: its
// type-definition structs and reserved ids). gob decodes them into user
// structs with matching field names, but no encoder writes them as data.
var errGobInternal = errors.New("gob value of one of gob's internal types")

// define reads the definition of type id: a wireType, which is a gob
// struct whose one set field says the kind.
func (w *gobWalker) define(id int64) error {
	if id < gobFirstUser {
		return fmt.Errorf("gob type id %d is predefined", id)
	}
	if _, dup := w.types[id]; dup {
		return fmt.Errorf("gob type id %d defined twice", id)
	}
	t := gobWire{kind: -1}
	err := w.fields(gobWireFields, func(kind int) error {
		if t.kind >= 0 {
			return errors.New("gob type definition of two kinds")
		}
		t.kind = kind
		return w.wireBody(&t)
	})
	if err != nil {
		return err
	}
	if t.kind < 0 {
		return errors.New("empty gob type definition")
	}
	w.types[id] = t
	return nil
}

// wireBody reads the struct describing one kind of type; each starts with
// a CommonType (name and id).
func (w *gobWalker) wireBody(t *gobWire) error {
	return w.fields(3, func(f int) (err error) {
		switch {
		case f == 0:
			return w.commonType()
		case t.kind == gobArray && f == 1, t.kind == gobSlice && f == 1, t.kind == gobMap && f == 2:
			t.elem, err = w.int()
		case t.kind == gobArray && f == 2:
			_, err = w.int() // the length: each value states its count
		case t.kind == gobMap && f == 1:
			t.key, err = w.int()
		case t.kind == gobStruct && f == 1:
			t.fields, err = w.fieldTypes()
		default:
			err = fmt.Errorf("gob type definition field %d for kind %d", f, t.kind)
		}
		return err
	})
}

// commonType reads a CommonType: a name and an id, both only checked.
func (w *gobWalker) commonType() error {
	return w.fields(2, func(f int) error {
		if f == 0 {
			return w.skip()
		}
		_, err := w.int()
		return err
	})
}

// fieldTypes reads a struct type's []fieldType: each a name and a type id.
func (w *gobWalker) fieldTypes() ([]int64, error) {
	n, err := w.count(1)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, n)
	for range n {
		var id int64
		err := w.fields(2, func(f int) (err error) {
			if f == 0 {
				return w.skip()
			}
			id, err = w.int()
			return err
		})
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// fields reads a struct's fields, each a delta from the previous field's
// number followed by its value (read by field), up to a zero delta or, as
// gob allows, the end of the message.
func (w *gobWalker) fields(n int, field func(int) error) error {
	for num := -1; len(w.buf) > 0; {
		delta, err := w.uint()
		if err != nil {
			return err
		}
		if delta == 0 {
			return nil
		}
		if delta > uint64(n-1-num) {
			return fmt.Errorf("gob field number out of range (%d fields)", n)
		}
		num += int(delta)
		if err := field(num); err != nil {
			return err
		}
	}
	return nil
}

// value walks one value of wire type id. A top-level value, and the value
// inside an interface, that is not a struct is sent as a singleton: a zero
// field delta first.
func (w *gobWalker) value(id int64, top bool) error {
	if w.depth++; w.depth > w.maxDepth {
		return errors.New("gob value nested too deeply")
	}
	defer func() { w.depth-- }()
	if id > gobInterface && id < gobFirstUser {
		return errGobInternal
	}
	t, defined := w.types[id]
	if top && !(defined && t.kind == gobStruct) {
		if delta, err := w.uint(); err != nil || delta != 0 {
			return fmt.Errorf("gob singleton without its zero delta (%d, %v)", delta, err)
		}
	}
	switch id {
	case gobBool, gobInt, gobUint, gobFloat:
		_, err := w.uint()
		return err
	case gobComplex:
		if _, err := w.uint(); err != nil {
			return err
		}
		_, err := w.uint()
		return err
	case gobBytes, gobString:
		return w.skip()
	case gobInterface:
		return w.iface()
	}
	if !defined {
		return fmt.Errorf("gob value of undefined type %d", id)
	}
	return w.composite(t)
}

// composite walks a value of a stream-defined type.
func (w *gobWalker) composite(t gobWire) error {
	switch t.kind {
	case gobStruct:
		return w.fields(len(t.fields), func(f int) error { return w.value(t.fields[f], false) })
	case gobArray, gobSlice, gobMap:
		size := 1
		if t.kind == gobMap {
			size = 2
		}
		n, err := w.count(size)
		for i := 0; i < n && err == nil; i++ {
			if t.kind == gobMap {
				err = w.value(t.key, false)
			}
			if err == nil {
				err = w.value(t.elem, false)
			}
		}
		return err
	}
	return w.skip() // GobEncoder, BinaryMarshaler, TextMarshaler: bytes
}

// iface walks an interface value: the concrete type's registered name
// (empty for nil), type definitions, its id, a byte count, the value.
func (w *gobWalker) iface() error {
	n, err := w.uint()
	if err != nil {
		return err
	}
	if n > 1024 || n > uint64(len(w.buf)) {
		return fmt.Errorf("gob interface type name of %d bytes", n)
	}
	w.buf = w.buf[n:]
	if n == 0 {
		return nil
	}
	id, err := w.typeSequence(true)
	if err != nil {
		return err
	}
	if _, err := w.uint(); err != nil {
		return err
	}
	return w.value(id, true)
}
