// Package callbacks registers gormpickle's GORM callbacks and drives a query
// chain to the point where GORM would build its SQL, so that the statement
// can be captured exactly as GORM would execute it (scopes run, model parsed)
// without running any SQL and without changing the caller's chain.
//
// Capture works on a DryRun session carrying a private marker in its
// Settings. The capture callback, registered before gorm:query, gorm:row and
// gorm:raw, hands the statement to the caller and stops the run with a
// sentinel error before any clause is built: clause.Where.Build reorders its
// expressions in place, so nothing may be read after it ran.
package callbacks
