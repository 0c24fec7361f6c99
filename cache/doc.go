// Package cache caches GORM query results, keyed on the query as
// gormpickle serializes it, invalidated per table when a write commits,
// and shared between processes through a [Store] (package redisstore for
// Redis; [NewMemoryStore] inside one process).
//
//	db.Use(gormpickle.New(gormpickle.WithModels(&User{}, &Address{}))) // first
//	db.Use(cache.New(redisstore.New(client), cache.WithNamespace("app-db")))
//
//	db.Clauses(cache.TTL(time.Minute)).Preload("Addresses").Find(&users)
//	gorm.G[User](db, cache.TTL(time.Minute)).Where("id = ?", 1).First(ctx)
//
// # What is cached
//
// An entry holds the rows the database returned for one statement and the
// column metadata database/sql reported; a hit replays them through
// database/sql and GORM's own scanning, so every destination gets what a
// live run gives (associations, First's ErrRecordNotFound, Count, Pluck,
// Scan into structs and maps, RowsAffected). Preloads are statements of
// their own, cached and invalidated on their own. Only reads of base
// tables are cached; locking reads never are.
//
// # Invalidation
//
// Every table has a version in the store. An entry records the versions
// of the tables its SQL reads, taken before the query was sent, and is
// served only while they are current. The plugin wraps the DB's
// connection pool, sees every statement GORM sends, and gives the tables
// a write names new versions after the write committed (at Commit for a
// transaction; nothing on Rollback). Once a write's commit has returned,
// no reader in any process sharing the store gets a result that misses
// it. [Invalidate] announces writes made outside GORM. docs/cache.md has
// the argument and the limits.
//
// # Failures
//
// A store that fails or times out never fails a query: it runs on the
// database and [Stats].Errors counts it.
package cache
