package cache

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
)

// PluginName is the name the plugin registers under in gorm.Config.Plugins.
const PluginName = "gormpickle:cache"

// Plugin caches query results. Create it with [New] and install it with
// db.Use after gormpickle's plugin.
type Plugin struct {
	store      Store
	ns         string
	defaultTTL time.Duration
	lockTTL    time.Duration

	hits, misses, invalidations, errs atomic.Int64

	flight singleflight.Group

	// pending holds tables whose Bump failed after their commit: reads of
	// them skip the store until a retried Bump succeeds.
	pendingMu sync.Mutex
	pending   map[string]bool
	retrying  atomic.Bool // a retry of the pending bump is scheduled

	dialect string     // the DB's dialect name, for catalog queries
	kinds   tableKinds // which names are base tables

	decoded *decodedEntries // the last entries decoded, by stored bytes
}

// Stats counts what the plugin did since it was created.
type Stats struct {
	Hits          int64 // results served from the store
	Misses        int64 // cacheable queries that ran on the database
	Invalidations int64 // tables whose version was bumped (one per table per commit)
	Errors        int64 // store calls that failed or timed out (the query ran on the database)
}

// Stats returns the plugin's counters.
func (p *Plugin) Stats() Stats {
	return Stats{Hits: p.hits.Load(), Misses: p.misses.Load(), Invalidations: p.invalidations.Load(), Errors: p.errs.Load()}
}

// Option configures a [Plugin].
type Option func(*Plugin)

// WithDefaultTTL caches every query for d unless it says [Skip] (or
// [TTL] with another duration). Without it only queries with [TTL] are
// cached.
func WithDefaultTTL(d time.Duration) Option { return func(p *Plugin) { p.defaultTTL = d } }

// WithNamespace isolates this plugin's entries and table versions from
// those of plugins with another namespace in the same store. Plugins over
// the same database must share one namespace (so that they see each
// other's writes); plugins over different databases must not.
func WithNamespace(ns string) Option { return func(p *Plugin) { p.ns = ns } }

// WithLock makes concurrent misses on the same key in several processes
// run the query once: the first takes a lock in the store for at most d
// and the others wait up to d for its entry. The store must implement
// [Locker] (redisstore does); otherwise the option has no effect.
func WithLock(d time.Duration) Option { return func(p *Plugin) { p.lockTTL = d } }

// New returns a cache plugin keeping its entries in store.
func New(store Store, opts ...Option) *Plugin {
	p := &Plugin{store: store, pending: map[string]bool{}, decoded: newDecodedEntries()}
	for _, o := range opts {
		o(p)
	}
	return p
}

var _ gorm.Plugin = (*Plugin)(nil)

// Name returns [PluginName].
func (p *Plugin) Name() string { return PluginName }

// Initialize installs the cache on db: it wraps db's connection pool (to
// see every statement sent and every commit) and registers callbacks
// around gorm:query and gorm:row. gormpickle's plugin must be installed
// first: entries are keyed on its payloads.
func (p *Plugin) Initialize(db *gorm.DB) error {
	if p.store == nil {
		return fmt.Errorf("gormpickle/cache: nil store")
	}
	if _, err := gormpickle.RegistryOf(db); err != nil {
		return fmt.Errorf("gormpickle/cache: install gormpickle's plugin first: %w", err)
	}
	p.dialect = db.Dialector.Name()
	if _, ok := db.Config.ConnPool.(*rootPool); !ok {
		root := &rootPool{inner: db.Config.ConnPool, p: p}
		db.Config.ConnPool = root
		if db.Statement != nil {
			db.Statement.ConnPool = root
		}
	}
	return registerCallbacks(db, p)
}

// pluginOf returns the cache plugin installed on db.
func pluginOf(db *gorm.DB) (*Plugin, error) {
	if db == nil || db.Config == nil {
		return nil, fmt.Errorf("gormpickle/cache: nil *gorm.DB")
	}
	p, ok := db.Config.Plugins[PluginName].(*Plugin)
	if !ok {
		return nil, fmt.Errorf("gormpickle/cache: plugin not installed on this *gorm.DB")
	}
	return p, nil
}

// Invalidate bumps the versions of tables (every table of the namespace
// when none is named), for writes made outside GORM. Inside a
// transaction (db's connection is one) the bump waits for its commit.
func Invalidate(ctx context.Context, db *gorm.DB, tables ...string) error {
	p, err := pluginOf(db)
	if err != nil {
		return err
	}
	names := normalizeTables(tables)
	if tx := txOf(db.Statement.ConnPool); tx != nil {
		tx.wrote(names)
		return nil
	}
	return p.bump(ctx, names)
}

// bump gives tables new versions. A failed bump is remembered and
// retried; until it succeeds this process does not read those tables
// from the store.
func (p *Plugin) bump(ctx context.Context, tables []string) error {
	tables = slices.Clone(tables) // callers' slices may be shared (classifyCached)
	p.pendingMu.Lock()
	for t := range p.pending {
		tables = appendUnique(tables, t)
	}
	p.pendingMu.Unlock()
	if len(tables) == 0 {
		return nil
	}
	if slices.Contains(tables, namespaceTable) {
		p.kinds.forget()
	}
	err := p.store.Bump(ctx, p.ns, tables)
	p.pendingMu.Lock()
	defer p.pendingMu.Unlock()
	if err != nil {
		p.errs.Add(1)
		for _, t := range tables {
			p.pending[t] = true
		}
		p.scheduleRetry()
		return fmt.Errorf("gormpickle/cache: invalidate %v: %w", tables, err)
	}
	p.invalidations.Add(int64(len(tables)))
	for _, t := range tables {
		delete(p.pending, t)
	}
	return nil
}

// retryEvery is how often a failed bump is retried in the background
// (lookups retry it too), so that other processes stop seeing the
// tables' old entries as soon as the store is back.
const retryEvery = time.Second

// scheduleRetry retries the pending bump after retryEvery, again and
// again until it succeeds; at most one retry is scheduled at a time.
func (p *Plugin) scheduleRetry() {
	if !p.retrying.CompareAndSwap(false, true) {
		return
	}
	time.AfterFunc(retryEvery, func() {
		p.retrying.Store(false)
		_ = p.bump(context.Background(), nil) // reschedules itself on failure
	})
}

// blocked reports whether a failed bump is still pending (the store may
// then hold stale entries), retrying it first.
func (p *Plugin) blocked(ctx context.Context) bool {
	p.pendingMu.Lock()
	n := len(p.pending)
	p.pendingMu.Unlock()
	if n == 0 {
		return false
	}
	return p.bump(ctx, nil) != nil
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
