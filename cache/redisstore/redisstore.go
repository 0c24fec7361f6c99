// Package redisstore keeps gormpickle's result cache (package cache) in
// Redis, so that every process sharing the Redis sees the others'
// writes: a single server, Sentinel or Cluster, through any
// redis.UniversalClient of github.com/redis/go-redis/v9.
//
// Layout: every key of a namespace ns lives under prefix + "{" + ns + "}"
// (the braces are a Cluster hash tag: one namespace stays in one slot, so
// that a lookup reads an entry and its tables' versions in one script).
// Entries are "<base>:e:<key>" with the plugin's TTL; table versions are
// "<base>:v:<table>" without a TTL. No call scans keys.
//
// Reads must go to the primary (go-redis's default; do not enable
// ReadOnly or RouteByLatency on a Cluster client): a replica may not
// have the latest version of a table yet.
package redisstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gormpickle/gormpickle/cache"
)

// Store is a cache.Store (and cache.Locker) over Redis.
type Store struct {
	client  redis.UniversalClient
	prefix  string
	timeout time.Duration
	// ctxTimeouts is set when the client honours context deadlines
	// (ContextTimeoutEnabled); otherwise calls are abandoned on timeout.
	ctxTimeouts bool
}

// honoursDeadlines reports whether client's options make it stop a call
// at its context's deadline (go-redis does not by default: it waits for
// its own ReadTimeout, 3s).
func honoursDeadlines(client redis.UniversalClient) bool {
	switch c := client.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	}
	return false
}

// call runs fn under the store's timeout. With a client that does not
// honour deadlines, fn runs in a goroutine that is abandoned (it ends at
// the client's own timeout) when the deadline passes, so that a hanging
// Redis costs a query at most the store's timeout.
func (s *Store) call(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.timeout <= 0 {
		return fn(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if s.ctxTimeouts {
		return fn(ctx)
	}
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

var (
	_ cache.Store  = (*Store)(nil)
	_ cache.Locker = (*Store)(nil)
)

// Option configures a [Store].
type Option func(*Store)

// WithPrefix puts every key under prefix (default "gormpickle:cache:").
func WithPrefix(prefix string) Option { return func(s *Store) { s.prefix = prefix } }

// WithTimeout bounds every call (default 100ms): past it the call fails,
// and the plugin runs the query on the database. Set ContextTimeoutEnabled
// in the client's options so that go-redis itself stops at the deadline;
// otherwise the store abandons the call (a goroutine that ends at the
// client's ReadTimeout).
func WithTimeout(d time.Duration) Option { return func(s *Store) { s.timeout = d } }

// New returns a store over client.
func New(client redis.UniversalClient, opts ...Option) cache.Store {
	s := &Store{client: client, prefix: "gormpickle:cache:", timeout: 100 * time.Millisecond, ctxTimeouts: honoursDeadlines(client)}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Store) base(ns string) string {
	return s.prefix + "{" + tagEscaper.Replace(ns) + "}"
}

// tagEscaper keeps braces out of the hash tag (one would end it early)
// and stays injective, so that two namespaces never share a key.
var tagEscaper = strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D")

func (s *Store) entry(ns, k string) string { return s.base(ns) + ":e:" + k }
func (s *Store) version(ns, t string) string {
	return s.base(ns) + ":v:" + t
}

// getScript returns the entry (or false) followed by each table's version
// (or false).
var getScript = redis.NewScript(`
local out = {redis.call('GET', KEYS[1])}
for i = 2, #KEYS do out[i] = redis.call('GET', KEYS[i]) end
return out`)

// versionsScript returns each table's version, setting ARGV[i] (a fresh
// random version) for a table that has none.
var versionsScript = redis.NewScript(`
local out = {}
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if not v then redis.call('SET', KEYS[i], ARGV[i]); v = ARGV[i] end
  out[i] = v
end
return out`)

// Get implements cache.Store: one round trip reads the entry and the
// versions.
func (s *Store) Get(ctx context.Context, ns, key string, tables []string) ([]byte, []uint64, error) {
	keys := make([]string, 1+len(tables))
	keys[0] = s.entry(ns, key)
	for i, t := range tables {
		keys[i+1] = s.version(ns, t)
	}
	var res []any
	err := s.call(ctx, func(ctx context.Context) (err error) {
		res, err = getScript.Run(ctx, s.client, keys).Slice()
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if len(res) != len(keys) {
		return nil, nil, errors.New("redisstore: short reply")
	}
	var value []byte
	if v, ok := res[0].(string); ok {
		value = []byte(v)
	}
	versions, err := parseVersions(res[1:])
	return value, versions, err
}

// Versions implements cache.Store.
func (s *Store) Versions(ctx context.Context, ns string, tables []string) ([]uint64, error) {
	if len(tables) == 0 {
		return nil, nil
	}
	keys := make([]string, len(tables))
	fresh := make([]any, len(tables))
	for i, t := range tables {
		keys[i] = s.version(ns, t)
		fresh[i] = strconv.FormatUint(cache.NewVersion(), 10)
	}
	var res []any
	err := s.call(ctx, func(ctx context.Context) (err error) {
		res, err = versionsScript.Run(ctx, s.client, keys, fresh...).Slice()
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(res) != len(keys) {
		return nil, errors.New("redisstore: short reply")
	}
	return parseVersions(res)
}

func parseVersions(res []any) ([]uint64, error) {
	out := make([]uint64, len(res))
	for i, r := range res {
		str, ok := r.(string)
		if !ok {
			continue // no version yet: 0, which no entry records
		}
		v, err := strconv.ParseUint(str, 10, 64)
		if err != nil {
			return nil, errors.New("redisstore: malformed table version")
		}
		out[i] = v
	}
	return out, nil
}

// Set implements cache.Store.
func (s *Store) Set(ctx context.Context, ns, key string, value []byte, ttl time.Duration) error {
	return s.call(ctx, func(ctx context.Context) error {
		return s.client.Set(ctx, s.entry(ns, key), value, ttl).Err()
	})
}

// Bump implements cache.Store: each table gets a new random version.
func (s *Store) Bump(ctx context.Context, ns string, tables []string) error {
	args := make([]any, 0, 2*len(tables))
	for _, t := range tables {
		args = append(args, s.version(ns, t), strconv.FormatUint(cache.NewVersion(), 10))
	}
	return s.call(ctx, func(ctx context.Context) error { return s.client.MSet(ctx, args...).Err() })
}

// unlockScript deletes the lock only if it still holds our token.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// TryLock implements cache.Locker with SET NX PX and a random token.
func (s *Store) TryLock(ctx context.Context, ns, key string, ttl time.Duration) (bool, func(), error) {
	name := s.base(ns) + ":l:" + key
	token := strconv.FormatUint(cache.NewVersion(), 36)
	var ok bool
	err := s.call(ctx, func(ctx context.Context) (err error) {
		ok, err = s.client.SetNX(ctx, name, token, ttl).Result()
		return err
	})
	if err != nil || !ok {
		return false, nil, err
	}
	return true, func() {
		_ = s.call(context.WithoutCancel(ctx), func(ctx context.Context) error {
			return unlockScript.Run(ctx, s.client, []string{name}, token).Err()
		})
	}, nil
}
