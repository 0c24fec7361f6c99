package scoped

import (
	"context"
	"errors"
	"sync"

	"gorm.io/gorm"
)

// ErrNotOwned is returned by [Registry.AfterCommit] for a transaction
// bound with [Registry.WithTx]: the registry does not commit it, so it
// cannot tell when it commits.
var ErrNotOwned = errors.New("scoped: the transaction was bound with WithTx; its owner commits it")

// binding is what a context carries for one registry: the transaction
// (or savepoint) and the hooks to run after its commit.
type binding struct {
	tx    *gorm.DB
	owned bool // begun by Registry.Transaction (or a savepoint of one)

	mu    sync.Mutex
	hooks []func(context.Context)
}

// AfterCommit runs fn once the transaction ctx carries has committed:
// after the outermost [Registry.Transaction] commit returned without
// error, in the order the hooks were added, with that Transaction's
// context (not cancelled). Hooks added inside a savepoint that is rolled
// back, or inside a transaction that is rolled back or fails to commit,
// never run. Without a transaction in ctx, fn runs now. This is the
// place for "push to the queue after commit": the job never sees data
// that was rolled back. A transaction bound with [Registry.WithTx] gives
// [ErrNotOwned]. A panicking hook panics out of Transaction, after the
// commit; the hooks after it do not run.
func (r *Registry) AfterCommit(ctx context.Context, fn func(context.Context)) error {
	if ctx == nil {
		ctx = context.Background()
	}
	b := r.binding(ctx)
	if b == nil {
		fn(ctx)
		return nil
	}
	if !b.owned {
		return ErrNotOwned
	}
	b.mu.Lock()
	b.hooks = append(b.hooks, fn)
	b.mu.Unlock()
	return nil
}

// adopt moves a released savepoint's hooks to the enclosing binding.
func (b *binding) adopt(child *binding) {
	child.mu.Lock()
	hooks := child.hooks
	child.hooks = nil
	child.mu.Unlock()
	b.mu.Lock()
	b.hooks = append(b.hooks, hooks...)
	b.mu.Unlock()
}

func (b *binding) runHooks(ctx context.Context) {
	b.mu.Lock()
	hooks := b.hooks
	b.hooks = nil
	b.mu.Unlock()
	for _, fn := range hooks {
		fn(ctx)
	}
}
