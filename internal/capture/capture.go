package capture

import (
	"errors"
	"fmt"
	"sync/atomic"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle/callbacks"
)

// ErrNotInstalled is returned by [Capture] when the capture is not installed
// on the chain's DB (or gorm:query was replaced since). The root package
// exports it as ErrNoPlugin.
var ErrNotInstalled = errors.New("gormpickle: plugin not installed on this *gorm.DB")

// sink receives the statement of one capture run.
type sink struct {
	fn   func(*gorm.DB) error
	done bool
	err  error
}

// stop is what the capture point panics with once the statement has been
// handed over; Capture recovers it.
type stop struct{}

// Capture runs tx's chain through GORM's query pipeline on a private DryRun
// clone, up to the point where gorm:query would build the SQL: scopes run,
// the model is parsed and every callback sorted before gorm:query runs
// (multi-tenancy conditions, dbresolver), whenever it was registered. It
// calls fn with the resulting statement and stops there: gorm:query and
// every callback after it (preloads, AfterFind hooks, the application's
// metrics, tracing or audit callbacks) do not run, as no SQL is sent. tx
// is not modified and stays usable. fn must not retain the statement or
// modify it.
func Capture(tx *gorm.DB, fn func(*gorm.Statement) error) error {
	if tx == nil || tx.Statement == nil {
		return fmt.Errorf("gormpickle: capture: nil *gorm.DB")
	}
	if tx.Error != nil {
		return tx.Error
	}
	return capture(tx, Query, func(db *gorm.DB) error { return fn(db.Statement) })
}

// capture is Capture through the processor p.
func capture(tx *gorm.DB, p Processor, fn func(*gorm.DB) error) error {
	s := &sink{fn: fn}
	run := tx.Session(&gorm.Session{DryRun: true, Logger: logger.Discard}).Set(callbacks.MarkerKey, s)
	if run = execute(run, p); s.done {
		return s.err
	}
	if run != nil && run.Error != nil {
		return run.Error
	}
	return ErrNotInstalled
}

// execute runs the processor p on run. It returns the processor's
// result, or nil when the capture point stopped it.
func execute(run *gorm.DB, p Processor) (out *gorm.DB) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				panic(r)
			}
			out = nil
		}
	}()
	switch p {
	case Row:
		return run.Callback().Row().Execute(run)
	case Raw:
		return run.Callback().Raw().Execute(run)
	}
	return run.Callback().Query().Execute(run)
}

// capturePoint takes the place of the callback that builds and sends a
// processor's SQL (gorm:query, gorm:row, gorm:raw), next: a marked
// statement is handed to its sink there, and the run ends; any other
// statement goes on to next.
//
// The run ends with a panic that Capture recovers because GORM's processor
// calls every callback in turn and offers no way to stop: an error only
// keeps GORM's own callbacks from acting, while the application's run
// regardless. Nothing of GORM's is left half done: Execute defers
// nothing, and the run is a private DryRun clone.
type capturePoint struct {
	next func(*gorm.DB)
	proc Processor
	// shadow, when set, runs every statement passed on to next (see
	// [SetShadow]); unset, it costs one load and a nil check.
	shadow atomic.Pointer[Shadow]
}

// run is the callback that replaces next.
func (c *capturePoint) run(db *gorm.DB) {
	v, ok := db.Statement.Settings.Load(callbacks.MarkerKey)
	if !ok {
		if sh := c.shadow.Load(); sh != nil {
			(*sh)(db, c.proc, c.next)
			return
		}
		c.next(db)
		return
	}
	s, ok := v.(*sink)
	if !ok || s.done {
		if p, isProbe := v.(*probe); isProbe {
			p.point = c
			return
		}
		c.next(db)
		return
	}
	s.done = true
	if db.Error != nil {
		s.err = db.Error
	} else {
		s.err = s.fn(db)
	}
	panic(stop{})
}
