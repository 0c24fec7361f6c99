package gormpickle

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/capture"
	"github.com/gormpickle/gormpickle/serializer"
)

// shadowCheck is the state of [WithShadowCheck] on one plugin.
type shadowCheck struct {
	plugin  *Plugin
	reports []func(Divergence)
}

// shadowKey marks the context of the shadow work, so that anything it
// runs is not checked in turn.
type shadowKey struct{}

// shadowing reports whether ctx belongs to shadow work.
func shadowing(ctx context.Context) bool {
	return ctx != nil && ctx.Value(shadowKey{}) != nil
}

// dumped is what the shadow check keeps of a statement before it runs.
type dumped struct {
	payload  []byte
	err      error
	dest     any   // a shallow copy of the statement's destination
	fromDest bool  // the model was left out: it was only the destination
	prefix   []any // bind variables the statement held before it was built
}

// check is the capture.Shadow of the plugin: it dumps the statement,
// runs it (next), then verifies the payload against it.
func (s *shadowCheck) check(db *gorm.DB, p capture.Processor, next func(*gorm.DB)) {
	if db.Error != nil || shadowing(db.Statement.Context) {
		next(db) // nothing will be built, or the shadow itself runs it
		return
	}
	d := s.dump(db)
	next(db)
	if db.Statement.SQL.Len() == 0 {
		return // GORM built nothing: nothing ran
	}
	if div, ok := s.verify(db, p, d); ok {
		for _, report := range s.reports {
			report(div)
		}
	}
}

// dump encodes the statement as Dumps would at this point, on a clone (the
// application's statement is only read), and copies its destination,
// which running the statement fills.
func (s *shadowCheck) dump(db *gorm.DB) (d dumped) {
	defer func() {
		if r := recover(); r != nil {
			d.payload, d.err = nil, shadowPanic("dump", r)
		}
	}()
	ctx := db.Statement.Context
	if ctx == nil {
		ctx = context.Background()
	}
	clone := db.Session(&gorm.Session{Context: ctx}).Statement
	clone.BuildClauses = db.Statement.BuildClauses
	d.dest = shallowCopy(db.Statement.Dest)
	if db.Statement.SQL.Len() == 0 {
		// A subquery GORM renders starts from its parent's variables.
		d.prefix = append([]any(nil), db.Statement.Vars...)
	}
	enc := func() ([]byte, error) {
		// The table is explicit only if it is not the model's own: GORM
		// filled it in when it parsed the model, before this point.
		return codec.Encode(s.plugin.registry, clone, false)
	}
	d.payload, d.err = enc()
	if refused(d.err) && sameRef(clone.Model, clone.Dest) {
		// Find(&rows) of an unregistered type: GORM made the destination
		// the model, the chain had none. Dump the chain, as Dumps would
		// have been called on it; the destination comes back at render.
		clone.Model, clone.Schema = nil, nil
		if payload, err := enc(); err == nil {
			d.payload, d.err, d.fromDest = payload, nil, true
		}
	}
	return d
}

// verify loads and renders the payload and compares it with what GORM
// built for db's statement; ok reports a divergence.
func (s *shadowCheck) verify(db *gorm.DB, p capture.Processor, d dumped) (div Divergence, ok bool) {
	stmt := db.Statement
	div = Divergence{Processor: string(p), SQL: stmt.SQL.String(), Vars: append([]any(nil), stmt.Vars...), Var: -1, Payload: d.payload}
	defer func() {
		if r := recover(); r != nil {
			div.Kind, div.Err, ok = DivergenceError, shadowPanic("load and render", r), true
		}
	}()
	if d.err != nil {
		return s.failed(div, fmt.Errorf("dump: %w", d.err), refused(d.err)), true
	}
	restored, err := s.load(db, d)
	if err != nil {
		return s.failed(div, fmt.Errorf("load: %w", err), errors.Is(err, ErrLimit)), true
	}
	sql, vars, err := capture.Render(restored, p, d.prefix)
	if err != nil {
		if db.Error != nil {
			return div, false // both fail: GORM's own build error
		}
		return s.failed(div, fmt.Errorf("render: %w", err), false), true
	}
	div.RestoredSQL, div.RestoredVars = sql, append([]any(nil), vars...)
	div.Var = firstDifferentVar(div.Vars, div.RestoredVars)
	switch {
	case sql != div.SQL:
		div.Kind = DivergenceSQL
	case div.Var >= 0:
		div.Kind = DivergenceVars
	default:
		return div, false
	}
	return div, true
}

// load restores the payload on a fresh session of db's DB, with db's
// context marked as shadow work, and gives it the statement's
// destination (a finisher's argument, which a payload does not carry).
func (s *shadowCheck) load(db *gorm.DB, d dumped) (*gorm.DB, error) {
	fresh := db.Session(&gorm.Session{NewDB: true, Initialized: true})
	fresh.Error = nil
	ctx := db.Statement.Context
	if ctx == nil {
		ctx = context.Background()
	}
	fresh.Statement.Context = context.WithValue(ctx, shadowKey{}, true)
	opts := serializer.Options{Limits: s.plugin.options.Limits}
	restored, err := codec.Restore(s.plugin.registry, &opts, nil, fresh, d.payload)
	if err != nil {
		return nil, err
	}
	if d.dest != nil {
		restored.Statement.Dest = d.dest
	}
	return restored, nil
}

// failed fills in a divergence for a statement that could not be dumped,
// loaded or rendered; unsupported tells a documented refusal.
func (s *shadowCheck) failed(div Divergence, err error, unsupported bool) Divergence {
	div.Err = err
	div.Kind = DivergenceError
	if unsupported {
		div.Kind = DivergenceUnsupported
	}
	return div
}

// refused reports whether Dumps refuses what it was given, rather than
// failing: a value it cannot encode, a model that is not registered.
func refused(err error) bool {
	return errors.Is(err, ErrNotSerializable) || errors.Is(err, ErrUnknownModel)
}

// shadowPanic turns a panic of the shadow work into an error.
func shadowPanic(stage string, r any) error {
	return fmt.Errorf("gormpickle: shadow check panicked during %s: %v\n%s", stage, r, debug.Stack())
}

// shallowCopy returns a new pointer to a copy of what dest points to, so
// that rendering sees the destination as it was before the statement
// filled it; anything but a non-nil pointer is returned as it is.
func shallowCopy(dest any) any {
	rv := reflect.ValueOf(dest)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return dest
	}
	cp := reflect.New(rv.Type().Elem())
	cp.Elem().Set(rv.Elem())
	return cp.Interface()
}

// sameRef reports whether a and b are the same pointer.
func sameRef(a, b any) bool {
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	return ra.Kind() == reflect.Pointer && rb.Kind() == reflect.Pointer &&
		ra.Type() == rb.Type() && ra.Pointer() == rb.Pointer()
}
