package scoped

import (
	"context"

	"gorm.io/gorm"
)

// WithTx returns a copy of ctx bound to tx, a transaction the caller began
// itself over r's database (for example with db.Begin()): [Registry.DB] on
// the returned context returns tx, and [Registry.Transaction] nests in it
// with savepoints. The caller keeps ownership: the registry never commits
// or rolls back tx itself.
//
// WithTx is a method because a binding belongs to one registry; another
// registry does not see it. It panics if tx is nil or not a transaction:
// savepoints on a pooled *gorm.DB would land on arbitrary connections.
func (r *Registry) WithTx(ctx context.Context, tx *gorm.DB) context.Context {
	if tx == nil || tx.Statement == nil {
		panic("scoped: WithTx called with a nil *gorm.DB")
	}
	if _, ok := tx.Statement.ConnPool.(gorm.TxCommitter); !ok {
		panic("scoped: WithTx called with a *gorm.DB that is not a transaction")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return r.bind(ctx, &binding{tx: tx})
}
