package cache

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/callbacks"
)

// ttlKey is the Statement.Settings key of a query's TTL. It is not a
// string, so gormpickle's serializer neither writes it into payloads
// (keys do not depend on the TTL) nor carries it through Dumps.
type ttlKey struct{}

// ttlClause is what [TTL] and [Skip] return: a GORM StatementModifier.
type ttlClause struct{ d time.Duration }

// ModifyStatement records the TTL on the statement.
func (c ttlClause) ModifyStatement(stmt *gorm.Statement) { stmt.Settings.Store(ttlKey{}, c.d) }

// Build writes nothing: the clause only carries the TTL.
func (c ttlClause) Build(clause.Builder) {}

// TTL caches the query's result for d:
//
//	db.Clauses(cache.TTL(time.Minute)).Find(&users)
//	gorm.G[User](db, cache.TTL(time.Minute)).Where("id = ?", 1).First(ctx)
//
// It does not travel through gormpickle.Dumps: add it to the chain Loads
// returns.
func TTL(d time.Duration) clause.Expression { return ttlClause{d: d} }

// Skip does not cache the query, when [WithDefaultTTL] would.
func Skip() clause.Expression { return ttlClause{d: -1} }

func (p *Plugin) ttlOf(stmt *gorm.Statement) time.Duration {
	if v, ok := stmt.Settings.Load(ttlKey{}); ok {
		return v.(time.Duration)
	}
	return p.defaultTTL
}

// registerCallbacks puts the cache around gorm:query and gorm:row: before
// them, a cached statement's connection pool is wrapped in a readPool
// (keyed on the statement as gormpickle serializes it); after them, before
// preloads run (which are statements of their own), it is unwrapped.
func registerCallbacks(db *gorm.DB, p *Plugin) error {
	q, r := db.Callback().Query(), db.Callback().Row()
	for _, reg := range []struct {
		name string
		err  error
	}{
		{"before query", q.Before("gorm:query").Register("gormpickle:cache_before_query", p.beforeFor("query"))},
		{"after query", q.After("gorm:query").Before("gorm:preload").Register("gormpickle:cache_after_query", p.after)},
		{"before row", r.Before("gorm:row").Register("gormpickle:cache_before_row", p.beforeFor("row"))},
		{"after row", r.After("gorm:row").Register("gormpickle:cache_after_row", p.after)},
	} {
		if reg.err != nil {
			return fmt.Errorf("gormpickle/cache: register the %s callback: %w", reg.name, reg.err)
		}
	}
	if err := registerWriteCallbacks(db, p); err != nil {
		return fmt.Errorf("gormpickle/cache: register the write callbacks: %w", err)
	}
	return nil
}

func (p *Plugin) beforeFor(processor string) func(*gorm.DB) {
	return func(db *gorm.DB) {
		stmt := db.Statement
		if db.Error != nil || db.DryRun || stmt == nil || stmt.ConnPool == nil {
			return
		}
		if callbacks.Capturing(db) { // a Dumps capture run: no SQL is sent
			return
		}
		ttl := p.ttlOf(stmt)
		if ttl <= 0 {
			return
		}
		if _, ok := stmt.ConnPool.(*readPool); ok {
			return
		}
		key, parts, ok := keyOf(db, processor)
		if !ok {
			return
		}
		stmt.ConnPool = &readPool{inner: stmt.ConnPool, p: p, key: key, parts: parts, ttl: ttl}
	}
}

func (p *Plugin) after(db *gorm.DB) {
	if db.Statement == nil {
		return
	}
	if rp, ok := db.Statement.ConnPool.(*readPool); ok && rp.p == p {
		db.Statement.ConnPool = rp.inner
	}
}
