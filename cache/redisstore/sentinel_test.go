package redisstore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// privateSentinel starts a Redis primary and a Sentinel monitoring it as
// "primary"; it returns the Sentinel's address.
func privateSentinel(t *testing.T) string {
	t.Helper()
	primary := freePort(t)
	privateRedis(t, primary)
	port := freePort(t)
	conf := filepath.Join(t.TempDir(), "sentinel.conf")
	text := fmt.Sprintf("port %d\nbind 127.0.0.1\nsentinel monitor primary 127.0.0.1 %d 1\nsentinel down-after-milliseconds primary 5000\n", port, primary)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("redis-server", conf, "--sentinel")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the sentinel: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s := redis.NewSentinelClient(&redis.Options{Addr: addr})
	defer s.Close()
	for i := 0; ; i++ {
		if _, err := s.GetMasterAddrByName(context.Background(), "primary").Result(); err == nil {
			return addr
		}
		if i > 200 {
			t.Fatal("the sentinel did not come up")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSentinel runs two instances over a Sentinel-managed Redis (go-redis's
// failover client): an entry of one is read by the other, and a write on
// one is seen by the other.
func TestSentinel(t *testing.T) {
	dbtest.RedisAddr(t)
	client := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: "primary", SentinelAddrs: []string{privateSentinel(t)}})
	t.Cleanup(func() { _ = client.Close() })
	warm(t, client)
	a := dbtest.Open(t, dbtest.SQLite)
	if err := fixture.Seed(a); err != nil {
		t.Fatal(err)
	}
	b := dbtest.Reopen(t, a)
	ca, cb := install(t, a, client, "se:"), install(t, b, client, "se:")
	name8(t, a)
	if name8(t, b); cb.Stats().Hits != 1 {
		t.Fatalf("b did not read a's entry through Sentinel: %+v", cb.Stats())
	}
	if err := b.Model(&fixture.User{ID: 8}).Update("name", "sentinel").Error; err != nil {
		t.Fatal(err)
	}
	if got := name8(t, a); got != "sentinel" {
		t.Fatalf("a read %q after b's write", got)
	}
	if ca.Stats().Errors+cb.Stats().Errors != 0 {
		t.Fatalf("store errors: %+v %+v", ca.Stats(), cb.Stats())
	}
}
