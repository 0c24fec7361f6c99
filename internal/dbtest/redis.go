package dbtest

import (
	"os"
	"testing"
)

// Redis is the name of the Redis "backend" in Main's summary.
const Redis = "redis"

// RedisEnv is the environment variable holding the address (host:port) of
// the Redis the tests may use; each test isolates itself under its own
// key prefix and deletes its keys.
const RedisEnv = "GORMPICKLE_REDIS_ADDR"

// RedisAddr returns the test Redis's address. It skips t when RedisEnv is
// not set (fails it under CI=true), and counts Redis in Main's summary
// either way.
func RedisAddr(t testing.TB) string {
	t.Helper()
	if addr := os.Getenv(RedisEnv); addr != "" {
		recordRan(Redis)
		return addr
	}
	if os.Getenv("CI") == "true" {
		recordSkip(Redis, "missing ("+RedisEnv+" not set, required under CI=true)")
		t.Fatalf("dbtest: Redis is required in CI but %s is not set", RedisEnv)
	}
	recordSkip(Redis, "skipped ("+RedisEnv+" not set)")
	t.Skipf("dbtest: Redis skipped: %s is not set", RedisEnv)
	return ""
}
