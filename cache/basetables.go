package cache

import (
	"context"
	"strings"
	"sync"

	"gorm.io/gorm"
)

// Only results that read base tables are cached: a view, a CTE name or a
// foreign table reads rows that change without a write to its own name,
// so no invalidation would reach its entries. What a name is comes from
// the database's catalog, asked once per name and remembered until the
// plugin sees DDL.

// catalogQueries ask for the kinds of the objects named like a table, in
// every schema (a view anywhere with the name makes it unsure), by
// dialect. Dialects not listed are trusted: every name is a table.
var catalogQueries = map[string]string{
	"postgres": "SELECT table_type FROM information_schema.tables WHERE lower(table_name) = $1",
	"mysql":    "SELECT table_type FROM information_schema.tables WHERE lower(table_name) = ?",
	"sqlite":   "SELECT type FROM sqlite_master WHERE lower(name) = ? AND type IN ('table', 'view')",
}

// baseKinds are the catalog answers of a base table.
var baseKinds = map[string]bool{"BASE TABLE": true, "table": true}

// maxKnownTables bounds the name -> base table memo.
const maxKnownTables = 1 << 14

type tableKinds struct {
	mu   sync.Mutex
	base map[string]bool
}

// forget drops what is known, after DDL.
func (k *tableKinds) forget() {
	k.mu.Lock()
	k.base = nil
	k.mu.Unlock()
}

// baseTables reports whether every table in tables (the namespace
// pseudo-table aside) is a base table of the database behind pool.
func (p *Plugin) baseTables(ctx context.Context, pool gorm.ConnPool, tables []string) bool {
	query, ok := catalogQueries[p.dialect]
	if !ok {
		return true
	}
	for _, t := range tables {
		if t == namespaceTable {
			continue
		}
		p.kinds.mu.Lock()
		base, known := p.kinds.base[t]
		p.kinds.mu.Unlock()
		if !known {
			var err error
			if base, err = askBase(ctx, pool, query, t); err != nil {
				return false
			}
			p.kinds.mu.Lock()
			if p.kinds.base == nil {
				p.kinds.base = map[string]bool{}
			}
			if len(p.kinds.base) < maxKnownTables {
				p.kinds.base[t] = base
			}
			p.kinds.mu.Unlock()
		}
		if !base {
			return false
		}
	}
	return true
}

func askBase(ctx context.Context, pool gorm.ConnPool, query, table string) (bool, error) {
	rows, err := pool.QueryContext(ctx, query, table)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var kind string
		if err := rows.Scan(&kind); err != nil {
			return false, err
		}
		if !baseKinds[kind] {
			return false, rows.Err()
		}
		found = true
	}
	return found, rows.Err()
}

// isDDL reports whether a write changes schema, after which what is known
// of table kinds is forgotten.
func isDDL(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	for _, w := range []string{"CREATE", "ALTER", "DROP", "RENAME"} {
		if len(q) >= len(w) && strings.EqualFold(q[:len(w)], w) {
			return true
		}
	}
	return false
}
