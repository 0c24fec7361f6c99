// Package gchain turns a GORM generics chain (gorm.G[T] and what its
// chain methods return) into the *gorm.DB it stands for, so that it can be
// captured like a traditional chain.
//
// A generics chain is no data tree: gorm.G[T] keeps the *gorm.DB it was
// given and a list of closures (one per chain call) that it applies to a
// new session of that DB when a finisher runs (gorm generics.go, g.apply).
// Neither is exported, and the only exported way to run the closures is a
// finisher, which runs SQL. This package reads both through reflection and
// applies the closures itself, as apply does, on a session of its own.
// TestShape (gchain_test.go) fails if GORM changes the layout it reads.
package gchain

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"gorm.io/gorm"
)

// ErrLayout is returned when a value looks like a GORM generics chain but
// its layout is not the one this package knows (a GORM upgrade changed it).
var ErrLayout = errors.New("gchain: unknown layout of a GORM generics chain")

var (
	dbType = reflect.TypeOf((*gorm.DB)(nil))
	opType = reflect.TypeOf((func(*gorm.DB) *gorm.DB)(nil))
)

// gormPkg is the package GORM's generics types live in.
const gormPkg = "gorm.io/gorm"

// Is reports whether t is one of GORM's generics chain types: g[T] (what
// gorm.G returns, behind a pointer), createG[T] or chainG[T].
func Is(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.PkgPath() != gormPkg {
		return false
	}
	name := t.Name()
	return strings.HasPrefix(name, "g[") || strings.HasPrefix(name, "createG[") || strings.HasPrefix(name, "chainG[")
}

// Chain is a generics chain taken apart.
type Chain struct {
	// DB is the *gorm.DB given to gorm.G.
	DB *gorm.DB
	// Ops are the chain calls, in order, as GORM applies them.
	Ops []func(*gorm.DB) *gorm.DB
	// Model is the chain's T: GORM's finishers run on Model(T).
	Model reflect.Type
}

// Of takes apart v, a generics chain (see [Is]). ok is false for any other
// value; err is set when v is one but cannot be read.
func Of(v any) (c Chain, ok bool, err error) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || !Is(rv.Type()) {
		return Chain{}, false, nil
	}
	model, err := modelOf(rv.Type())
	if err != nil {
		return Chain{}, true, err
	}
	// Copy the value so that its fields are addressable.
	cp := reflect.New(rv.Type()).Elem()
	cp.Set(rv)
	g, err := gOf(cp)
	if err != nil {
		return Chain{}, true, err
	}
	c, err = read(g)
	c.Model = model
	return c, true, err
}

// modelOf returns T of a chain type: what its First finisher returns.
func modelOf(t reflect.Type) (reflect.Type, error) {
	m, ok := t.MethodByName("First")
	if !ok || m.Type.NumOut() != 2 {
		return nil, fmt.Errorf("%w: %s has no First(ctx) (T, error)", ErrLayout, t)
	}
	return m.Type.Out(0), nil
}

// gOf walks from a chain value (addressable) to its g[T] struct.
func gOf(v reflect.Value) (reflect.Value, error) {
	for depth := 0; depth < 8; depth++ {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, fmt.Errorf("%w: nil %s", ErrLayout, v.Type())
			}
			v = v.Elem()
			continue
		}
		if v.Kind() != reflect.Struct {
			break
		}
		if strings.HasPrefix(v.Type().Name(), "g[") {
			return v, nil
		}
		// chainG embeds execG, which holds g; createG embeds chainG; g
		// embeds *createG (not followed: g is recognised first).
		var next reflect.Value
		for _, name := range []string{"execG", "chainG", "g"} {
			if f := v.FieldByName(name); f.IsValid() {
				next = f
				break
			}
		}
		if !next.IsValid() {
			break
		}
		v = exported(next)
	}
	return reflect.Value{}, fmt.Errorf("%w: no g[T] in %s", ErrLayout, v.Type())
}

// read reads g[T]'s db and ops.
func read(g reflect.Value) (Chain, error) {
	dbf, opsf := g.FieldByName("db"), g.FieldByName("ops")
	if !dbf.IsValid() || dbf.Type() != dbType || !opsf.IsValid() || opsf.Kind() != reflect.Slice ||
		!opsf.Type().Elem().ConvertibleTo(opType) {
		return Chain{}, fmt.Errorf("%w: %s has no db *gorm.DB and ops []func(*gorm.DB) *gorm.DB", ErrLayout, g.Type())
	}
	c := Chain{DB: exported(dbf).Interface().(*gorm.DB)}
	ops := exported(opsf)
	c.Ops = make([]func(*gorm.DB) *gorm.DB, ops.Len())
	for i := range c.Ops {
		c.Ops[i] = ops.Index(i).Convert(opType).Interface().(func(*gorm.DB) *gorm.DB)
	}
	return c, nil
}

// exported returns an addressable field value without reflect's
// read-only mark on unexported fields, so that it can be read as an
// interface.
func exported(f reflect.Value) reflect.Value {
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// Apply builds the chain on a statement of its own, as GORM's apply does
// when a finisher runs, and sets the model a finisher would (Model(T),
// here a pointer to a zero T). The chain's DB is not modified: GORM
// applies the chain to that DB itself when it is in DryRun mode, and its
// Joins and Scopes calls then write into that DB's statement; here they
// never do.
func (c Chain) Apply() *gorm.DB {
	tx := c.DB.Session(&gorm.Session{NewDB: true})
	if c.DB.DryRun && !newStatement(c.DB) {
		// GORM applies the calls to the DryRun DB itself, whose next call
		// continues its statement: start from a copy of it.
		tx = c.DB.Session(&gorm.Session{})
	}
	tx = tx.Model(nil) // a statement of its own
	for _, op := range c.Ops {
		tx = op(tx)
	}
	return tx.Model(reflect.New(c.Model).Interface())
}

// newStatement reports whether db's next chain call starts a new, empty
// statement (a DB fresh from Open or Session(&gorm.Session{NewDB: true})),
// which GORM keeps in the unexported DB.clone (1).
func newStatement(db *gorm.DB) bool {
	f := reflect.ValueOf(db).Elem().FieldByName("clone")
	return f.IsValid() && f.CanInt() && f.Int() == 1
}
