package dbtest

import (
	"context"
	"database/sql"
	"sync/atomic"

	"gorm.io/gorm"
)

// Sent counts the statements that reach a database, those of its
// transactions included. Installed with [CountSent] before a caching
// plugin wraps the pool, it does not see what the cache serves.
type Sent struct {
	gorm.ConnPool
	n *atomic.Int64
}

// CountSent makes db's statements counted; call it before installing
// plugins that wrap the connection pool.
func CountSent(db *gorm.DB) *Sent {
	s := &Sent{ConnPool: db.Config.ConnPool, n: new(atomic.Int64)}
	db.Config.ConnPool = s
	db.Statement.ConnPool = s
	return s
}

// N returns how many statements were sent so far.
func (s *Sent) N() int64 { return s.n.Load() }

func (s *Sent) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s.n.Add(1)
	return s.ConnPool.ExecContext(ctx, q, args...)
}

func (s *Sent) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s.n.Add(1)
	return s.ConnPool.QueryContext(ctx, q, args...)
}

func (s *Sent) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	s.n.Add(1)
	return s.ConnPool.QueryRowContext(ctx, q, args...)
}

// BeginTx begins a transaction whose statements count into s.
func (s *Sent) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := s.ConnPool.(gorm.TxBeginner).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &sentTx{Sent: Sent{ConnPool: tx, n: s.n}, tx: tx}, nil
}

// GetDBConn returns the *sql.DB under the pool, for db.DB().
func (s *Sent) GetDBConn() (*sql.DB, error) { return s.ConnPool.(*sql.DB), nil }

// sentTx is a counted transaction.
type sentTx struct {
	Sent
	tx *sql.Tx
}

func (s *sentTx) Commit() error   { return s.tx.Commit() }
func (s *sentTx) Rollback() error { return s.tx.Rollback() }
