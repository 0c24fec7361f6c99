package serializer

import (
	"strings"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// setTableName does what GORM's Table(name) does for a name without spaces or
// backticks, on a statement being restored, without its allocations: the
// quoted FROM expression is looked up among those already built. The
// target's dialector still quotes the name each time, so the lookup key is
// exactly what Table would write, whatever the dialector.
//
// Sharing one *clause.Expr between statements is what GORM itself does:
// branches of a chain share their TableExpr, and GORM never writes to one.
func setTableName(stmt *gorm.Statement, name string) {
	if name == "" {
		stmt.Table, stmt.TableExpr = "", nil
		return
	}
	quoted := quoteBuffers.Get().(*quoteBuffer)
	quoted.reset()
	stmt.DB.Dialector.QuoteTo(quoted, name)
	expr := quotedTables.get(quoted.b)
	if expr == nil {
		expr = &clause.Expr{SQL: string(quoted.b)}
		quotedTables.put(expr.SQL, expr)
	}
	quoteBuffers.Put(quoted)
	stmt.TableExpr = expr
	stmt.Table = name
	if strings.Count(name, ".") == 1 {
		// "schema.table": GORM names the statement's table by its second part.
		stmt.Table = name[strings.IndexByte(name, '.')+1:]
	}
}

// setTableExpr does what GORM's Table(sql, vars...) does for an expression,
// with the table name its pattern finds remembered (see tableExprInfo)
// and, without vars, the expression shared as above.
func setTableExpr(stmt *gorm.Statement, sql string, vars []any) {
	info := tableExprInfo(sql)
	if len(vars) == 0 && info.expr != nil {
		stmt.TableExpr = info.expr
	} else {
		stmt.TableExpr = &clause.Expr{SQL: sql, Vars: vars}
	}
	if info.name != "" {
		stmt.Table = info.name
	}
}

// quoteBuffer collects what a dialector's QuoteTo writes (a clause.Writer).
type quoteBuffer struct{ b []byte }

// quoteBuffers are reused by setTable. The buffer cannot live in the
// decoder: a dialector's QuoteTo takes it as an interface, which would
// move a decoder kept on the stack (see restorePayload) to the heap.
var quoteBuffers = sync.Pool{New: func() any { return new(quoteBuffer) }}

func (q *quoteBuffer) reset() { q.b = q.b[:0] }

// WriteByte appends c.
func (q *quoteBuffer) WriteByte(c byte) error {
	q.b = append(q.b, c)
	return nil
}

// WriteString appends s.
func (q *quoteBuffer) WriteString(s string) (int, error) {
	q.b = append(q.b, s...)
	return len(s), nil
}

// stringCache maps strings to values for the life of the process, up to a
// bound on its size and on each key's length. Readers take no lock: the map
// is replaced, never changed, when a key is added, and saved queries repeat
// a few table names, so additions stop early.
type stringCache[V any] struct {
	m  atomic.Pointer[map[string]V]
	mu sync.Mutex // serializes additions
}

const (
	maxCachedKey  = 256  // bytes of one remembered key
	maxCachedKeys = 4096 // keys remembered per cache
)

// get returns the value for key, or the zero value; it does not allocate.
func (c *stringCache[V]) get(key []byte) V {
	var zero V
	m := c.m.Load()
	if m == nil {
		return zero
	}
	return (*m)[string(key)]
}

// getString is get for a string key.
func (c *stringCache[V]) getString(key string) (V, bool) {
	var zero V
	m := c.m.Load()
	if m == nil {
		return zero, false
	}
	v, ok := (*m)[key]
	return v, ok
}

// put remembers v for key unless the key is too long or the cache is full.
func (c *stringCache[V]) put(key string, v V) {
	if len(key) > maxCachedKey {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if _, ok := (*old)[key]; ok || len(*old) >= maxCachedKeys {
			return
		}
	}
	next := make(map[string]V, 1+lenOf(old))
	if old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	next[strings.Clone(key)] = v
	c.m.Store(&next)
}

func lenOf[V any](m *map[string]V) int {
	if m == nil {
		return 0
	}
	return len(*m)
}

// quotedTables holds the FROM expressions of plain table names, keyed by
// their quoted SQL.
var quotedTables stringCache[*clause.Expr]
