package scoped

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"

	"gorm.io/gorm"
)

// Registry hands out the session bound to a context. Create one per
// database with [New]; it is safe for concurrent use.
type Registry struct {
	db  *gorm.DB
	key *contextKey
}

// contextKey is unique per Registry, so registries never share bindings.
type contextKey struct{ _ byte }

// binding is what a context carries for one registry: the transaction and
// how deep the savepoints go.
type binding struct {
	tx      *gorm.DB
	depth   int
	counter *atomic.Int64 // names savepoints uniquely within the transaction
}

// New returns a registry over db.
func New(db *gorm.DB) *Registry {
	return &Registry{db: db, key: &contextKey{}}
}

// DB returns the session bound to ctx: the open transaction of the
// innermost Transaction that ctx came from, else db.WithContext(ctx). The
// returned session carries ctx, so cancelling ctx cancels its queries. It
// is never nil.
func (r *Registry) DB(ctx context.Context) *gorm.DB {
	if ctx == nil {
		ctx = context.Background()
	}
	if b := r.binding(ctx); b != nil {
		return b.tx.WithContext(ctx)
	}
	return r.db.WithContext(ctx)
}

// InTransaction reports whether ctx carries one of r's transactions.
func (r *Registry) InTransaction(ctx context.Context) bool {
	return ctx != nil && r.binding(ctx) != nil
}

func (r *Registry) binding(ctx context.Context) *binding {
	b, _ := ctx.Value(r.key).(*binding)
	return b
}

// WithTx binds a transaction the caller began itself (db.Begin()) to ctx:
// DB(ctx) returns it and Transaction(ctx, ...) nests in it with savepoints.
// The caller keeps ownership: Transaction never commits or rolls back tx
// itself.
func (r *Registry) WithTx(ctx context.Context, tx *gorm.DB) context.Context {
	return context.WithValue(ctx, r.key, &binding{tx: tx, counter: new(atomic.Int64)})
}

// Transaction runs fn in a transaction bound to the context it passes to
// fn, and commits when fn returns nil. Called with a ctx that already
// carries one of r's transactions, it opens a SAVEPOINT instead: fn's error
// rolls back to the savepoint only.
//
// fn's error is returned unchanged (errors.Is works); a failed rollback or
// commit is returned too, joined with it. A panic in fn rolls back and is
// re-raised. If ctx is cancelled, the transaction is rolled back and the
// context's error returned.
func (r *Registry) Transaction(ctx context.Context, fn func(ctx context.Context) error, opts ...*sql.TxOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if outer := r.binding(ctx); outer != nil {
		return r.nested(ctx, outer, fn)
	}
	tx := r.db.WithContext(ctx).Begin(opts...)
	if tx.Error != nil {
		return fmt.Errorf("scoped: begin: %w", tx.Error)
	}
	inner := context.WithValue(ctx, r.key, &binding{tx: tx, counter: new(atomic.Int64)})
	err := withContextErr(ctx, runGuarded(fn, inner, func() error { return tx.Rollback().Error }))
	if err != nil {
		if rbErr := tx.Rollback().Error; rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("scoped: rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit().Error; err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return errors.Join(ctxErr, fmt.Errorf("scoped: commit: %w", err))
		}
		return fmt.Errorf("scoped: commit: %w", err)
	}
	return nil
}

// nested runs fn inside a savepoint of the enclosing transaction.
func (r *Registry) nested(ctx context.Context, outer *binding, fn func(ctx context.Context) error) error {
	name := fmt.Sprintf("gormpickle_sp_%d_%d", outer.depth+1, outer.counter.Add(1))
	tx := outer.tx.WithContext(ctx)
	if err := tx.SavePoint(name).Error; err != nil {
		return fmt.Errorf("scoped: savepoint %s: %w", name, err)
	}
	inner := context.WithValue(ctx, r.key, &binding{tx: outer.tx, depth: outer.depth + 1, counter: outer.counter})
	rollback := func() error { return tx.RollbackTo(name).Error }
	err := withContextErr(ctx, runGuarded(fn, inner, rollback))
	if err != nil {
		if rbErr := rollback(); rbErr != nil {
			return errors.Join(err, fmt.Errorf("scoped: rollback to savepoint %s: %w", name, rbErr))
		}
		return err
	}
	if err := tx.Exec("RELEASE SAVEPOINT " + name).Error; err != nil {
		return fmt.Errorf("scoped: release savepoint %s: %w", name, err)
	}
	return nil
}

// withContextErr makes sure a cancelled context's error is part of err, so
// callers can test errors.Is(err, context.Canceled) whatever fn returned.
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

// runGuarded calls fn; if fn panics, it runs rollback and re-panics.
func runGuarded(fn func(context.Context) error, ctx context.Context, rollback func() error) (err error) {
	panicked := true
	defer func() {
		if panicked {
			_ = rollback() // the panic is what the caller needs to see
		}
	}()
	err = fn(ctx)
	panicked = false
	return err
}
