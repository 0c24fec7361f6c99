package cache

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// namespaceTable is the pseudo-table every entry reads: bumping it
// invalidates the whole namespace (writes whose tables are unknown).
const namespaceTable = "*"

// writtenTables are the tables a write invalidates: those it names, or
// the whole namespace when they are not known for certain.
func writtenTables(info sqlInfo) []string {
	if info.unsure || len(info.tables) == 0 {
		return []string{namespaceTable}
	}
	return info.tables
}

// normalizeTables lower-cases table names and drops their schema, as the
// SQL reader does; no table means the whole namespace.
func normalizeTables(tables []string) []string {
	if len(tables) == 0 {
		return []string{namespaceTable}
	}
	out := make([]string, 0, len(tables))
	for _, t := range tables {
		t = strings.ToLower(strings.Trim(t, "\"`[]"))
		if i := strings.LastIndexByte(t, '.'); i >= 0 {
			t = strings.Trim(t[i+1:], "\"`[]")
		}
		out = appendUnique(out, t)
	}
	return out
}

// readPool wraps a statement's connection pool while gorm:query (or
// gorm:row) runs, serving the statement's SELECT from the store.
type readPool struct {
	inner gorm.ConnPool
	p     *Plugin
	key   string
	parts [][]byte // when key is "": the key's parts but the SQL (see sqlKey)
	ttl   time.Duration
}

// direct returns the pool under the plugin's wrappers, to which a read
// already classified goes.
func (r *readPool) direct() gorm.ConnPool {
	switch in := r.inner.(type) {
	case *rootPool:
		return in.inner
	case *txPool:
		return in.inner
	}
	return r.inner
}

func (r *readPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return r.inner.PrepareContext(ctx, query)
}

func (r *readPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.inner.ExecContext(ctx, query, args...)
}

