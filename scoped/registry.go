package scoped

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Registry hands out the session bound to a context. Create one per
// database with [New]; it is safe for concurrent use.
type Registry struct {
	db  *gorm.DB
	key *contextKey
}

// contextKey is allocated once per Registry and its address is the context
// key, so registries never read each other's transactions. It is not
// zero-sized because distinct zero-size allocations may share an address.
type contextKey struct{ _ byte }

// New returns a registry over db. db is used as given: settings of its
// session (Debug, PrepareStmt, a logger) apply to every session the
// registry hands out, and db itself is never modified. New panics if db is
// nil.
func New(db *gorm.DB) *Registry {
	if db == nil {
		panic("scoped: New called with a nil *gorm.DB")
	}
	return &Registry{db: db, key: &contextKey{}}
}

// DB returns the session bound to ctx: the open transaction of the
// innermost [Registry.Transaction] (or [Registry.WithTx]) that ctx came
// from, else db.WithContext(ctx). The session carries ctx, so cancelling
// ctx cancels its queries. A nil ctx counts as context.Background(). DB
// never returns nil.
func (r *Registry) DB(ctx context.Context) *gorm.DB {
	if ctx == nil {
		ctx = context.Background()
	}
	if tx := r.tx(ctx); tx != nil {
		return tx.WithContext(ctx)
	}
	return r.db.WithContext(ctx)
}

// InTransaction reports whether ctx carries one of r's transactions, that
// is whether [Registry.DB] returns a transaction rather than the pool.
func (r *Registry) InTransaction(ctx context.Context) bool {
	return ctx != nil && r.tx(ctx) != nil
}

func (r *Registry) tx(ctx context.Context) *gorm.DB {
	if b := r.binding(ctx); b != nil {
		return b.tx
	}
	return nil
}

func (r *Registry) binding(ctx context.Context) *binding {
	b, _ := ctx.Value(r.key).(*binding)
	return b
}

func (r *Registry) bind(ctx context.Context, b *binding) context.Context {
	return context.WithValue(ctx, r.key, b)
}

// Transaction runs fn in a transaction bound to the context it passes to
// fn, and commits when fn returns nil. Called with a ctx that already
// carries one of r's transactions, it opens a SAVEPOINT instead: fn's error
// rolls back to the savepoint only, and opts are ignored (a savepoint
// shares the enclosing transaction's isolation level and read-only mode).
//
// fn's error is returned unchanged, so errors.Is and == work; a failed
// rollback or commit is returned too, joined with it by errors.Join. A
// panic in fn rolls back and is re-raised (the rollback's own error is
// dropped: the panic is what the caller sees). If ctx is cancelled, the
// transaction is rolled back and ctx.Err() is returned, joined with fn's
// error if it had another one.
//
// The context passed to fn must not be used once Transaction has returned,
// nor by several goroutines at once: like the *sql.Tx under it, a
// transaction is one connection.
func (r *Registry) Transaction(ctx context.Context, fn func(ctx context.Context) error, opts ...*sql.TxOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if outer := r.tx(ctx); outer != nil {
		return r.savepoint(ctx, outer, fn)
	}
	tx := r.db.WithContext(ctx).Begin(opts...)
	if tx.Error != nil {
		return fmt.Errorf("scoped: begin: %w", tx.Error)
	}
	// Commit and roll back on the connection directly: gorm's Commit and
	// Rollback fold their errors into tx.Error.
	conn, ok := tx.Statement.ConnPool.(gorm.TxCommitter)
	if !ok {
		return fmt.Errorf("scoped: begin: %T is not a transaction", tx.Statement.ConnPool)
	}
	b := &binding{tx: tx, owned: true}
	err := withContextErr(ctx, run(r.bind(ctx, b), fn, conn.Rollback))
	if err != nil {
		return joinCleanup(err, "rollback", conn.Rollback())
	}
	if err := conn.Commit(); err != nil {
		return errors.Join(ctx.Err(), fmt.Errorf("scoped: commit: %w", err))
	}
	b.runHooks(context.WithoutCancel(ctx))
	return nil
}

// run calls fn(ctx). If fn panics or calls runtime.Goexit, undo runs
// before the panic goes on up the stack; nothing is recovered, so the
// original stack trace is kept.
func run(ctx context.Context, fn func(context.Context) error, undo func() error) error {
	returned := false
	defer func() {
		if !returned {
			_ = undo() // the panic is what the caller sees
		}
	}()
	err := fn(ctx)
	returned = true
	return err
}

// withContextErr makes a cancelled context's error part of err, so callers
// can test errors.Is(err, context.Canceled) whatever fn returned.
func withContextErr(ctx context.Context, err error) error {
	ctxErr := ctx.Err()
	switch {
	case ctxErr == nil || errors.Is(err, ctxErr):
		return err
	case err == nil:
		return ctxErr
	}
	return errors.Join(err, ctxErr)
}

// joinCleanup adds a failed rollback to err. sql.ErrTxDone is expected, not
// a failure: database/sql has already rolled back a transaction whose
// context was cancelled.
func joinCleanup(err error, what string, cleanupErr error) error {
	if cleanupErr == nil || errors.Is(cleanupErr, sql.ErrTxDone) {
		return err
	}
	return errors.Join(err, fmt.Errorf("scoped: %s: %w", what, cleanupErr))
}
