package scoped

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"

	"gorm.io/gorm"
)

// savepointSeq names savepoints uniquely in the process. A per-transaction
// counter is not enough: the same transaction can be bound twice with
// WithTx, and MySQL silently replaces a savepoint of the same name.
var savepointSeq atomic.Uint64

// savepoint runs fn inside a SAVEPOINT of the enclosing transaction tx.
func (r *Registry) savepoint(ctx context.Context, tx *gorm.DB, fn func(context.Context) error) error {
	name := "scoped_sp_" + strconv.FormatUint(savepointSeq.Add(1), 10)
	if err := exec(ctx, tx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("scoped: savepoint: %w", err)
	}
	// Rollback and release must happen even when ctx is what ended fn: the
	// enclosing transaction lives on and must not keep fn's writes.
	detached := context.WithoutCancel(ctx)
	rollback := func() error { return exec(detached, tx, "ROLLBACK TO SAVEPOINT "+name) }
	parent := r.binding(ctx)
	b := &binding{tx: tx, owned: parent != nil && parent.owned}
	err := withContextErr(ctx, run(r.bind(ctx, b), fn, rollback))
	if err != nil {
		return joinCleanup(err, "rollback to savepoint", rollback())
	}
	// Releasing frees the savepoint (PostgreSQL keeps each one as a
	// subtransaction until the end otherwise).
	if err := exec(detached, tx, "RELEASE SAVEPOINT "+name); err != nil {
		err = fmt.Errorf("scoped: release savepoint: %w", err)
		return joinCleanup(err, "rollback to savepoint", rollback())
	}
	if parent != nil {
		parent.adopt(b) // the savepoint's hooks now wait for the enclosing commit
	}
	return nil
}

// exec runs a savepoint statement through GORM (so it is logged and traced
// like GORM's own SavePoint) on tx's connection. A prepared-statement
// session is bypassed, as GORM's SavePoint does: every savepoint name is
// new, so each statement would be prepared and cached once and never
// reused.
func exec(ctx context.Context, tx *gorm.DB, query string) error {
	s := tx.Session(&gorm.Session{Context: ctx}) // a private Statement copy
	if p, ok := s.Statement.ConnPool.(*gorm.PreparedStmtTX); ok {
		s.Statement.ConnPool = p.Tx
	}
	return s.Exec(query).Error
}
