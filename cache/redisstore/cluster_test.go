package redisstore_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// privateCluster starts a three-node Redis Cluster of its own (no
// replicas) and returns its addresses.
func privateCluster(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var addrs []string
	for range 3 {
		port := freePort(t)
		cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes-"+strconv.Itoa(port)+".conf"),
			"--dir", dir, "--save", "", "--appendonly", "no")
		if err := cmd.Start(); err != nil {
			t.Fatalf("start redis-server: %v", err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		addrs = append(addrs, "127.0.0.1:"+strconv.Itoa(port))
	}
	for _, a := range addrs {
		c := redis.NewClient(&redis.Options{Addr: a})
		for i := 0; c.Ping(context.Background()).Err() != nil; i++ {
			if i > 100 {
				t.Fatalf("node %s did not come up", a)
			}
			time.Sleep(20 * time.Millisecond)
		}
		_ = c.Close()
	}
	args := append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command("redis-cli", args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c := redis.NewClient(&redis.Options{Addr: addrs[0]})
	defer c.Close()
	for i := 0; ; i++ {
		info, _ := c.ClusterInfo(context.Background()).Result()
		if strings.Contains(info, "cluster_state:ok") {
			return addrs
		}
		if i > 200 {
			t.Fatalf("the cluster did not become ready:\n%s", info)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCluster runs the cache over a Redis Cluster client: a namespace's
// keys share one hash slot, so the multi-key scripts and MSET work, and
// writes on one instance invalidate the other's entries.
func TestCluster(t *testing.T) {
	dbtest.RedisAddr(t)
	if _, err := exec.LookPath("redis-cli"); err != nil {
		t.Skip("redis-cli is not installed")
	}
	addrs := privateCluster(t)
	client := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	t.Cleanup(func() { _ = client.Close() })
	warm(t, client)

	a := dbtest.Open(t, dbtest.SQLite)
	if err := fixture.Seed(a); err != nil {
		t.Fatal(err)
	}
	b := dbtest.Reopen(t, a)
	ca, cb := install(t, a, client, "cl:"), install(t, b, client, "cl:")
	name8(t, a)
	if name8(t, b); cb.Stats().Hits != 1 || cb.Stats().Errors != 0 {
		t.Fatalf("b did not read a's entry through the cluster: %+v", cb.Stats())
	}
	if err := b.Exec("UPDATE users SET name = 'clustered' WHERE id = 8").Error; err != nil {
		t.Fatal(err)
	}
	if got := name8(t, a); got != "clustered" {
		t.Fatalf("a read %q after b's write", got)
	}
	if s := ca.Stats(); s.Errors != 0 {
		t.Fatalf("store errors over the cluster: %+v", s)
	}
}
