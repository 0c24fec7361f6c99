package capture

import (
	"fmt"
	"reflect"

	"gorm.io/gorm"
)

// processor is the part of GORM's (unexported) callback processor type that
// installing the capture needs.
type processor interface {
	Get(name string) func(*gorm.DB)
	Replace(name string, fn func(*gorm.DB)) error
}

// installation is one row of the capture table: a processor and GORM's
// callback in it that builds and sends the SQL, where the capture sits.
type installation struct {
	callback string
	proc     Processor
	of       func(db *gorm.DB) processor
}

var installations = []installation{
	{"gorm:query", Query, func(db *gorm.DB) processor { return db.Callback().Query() }},
	{"gorm:row", Row, func(db *gorm.DB) processor { return db.Callback().Row() }},
	{"gorm:raw", Raw, func(db *gorm.DB) processor { return db.Callback().Raw() }},
}

// captureCode identifies capture points: every method value of one method
// calls the same wrapper code. (Closures would not do: a copy of a
// function literal is compiled into each caller it is inlined into.)
var captureCode = reflect.ValueOf((&capturePoint{}).run).Pointer()

// isCapture reports whether fn is a capture point's run.
func isCapture(fn func(*gorm.DB)) bool {
	return fn != nil && reflect.ValueOf(fn).Pointer() == captureCode
}

// Register installs the capture in the query, row and raw processors of
// db: GORM's gorm:query, gorm:row and gorm:raw callbacks are replaced by
// capture points that hand a statement marked by [Capture] over where the
// SQL would be built, and pass every other statement on to the callback
// they replace. Sitting in gorm:query's own place, the capture comes after every
// callback sorted before gorm:query, including those registered after the
// plugin, and before every callback after it.
//
// It is safe to call more than once on the same DB: a processor whose
// callback is already a capture point is left alone. The first error is
// returned, wrapped with the callback's name.
func Register(db *gorm.DB) error {
	for _, in := range installations {
		p := in.of(db)
		next := p.Get(in.callback)
		if isCapture(next) {
			continue
		}
		if next == nil {
			return fmt.Errorf("install the capture in %s: GORM's callback is not registered", in.callback)
		}
		if err := p.Replace(in.callback, (&capturePoint{next: next, proc: in.proc}).run); err != nil {
			return fmt.Errorf("install the capture in %s: %w", in.callback, err)
		}
	}
	return nil
}

// Registered reports whether the capture is installed in db's query
// processor (the one [Capture] runs).
func Registered(db *gorm.DB) bool {
	return isCapture(db.Callback().Query().Get("gorm:query"))
}
