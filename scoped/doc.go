// Package scoped binds GORM sessions and transactions to a context.Context:
// Go's equivalent of SQLAlchemy's scoped_session, the "current session"
// that gormpickle.Loads restores a query into.
//
// # Sessions
//
// A [Registry] wraps a *gorm.DB. [Registry.DB] returns the session bound to
// a context: the open transaction of the innermost [Registry.Transaction]
// (or [Registry.WithTx]) the context came from, else the DB itself with the
// context attached. Code deep in a call stack asks for r.DB(ctx) and joins
// its caller's unit of work without a *gorm.DB being passed around.
//
// # Nested transactions
//
// Transaction called with a context that already carries one of the
// registry's transactions opens a SAVEPOINT instead of a new transaction:
// an error from the inner function rolls back to the savepoint only, and
// the outer function decides about the rest. A panic rolls back (to the
// savepoint, or the whole transaction at the outermost level) and is
// re-raised.
//
// Each registry uses its own context key, so two registries over different
// databases never see each other's transactions in the same context. A
// transaction, like the *sql.Tx under it, must not be used by several
// goroutines at once.
package scoped
