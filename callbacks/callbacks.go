// Package callbacks says what gormpickle does in GORM's callback chains,
// for applications that register callbacks of their own.
//
// gormpickle's plugin replaces gorm:query, gorm:row and gorm:raw with a
// callback of the same name that, for every statement the application
// runs, calls the callback it replaced: ordering, plugins and behaviour are
// unchanged. gormpickle.Dumps runs the chain being dumped through the query
// callbacks on a DryRun session marked with [MarkerKey] and stops at
// gorm:query's place, before any SQL is built or sent: callbacks sorted
// before gorm:query run (multi-tenancy conditions, dbresolver), callbacks
// after it do not.
//
// A callback before gorm:query that pairs with one after it (a tracing
// span opened before and closed after, say) sees its closing half skipped
// on such a run; it can tell the run by [Capturing] and do nothing.
//
// Plugins that replace gorm:query themselves (caching plugins do) must be
// installed before gormpickle's: installed after, they remove its capture
// and Dumps fails with gormpickle.ErrNoPlugin saying so.
package callbacks

import "gorm.io/gorm"

// MarkerKey is the Statement.Settings key that marks a statement run by
// gormpickle.Dumps to capture it, not to execute it.
const MarkerKey = "gormpickle:capture"

// Capturing reports whether db's statement runs for gormpickle.Dumps (see
// the package documentation): no SQL will be sent, and the callbacks
// after gorm:query will not run.
func Capturing(db *gorm.DB) bool {
	if db == nil || db.Statement == nil {
		return false
	}
	_, ok := db.Statement.Settings.Load(MarkerKey)
	return ok
}
