package callbacks

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// MarkerKey is the Statement.Settings key that marks a capture run. Encoders
// must skip it.
const MarkerKey = "gormpickle:capture"

// ErrNotInstalled is returned by [Capture] when the capture callback is not
// registered on the chain's DB. The root package exports it as ErrNoPlugin.
var ErrNotInstalled = errors.New("gormpickle: plugin not installed on this *gorm.DB")

// errCaptured stops a capture run once the statement has been handed over.
var errCaptured = errors.New("gormpickle: statement captured")

// sink receives the statement of one capture run.
type sink struct {
	fn   func(*gorm.Statement) error
	done bool
	err  error
}

// Capture runs tx's chain through GORM's query pipeline (scopes, model
// parsing) on a private DryRun clone and calls fn with the resulting
// statement, before any SQL is built or sent. tx is not modified and stays
// usable. fn must not retain the statement or modify it.
func Capture(tx *gorm.DB, fn func(*gorm.Statement) error) error {
	if tx == nil || tx.Statement == nil {
		return fmt.Errorf("gormpickle: capture: nil *gorm.DB")
	}
	if tx.Error != nil {
		return tx.Error
	}
	s := &sink{fn: fn}
	run := tx.Session(&gorm.Session{DryRun: true, Logger: logger.Discard}).Set(MarkerKey, s)
	run = run.Callback().Query().Execute(run)
	if s.done {
		return s.err
	}
	if run.Error != nil && !errors.Is(run.Error, errCaptured) {
		return run.Error
	}
	return ErrNotInstalled
}

// captureCallback hands a marked statement to its sink and stops the run.
// Unmarked statements pass through untouched.
func captureCallback(db *gorm.DB) {
	v, ok := db.Statement.Settings.Load(MarkerKey)
	if !ok {
		return
	}
	s, ok := v.(*sink)
	if !ok || s.done {
		return
	}
	s.done = true
	if db.Error != nil {
		s.err = db.Error
	} else {
		s.err = s.fn(db.Statement)
	}
	_ = db.AddError(errCaptured)
}
