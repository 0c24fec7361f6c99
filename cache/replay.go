package cache

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"reflect"
	"slices"
	"sync"
)

// The replay driver hands recorded rows to database/sql, so that GORM
// scans a cached result through the same *sql.Rows code (the same value
// conversions, the same column types) as a live one. A replay query
// carries its *entry (or an error) as its only argument.

var (
	replayOnce sync.Once
	replayDB   *sql.DB
)

func replayPool() *sql.DB {
	replayOnce.Do(func() {
		replayDB = sql.OpenDB(replayConnector{})
		replayDB.SetMaxIdleConns(256)
	})
	return replayDB
}

// replayQuery is the SQL text of every replay query.
const replayQuery = "gormpickle cache replay"

// replayRows returns *sql.Rows over e's rows.
func replayRows(ctx context.Context, e *entry) (*sql.Rows, error) {
	return replayPool().QueryContext(context.WithoutCancel(ctx), replayQuery, e)
}

// replayRow returns a *sql.Row over e's first row, or holding err.
func replayRow(ctx context.Context, e *entry, err error) *sql.Row {
	if err != nil {
		return replayPool().QueryRowContext(context.WithoutCancel(ctx), replayQuery, err)
	}
	return replayPool().QueryRowContext(context.WithoutCancel(ctx), replayQuery, e)
}

type replayConnector struct{}

func (replayConnector) Connect(context.Context) (driver.Conn, error) { return replayConn{}, nil }
func (replayConnector) Driver() driver.Driver                        { return replayDriver{} }

type replayDriver struct{}

func (replayDriver) Open(string) (driver.Conn, error) { return replayConn{}, nil }

type replayConn struct{}

var errReplayOnly = errors.New("gormpickle/cache: the replay connection only replays cached rows")

func (replayConn) Prepare(string) (driver.Stmt, error) { return nil, errReplayOnly }
func (replayConn) Close() error                        { return nil }
func (replayConn) Begin() (driver.Tx, error)           { return nil, errReplayOnly }

// CheckNamedValue lets the *entry argument through unconverted.
func (replayConn) CheckNamedValue(*driver.NamedValue) error { return nil }

func (replayConn) QueryContext(_ context.Context, _ string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) != 1 {
		return nil, errReplayOnly
	}
	switch a := args[0].Value.(type) {
	case *entry:
		return &replayDriverRows{e: a}, nil
	case error:
		return nil, a
	}
	return nil, errReplayOnly
}

// replayDriverRows implements driver.Rows and every column-type interface
// database/sql asks, answering with what the live rows reported.
type replayDriverRows struct {
	e *entry
	i int
}

func (r *replayDriverRows) Columns() []string {
	out := make([]string, len(r.e.cols))
	for i, c := range r.e.cols {
		out[i] = c.name
	}
	return out
}

func (r *replayDriverRows) Close() error { return nil }

func (r *replayDriverRows) Next(dest []driver.Value) error {
	if r.i >= len(r.e.rows) {
		return io.EOF
	}
	for i, v := range r.e.rows[r.i] {
		dest[i] = v
	}
	r.i++
	return nil
}

// col is column i's metadata as the live rows reported it at this point:
// before the first row, or after it.
func (r *replayDriverRows) col(i int) column {
	if r.i > 0 && r.e.later != nil {
		return r.e.later[i]
	}
	return r.e.cols[i]
}

func (r *replayDriverRows) ColumnTypeScanType(i int) reflect.Type { return scanTypes[r.col(i).scan] }
func (r *replayDriverRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.col(i).dbType
}
func (r *replayDriverRows) ColumnTypeLength(i int) (int64, bool) {
	c := r.col(i)
	return c.length, c.lengthOK
}
func (r *replayDriverRows) ColumnTypeNullable(i int) (bool, bool) {
	c := r.col(i)
	return c.nullable, c.nullOK
}
func (r *replayDriverRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	c := r.col(i)
	return c.precision, c.scale, c.decimalOK
}

// columnsOf records column metadata; ok is false when a scan type is not
// one an entry can name.
func columnsOf(names []string, types []*sql.ColumnType) (cols []column, ok bool) {
	cols = make([]column, len(names))
	ok = true
	for i, ct := range types {
		c := column{name: names[i], dbType: ct.DatabaseTypeName()}
		idx, known := scanTypeIndex[ct.ScanType()]
		ok = ok && known
		c.scan = idx
		c.length, c.lengthOK = ct.Length()
		c.nullable, c.nullOK = ct.Nullable()
		c.precision, c.scale, c.decimalOK = ct.DecimalSize()
		cols[i] = c
	}
	return cols, ok
}

// record reads rows to the end into an entry (closing them), keeping each
// driver value as database/sql hands it to a *any. cacheable is false
// when a column's scan type is not one an entry can name.
func record(rows *sql.Rows) (e *entry, cacheable bool, err error) {
	defer func() {
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
	}()
	names, err := rows.Columns()
	if err != nil {
		return nil, false, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, false, err
	}
	e = &entry{}
	e.cols, cacheable = columnsOf(names, types)
	ptrs := make([]any, len(names))
	for rows.Next() {
		if len(e.rows) == 0 {
			// What the driver reports once a row is read may differ.
			if types, err = rows.ColumnTypes(); err != nil {
				return nil, false, err
			}
			later, ok := columnsOf(names, types)
			cacheable = cacheable && ok
			if !slices.Equal(later, e.cols) {
				e.later = later
			}
		}
		row := make([]any, len(names))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, false, err
		}
		e.rows = append(e.rows, row)
	}
	return e, cacheable, rows.Err()
}