func (r *readPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	e, live, err := r.serve(ctx, query, args)
	if live {
		return r.inner.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return replayRows(ctx, e)
}

func (r *readPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	e, live, err := r.serve(ctx, query, args)
	if live {
		return r.inner.QueryRowContext(ctx, query, args...)
	}
	return replayRow(ctx, e, err)
}

// serve returns the result of query: from the store, or run on the
// database and stored. live asks the caller to run the query itself,
// uncached (in a transaction, or a statement the cache cannot read).
func (r *readPool) serve(ctx context.Context, query string, args []any) (e *entry, live bool, err error) {
	p := r.p
	info := classifyCached(query)
	if !info.cacheable() {
		return nil, true, nil // not a read of known base tables: never cached
	}
	check, ok := checkOf(query, args)
	if !ok {
		return nil, true, nil
	}
	if r.key == "" {
		r.key = sqlKey(r.parts, check)
	}
	tx := txOf(r.inner)
	tables := info.readTables
	e, prior := p.lookup(ctx, r.key, check, tx, tables)
	if e != nil {
		p.hits.Add(1)
		return e, false, nil
	}
	p.misses.Add(1)
	if tx != nil {
		return nil, true, nil
	}
	v, err, shared := p.flight.Do(r.key+string(check[:]), func() (any, error) {
		return p.fill(ctx, r.direct(), r.key, check, tables, r.ttl, query, args, prior)
	})
	if err != nil {
		if shared {
			return nil, true, nil // the leader's failure (its context, say) is not ours
		}
		return nil, false, err
	}
	res := v.(*entry)
	if shared && !p.stillValid(ctx, res) {
		return nil, true, nil
	}
	return res, false, nil
}

// fill runs a missed query: the versions of the tables it reads are
// taken before it runs, so that a write committed meanwhile leaves the
// entry stale-marked (docs/cache.md).
func (p *Plugin) fill(ctx context.Context, pool gorm.ConnPool, key string, check [checkSize]byte,
	tables []string, ttl time.Duration, query string, args []any, prior *priorVersions) (*entry, error) {
	if !p.baseTables(ctx, pool, tables) {
		return p.runUncached(ctx, pool, query, args)
	}
	versions, ok := prior.versionsFor(tables)
	var verr error
	if !ok {
		if versions, verr = p.store.Versions(ctx, p.ns, tables); verr != nil {
			p.errs.Add(1)
		}
	}
	unlock, waited := p.lock(ctx, key)
	if unlock != nil {
		defer unlock()
	}
	if waited {
		if e, _ := p.lookup(ctx, key, check, nil, tables); e != nil {
			return e, nil
		}
	}
	rows, err := pool.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	e, cacheable, err := record(rows)
	if err != nil {
		return nil, err
	}
	e.check = check
	e.versions = make([]tableVersion, len(tables))
	for i, t := range tables {
		e.versions[i].table = t
		if verr == nil {
			e.versions[i].version = versions[i]
		}
	}
	if verr != nil || !cacheable || p.blocked(ctx) {
		return e, nil
	}
	data, err := encodeEntry(e)
	if err != nil {
		return e, nil // a value the codec cannot write exactly: served, not stored
	}
	if err := p.store.Set(ctx, p.ns, key, data, ttl); err != nil {
		p.errs.Add(1)
	}
	return e, nil
}

// runUncached runs query and records its rows without storing them; the
// entry has no versions, so no waiter sharing it uses it.
func (p *Plugin) runUncached(ctx context.Context, pool gorm.ConnPool, query string, args []any) (*entry, error) {
	rows, err := pool.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	e, _, err := record(rows)
	return e, err
}

// stillValid reports whether e's versions are still current: a waiter
// that shared another caller's query may use its result only then (the
// query may have started before a commit the waiter must see).
func (p *Plugin) stillValid(ctx context.Context, e *entry) bool {
	if len(e.versions) == 0 {
		return false // run uncached: nothing tells when its query started
	}
	tables := make([]string, len(e.versions))
	for i, v := range e.versions {
		if v.version == 0 {
			return false
		}
		tables[i] = v.table
	}
	now, err := p.store.Versions(ctx, p.ns, tables)
	if err != nil {
		p.errs.Add(1)
		return false
	}
	for i, v := range e.versions {
		if now[i] != v.version {
			return false
		}
	}
	return true
}

// lookup returns the entry stored under key if it is current: every
// table it read still has the version it recorded, it was recorded for
// the same SQL and arguments, and tx (if any) wrote none of its tables.
// tables are those the statement's SQL reads (with the namespace).
//
// On a miss it also returns the versions the store reported for tables
// (read now, before the query will run), which fill records instead of
// asking again.
func (p *Plugin) lookup(ctx context.Context, key string, check [checkSize]byte, tx *txPool, tables []string) (*entry, *priorVersions) {
	if p.blocked(ctx) {
		return nil, nil
	}
	if tx != nil && tx.touches(tables) {
		return nil, nil
	}
	value, versions, err := p.store.Get(ctx, p.ns, key, tables)
	if err != nil {
		p.errs.Add(1)
		return nil, nil
	}
	prior := &priorVersions{tables: tables, versions: versions}
	if value == nil {
		return nil, prior
	}
	e := p.current(ctx, key, value, check, tables, versions, tx)
	if e == nil {
		return nil, prior
	}
	return e, nil
}

// priorVersions are table versions read before a query ran.
type priorVersions struct {
	tables   []string
	versions []uint64
}

// versionsFor returns the prior versions if they are those of tables,
// all known.
func (pv *priorVersions) versionsFor(tables []string) ([]uint64, bool) {
	if pv == nil || !slices.Equal(pv.tables, tables) || len(pv.versions) != len(tables) || slices.Contains(pv.versions, 0) {
		return nil, false
	}
	return pv.versions, true
}

// current decodes a stored value and returns it if it is current (see
// lookup).
func (p *Plugin) current(ctx context.Context, key string, value []byte, check [checkSize]byte,
	tables []string, versions []uint64, tx *txPool) *entry {
	e, r, err := decodeHeader(value)
	if err != nil || e.check != check {
		return nil
	}
	if !sameTables(e, tables) {
		tables = make([]string, len(e.versions))
		for i, v := range e.versions {
			tables[i] = v.table
		}
		if tx != nil && tx.touches(tables) {
			return nil
		}
		if versions, err = p.store.Versions(ctx, p.ns, tables); err != nil {
			p.errs.Add(1)
			return nil
		}
	}
	for i, v := range e.versions {
		if v.version == 0 || versions[i] != v.version {
			return nil
		}
	}
	if d := p.decoded.get(key, value); d != nil {
		return d
	}
	if decodeBody(e, r) != nil {
		return nil
	}
	p.decoded.put(key, value, e)
	return e
}

func sameTables(e *entry, tables []string) bool {
	if len(tables) != len(e.versions) {
		return false
	}
	for i, v := range e.versions {
		if v.table != tables[i] {
			return false
		}
	}
	return true
}

// lock takes the store's cross-process lock on key when WithLock asked
// for it. When another process holds it, lock waits (up to the lock's
// duration) for that process's entry and reports waited: the caller
// then looks the entry up, and runs the query itself if it is not there.
func (p *Plugin) lock(ctx context.Context, key string) (unlock func(), waited bool) {
	locker, ok := p.store.(Locker)
	if !ok || p.lockTTL <= 0 {
		return nil, false
	}
	got, unlock, err := locker.TryLock(ctx, p.ns, key, p.lockTTL)
	if err != nil {
		p.errs.Add(1)
		return nil, false
	}
	if got {
		return unlock, false
	}
	deadline := time.Now().Add(p.lockTTL)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
		if v, _, err := p.store.Get(ctx, p.ns, key, nil); err != nil || v != nil {
			break
		}
	}
	return nil, true
}
