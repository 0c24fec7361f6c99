package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/cache/redisstore"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// TestMain reports which backends the package's tests ran.
func TestMain(m *testing.M) { dbtest.Main(m) }

// testPrefix returns a key prefix private to t, whose keys are deleted
// when t ends.
func testPrefix(t testing.TB, client redis.UniversalClient) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "gormpickle-test:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
	})
	return prefix
}

// sharedClient connects to the test Redis (dbtest.RedisAddr).
func sharedClient(t testing.TB) *redis.Client {
	client := redis.NewClient(&redis.Options{Addr: dbtest.RedisAddr(t)})
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// install puts gormpickle and a cache over a Redis store on db.
func install(t testing.TB, db *gorm.DB, client redis.UniversalClient, prefix string, opts ...cache.Option) *cache.Plugin {
	t.Helper()
	if err := db.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...), gormpickle.WithModels(&Counter{}))); err != nil {
		t.Fatal(err)
	}
	c := cache.New(redisstore.New(client, redisstore.WithPrefix(prefix)), append([]cache.Option{cache.WithNamespace("db")}, opts...)...)
	if err := db.Use(c); err != nil {
		t.Fatal(err)
	}
	return c
}

// Counter is the stress test's oracle: a writer sets Version and Mirror
// to the same new value in one transaction.
type Counter struct {
	ID      uint `gorm:"primaryKey;autoIncrement:false"`
	Version int64
	Mirror  int64
}

// warm waits until client answers, so that a test's first store call does
// not include the client's discovery of a Sentinel's primary or of a
// Cluster's slots, which on a loaded machine can outlast the store's
// 100ms bound and count as a store error.
func warm(t *testing.T, client redis.UniversalClient) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := client.Ping(context.Background()).Err()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis did not answer: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
