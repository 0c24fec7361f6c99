// Package scoped binds GORM sessions and transactions to a context.Context:
// Go's counterpart of SQLAlchemy's scoped_session, and the "current
// session" that gormpickle.Loads restores a saved query into.
//
// # Sessions
//
// A [Registry] wraps one *gorm.DB. [Registry.DB] returns the session bound
// to a context: the open transaction of the innermost
// [Registry.Transaction] the context came from, else the DB itself with the
// context attached. Code deep in a call stack asks for r.DB(ctx) and joins
// its caller's unit of work without a *gorm.DB being passed down:
//
//	err := reg.Transaction(ctx, func(ctx context.Context) error {
//		q, err := gormpickle.Loads(saved, reg.DB(ctx)) // sees uncommitted rows
//		...
//	})
//
// # Nested transactions
//
// Transaction called with a context that already carries one of the
// registry's transactions opens a SAVEPOINT instead of a new transaction.
// An error from the inner function rolls back to the savepoint only; the
// outer function decides about the rest. Savepoints are plain SQL
// (SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT), as SQLite,
// PostgreSQL, MySQL and MariaDB all accept.
//
// # After commit
//
// [Registry.AfterCommit] queues work (a job pushed to a queue, an e-mail)
// until the outermost transaction has committed, and drops it if that
// transaction, or the savepoint it was queued in, rolls back.
//
// # Errors, panics and cancellation
//
// Transaction works like pgx.BeginFunc: fn's error comes back unchanged,
// and a failed rollback or commit is joined to it with errors.Join, never
// dropped. A panic in fn rolls back and is re-raised. A cancelled context
// rolls the transaction (or savepoint) back and its error is returned.
//
// # Transactions begun elsewhere
//
// [Registry.WithTx] binds a transaction the caller began itself, for code
// that owns the transaction's lifetime; Transaction then nests in it with
// savepoints and never commits or rolls it back.
//
// # Isolation
//
// Each registry has its own context key, so two registries (over the same
// or different databases) never see each other's transactions in one
// context. A transaction, like the *sql.Tx under it, is one connection: do
// not use it from several goroutines at once.
//
// # HTTP
//
// [Registry.Middleware] runs each net/http request in a transaction bound
// to the request's context.
package scoped
