package redisstore_test

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// privateRedis runs a redis-server of its own on port; stop kills it.
func privateRedis(t *testing.T, port int) (stop func()) {
	t.Helper()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--enable-debug-command", "yes") // DEBUG SLEEP makes it hang
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(stop)
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port)})
	defer c.Close()
	for i := 0; c.Ping(context.Background()).Err() != nil; i++ {
		if i > 100 {
			t.Fatal("the private redis-server did not come up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return stop
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestRedisDown kills the store mid-run: queries and writes still
// succeed on the database, the errors are counted, and the store is used
// again once it is back.
func TestRedisDown(t *testing.T) {
	dbtest.RedisAddr(t) // Redis is part of the environment the test needs
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed")
	}
	db := dbtest.Open(t, dbtest.SQLite)
	if err := fixture.Seed(db); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	stop := privateRedis(t, port)
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), MaxRetries: -1})
	t.Cleanup(func() { _ = client.Close() })
	c := install(t, db, client, "down:")

	name8(t, db)
	if name8(t, db); c.Stats().Hits != 1 {
		t.Fatalf("no hit before the kill: %+v", c.Stats())
	}

	// A store that hangs: calls time out (100ms) and the query runs on the
	// database.
	go func() { _ = client.Do(context.Background(), "DEBUG", "SLEEP", "5").Err() }()
	time.Sleep(50 * time.Millisecond)
	errs := c.Stats().Errors
	start := time.Now()
	if got := name8(t, db); got != "ed" {
		t.Fatalf("with Redis hanging, read %q", got)
	}
	if took := time.Since(start); took > 3*time.Second || c.Stats().Errors == errs {
		t.Fatalf("with Redis hanging for 5s, the read took %v and counted %d errors", took, c.Stats().Errors-errs)
	}

	stop()
	for i, want := range []string{"ed", "down1"} {
		if got := name8(t, db); got != want {
			t.Fatalf("with Redis down, read %q, want %q", got, want)
		}
		if i == 0 {
			if err := db.Model(&fixture.User{ID: 8}).Update("name", "down1").Error; err != nil {
				t.Fatalf("a write with Redis down failed: %v", err)
			}
		}
	}
	if c.Stats().Errors == errs {
		t.Fatalf("no error counted with Redis down: %+v", c.Stats())
	}
	privateRedis(t, port)
	deadline := time.Now().Add(5 * time.Second)
	hits := c.Stats().Hits
	for c.Stats().Hits == hits {
		if time.Now().After(deadline) {
			t.Fatalf("the store was not used again after it came back: %+v", c.Stats())
		}
		if got := name8(t, db); got != "down1" {
			t.Fatalf("after the restart, read %q", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
