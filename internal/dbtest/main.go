package dbtest

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
)

// Main runs a test package's tests and then reports, in one line on
// standard error, which backends its tests opened and which they skipped,
// and why. Call it from TestMain in every package whose tests open
// databases:
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
//
// A plain `go test ./...` hides the output of passing packages, so the
// line would show only with -v. Without -v, when the test binary's parent
// is the go command and the go command's standard error is a terminal or a
// pipe, Main writes the line there instead, next to the go command's own
// "ok" lines. (A file is left alone: writing at its end from here could be
// overwritten by the go command's next write at its own offset.) A cached
// result runs no test and prints no line.
func Main(m *testing.M) {
	code := m.Run()
	if line := Summary(); line != "" {
		report(line + packageSuffix())
	}
	os.Exit(code)
}

// usage records, per backend, whether a test of this package opened it
// and why one skipped it.
var usage struct {
	sync.Mutex
	ran     map[string]bool
	skipped map[string]string // backend -> "skipped (why)" or "missing (why)"
}

func recordRan(name string) {
	usage.Lock()
	defer usage.Unlock()
	if usage.ran == nil {
		usage.ran = map[string]bool{}
	}
	usage.ran[name] = true
}

func recordSkip(name, reason string) {
	usage.Lock()
	defer usage.Unlock()
	if usage.skipped == nil {
		usage.skipped = map[string]string{}
	}
	usage.skipped[name] = reason
}

// Require skips t (fails it under CI=true) unless the backend is
// configured, and counts the backend in Main's summary either way: for
// tests that reach a server without Open (a command given the DSN).
func Require(t testing.TB, name string) {
	t.Helper()
	if Available(name) {
		recordRan(name)
		return
	}
	if name != Postgres && name != MySQL {
		t.Fatalf("dbtest: unknown backend %q", name)
	}
	env := PostgresEnv
	if name == MySQL {
		env = MySQLEnv
	}
	if os.Getenv("CI") == "true" {
		recordSkip(name, "missing ("+env+" not set, required under CI=true)")
		t.Fatalf("dbtest: backend %s is required in CI but %s is not set", name, env)
	}
	recordSkip(name, "skipped ("+env+" not set)")
	t.Skipf("dbtest: backend %s skipped: %s is not set", name, env)
}

// Summary is Main's line: the backends this package's tests opened, then
// those they skipped (or, under CI=true, failed for) with the reason, e.g.
//
//	dbtest: backends sqlite, mysql ran; postgres skipped (GORMPICKLE_POSTGRES_DSN not set)
//
// It is "" when no test asked for a database.
func Summary() string {
	usage.Lock()
	defer usage.Unlock()
	var ran, skipped []string
	for _, b := range append(Backends[:len(Backends):len(Backends)], Redis) {
		if usage.ran[b] {
			ran = append(ran, b)
		} else if reason, ok := usage.skipped[b]; ok {
			skipped = append(skipped, b+" "+reason)
		}
	}
	var parts []string
	if len(ran) > 0 {
		noun := "backends"
		if len(ran) == 1 {
			noun = "backend"
		}
		parts = append(parts, fmt.Sprintf("%s %s ran", noun, strings.Join(ran, ", ")))
	}
	if len(skipped) > 0 {
		parts = append(parts, strings.Join(skipped, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return "dbtest: " + strings.Join(parts, "; ")
}

// packageSuffix names the package under test, " (import/path)" (the test
// binary's path, with ".test" but for a main package), as the
// go command's "ok" lines do: the go command runs packages in parallel, so
// the lines of several packages can arrive in any order.
func packageSuffix() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Path == "" {
		return ""
	}
	return " (" + strings.TrimSuffix(bi.Path, ".test") + ")"
}

// report writes Main's line where the user sees it (see Main).
func report(line string) {
	if !testing.Verbose() {
		if w := goCommandStderr(); w != nil {
			fmt.Fprintln(w, line)
			_ = w.Close()
			return
		}
	}
	fmt.Fprintln(os.Stderr, line)
}

// goCommandStderr opens the go command's standard error when the test
// binary's parent is the go command and that is a terminal or a pipe
// (Linux only, through /proc); otherwise it returns nil.
func goCommandStderr() *os.File {
	if runtime.GOOS != "linux" {
		return nil
	}
	proc := fmt.Sprintf("/proc/%d/", os.Getppid())
	if comm, err := os.ReadFile(proc + "comm"); err != nil || string(comm) != "go\n" {
		return nil
	}
	fi, err := os.Stat(proc + "fd/2")
	if err != nil || fi.Mode()&(os.ModeCharDevice|os.ModeNamedPipe|os.ModeSocket) == 0 {
		return nil
	}
	f, err := os.OpenFile(proc+"fd/2", os.O_WRONLY, 0)
	if err != nil {
		return nil
	}
	return f
}
