package cache

import (
	"context"
	"database/sql"
	"sync"

	"gorm.io/gorm"
)

// rootPool wraps a DB's connection pool. It sees every statement GORM
// sends outside a transaction, invalidating the tables of writes once
// they are done, and wraps the transactions it begins so that their
// writes are invalidated when they commit.
type rootPool struct {
	inner gorm.ConnPool
	p     *Plugin
}

var (
	_ gorm.ConnPool         = (*rootPool)(nil)
	_ gorm.ConnPoolBeginner = (*rootPool)(nil)
	_ gorm.GetDBConnector   = (*rootPool)(nil)
)

func (r *rootPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return r.inner.PrepareContext(ctx, query)
}

// ExecContext runs query; a write's tables are invalidated after it
// returned, which in autocommit mode is after it committed.
func (r *rootPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	info := classifyCached(query)
	if isDDL(query) {
		r.p.kinds.forget()
	}
	res, err := r.inner.ExecContext(ctx, query, args...)
	if info.kind == sqlWrite {
		_ = r.p.bump(ctx, r.written(ctx, info, r.inner))
	}
	return res, err
}

// QueryContext runs query. A write (INSERT ... RETURNING) is read to the
// end first, so that it has committed when its tables are invalidated.
func (r *rootPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	info := classifyCached(query)
	if info.kind != sqlWrite {
		return r.inner.QueryContext(ctx, query, args...)
	}
	e, err := r.drain(ctx, query, args)
	_ = r.p.bump(ctx, r.written(ctx, info, r.inner))
	if err != nil {
		return nil, err
	}
	return replayRows(ctx, e)
}

func (r *rootPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	info := classifyCached(query)
	if info.kind != sqlWrite {
		return r.inner.QueryRowContext(ctx, query, args...)
	}
	e, err := r.drain(ctx, query, args)
	_ = r.p.bump(ctx, r.written(ctx, info, r.inner))
	return replayRow(ctx, e, err)
}

func (r *rootPool) drain(ctx context.Context, query string, args []any) (*entry, error) {
	rows, err := r.inner.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	e, _, err := record(rows)
	return e, err
}

// written returns the tables a write invalidates: those it names if they
// are all base tables, else the whole namespace (a write through a view
// changes the rows of tables it does not name). The catalog is asked
// through catalog (the transaction's own connection inside one, so that a
// pool of one connection cannot deadlock), once per name.
func (r *rootPool) written(ctx context.Context, info sqlInfo, catalog gorm.ConnPool) []string {
	tables := writtenTables(info)
	if tables[0] == namespaceTable || r.p.baseTables(ctx, catalog, tables) {
		return tables
	}
	return []string{namespaceTable}
}

// BeginTx begins a transaction on the wrapped pool and wraps it.
func (r *rootPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	var (
		tx  gorm.ConnPool
		err error
	)
	switch b := r.inner.(type) {
	case gorm.TxBeginner:
		var sqlTx *sql.Tx
		if sqlTx, err = b.BeginTx(ctx, opts); err == nil {
			tx = sqlTx
		}
	case gorm.ConnPoolBeginner:
		tx, err = b.BeginTx(ctx, opts)
	default:
		return nil, gorm.ErrInvalidTransaction
	}
	if err != nil {
		return nil, err
	}
	return &txPool{inner: tx, root: r}, nil
}

// GetDBConn returns the *sql.DB under the pool, for db.DB().
func (r *rootPool) GetDBConn() (*sql.DB, error) {
	switch in := r.inner.(type) {
	case *sql.DB:
		return in, nil
	case gorm.GetDBConnector:
		return in.GetDBConn()
	}
	return nil, gorm.ErrInvalidDB
}

// txPool wraps one transaction: it records the tables its writes touch,
// invalidates them after Commit returned, and forgets them on Rollback.
type txPool struct {
	inner gorm.ConnPool
	root  *rootPool

	mu      sync.Mutex
	written map[string]bool
}

var (
	_ gorm.ConnPool       = (*txPool)(nil)
	_ gorm.TxCommitter    = (*txPool)(nil)
	_ gorm.GetDBConnector = (*txPool)(nil)
)

// txOf returns the transaction a statement's connection pool is, if it
// is one of the plugin's.
func txOf(pool gorm.ConnPool) *txPool {
	switch p := pool.(type) {
	case *txPool:
		return p
	case *readPool:
		return txOf(p.inner)
	case *gorm.PreparedStmtTX: // a PrepareStmt session's transaction
		return txOf(p.Tx)
	}
	return nil
}

func (t *txPool) wrote(tables []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.written == nil {
		t.written = map[string]bool{}
	}
	for _, name := range tables {
		t.written[name] = true
	}
}

// touches reports whether the transaction wrote one of tables (or wrote
// tables it could not name).
func (t *txPool) touches(tables []string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.written[namespaceTable] {
		return true
	}
	for _, name := range tables {
		if t.written[name] {
			return true
		}
	}
	return false
}

// noteCtx records the tables a statement of the transaction writes.
func (t *txPool) noteCtx(ctx context.Context, query string) {
	if isDDL(query) {
		t.root.p.kinds.forget()
	}
	if info := classifyCached(query); info.kind == sqlWrite {
		t.wrote(t.root.written(ctx, info, t.inner))
	}
}

func (t *txPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.inner.PrepareContext(ctx, query)
}

func (t *txPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.noteCtx(ctx, query)
	return t.inner.ExecContext(ctx, query, args...)
}

func (t *txPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	t.noteCtx(ctx, query)
	return t.inner.QueryContext(ctx, query, args...)
}

func (t *txPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	t.noteCtx(ctx, query)
	return t.inner.QueryRowContext(ctx, query, args...)
}

// Commit commits, then invalidates what the transaction wrote. The
// tables are invalidated even when Commit fails: a commit whose reply was
// lost may have committed.
func (t *txPool) Commit() error {
	committer, ok := t.inner.(gorm.TxCommitter)
	if !ok {
		return gorm.ErrInvalidTransaction
	}
	err := committer.Commit()
	t.mu.Lock()
	tables := make([]string, 0, len(t.written))
	for name := range t.written {
		tables = append(tables, name)
	}
	t.written = nil
	t.mu.Unlock()
	_ = t.root.p.bump(context.Background(), tables)
	return err
}

// Rollback rolls back; nothing the transaction wrote is invalidated.
func (t *txPool) Rollback() error {
	committer, ok := t.inner.(gorm.TxCommitter)
	if !ok {
		return gorm.ErrInvalidTransaction
	}
	t.mu.Lock()
	t.written = nil
	t.mu.Unlock()
	return committer.Rollback()
}

// GetDBConn returns the *sql.DB the transaction runs on, for db.DB().
func (t *txPool) GetDBConn() (*sql.DB, error) { return t.root.GetDBConn() }
