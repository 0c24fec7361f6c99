package cache

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// StmtContext makes a transaction usable under a PrepareStmt session
// (gorm.Tx): it rebinds a prepared statement to the transaction.
func (t *txPool) StmtContext(ctx context.Context, stmt *sql.Stmt) *sql.Stmt {
	if s, ok := t.inner.(interface {
		StmtContext(context.Context, *sql.Stmt) *sql.Stmt
	}); ok {
		return s.StmtContext(ctx, stmt)
	}
	return stmt
}

// afterWrite sees the writes the wrapped pools do not: a PrepareStmt
// session wraps the plugin's pool in GORM's PreparedStmtDB (or
// PreparedStmtTX), which executes prepared statements without going
// through the pool's ExecContext. It runs after gorm:create, gorm:update,
// gorm:delete and gorm:raw, when the statement has run.
func (p *Plugin) afterWrite(db *gorm.DB) {
	stmt := db.Statement
	if stmt == nil || stmt.SQL.Len() == 0 || db.DryRun {
		return
	}
	switch pool := stmt.ConnPool.(type) {
	case *gorm.PreparedStmtTX:
		if tx, ok := pool.Tx.(*txPool); ok {
			tx.noteCtx(stmt.Context, stmt.SQL.String())
		}
	case *gorm.PreparedStmtDB:
		if root, ok := pool.ConnPool.(*rootPool); ok && root.p == p {
			if info := classifyCached(stmt.SQL.String()); info.kind == sqlWrite {
				_ = p.bump(stmt.Context, root.written(stmt.Context, info, root.inner))
			}
		}
	}
}

// registerWriteCallbacks installs afterWrite.
func registerWriteCallbacks(db *gorm.DB, p *Plugin) error {
	cb := db.Callback()
	if err := cb.Create().After("gorm:create").Register("gormpickle:cache_after_create", p.afterWrite); err != nil {
		return err
	}
	if err := cb.Update().After("gorm:update").Register("gormpickle:cache_after_update", p.afterWrite); err != nil {
		return err
	}
	if err := cb.Delete().After("gorm:delete").Register("gormpickle:cache_after_delete", p.afterWrite); err != nil {
		return err
	}
	return cb.Raw().After("gorm:raw").Register("gormpickle:cache_after_raw", p.afterWrite)
}
