// Package capture installs gormpickle's capture in GORM's callbacks and
// drives a query chain to the point where GORM would build its SQL, so that
// the statement can be captured exactly as GORM would execute it (scopes
// run, model parsed, every callback sorted before gorm:query applied)
// without running any SQL, without running what comes after (the
// application's metrics, tracing or audit callbacks), and without changing
// the caller's chain.
//
// Capture works on a DryRun session carrying a private marker in its
// Settings. The capture point takes the place of gorm:query (and of
// gorm:row and gorm:raw): it hands a marked statement to the caller before
// any clause is built (clause.Where.Build reorders its expressions in
// place, so nothing may be read after it ran) and ends the run; every
// other statement goes on to the callback it replaced.
//
// It is internal: the public package callbacks documents what applications
// see of it (its MarkerKey and Capturing).
package capture
