package dbtest

import (
	"testing"
)

// resetUsage clears what Summary reports, for a test that fills it.
func resetUsage(t *testing.T) {
	t.Helper()
	usage.Lock()
	usage.ran, usage.skipped = nil, nil
	usage.Unlock()
	t.Cleanup(func() {
		usage.Lock()
		usage.ran, usage.skipped = nil, nil
		usage.Unlock()
	})
}

// TestSummary: the line names the backends opened, then those skipped
// with the variable that was not set; nothing when no test asked.
func TestSummary(t *testing.T) {
	resetUsage(t)
	if got := Summary(); got != "" {
		t.Fatalf("no backend asked for: %q, want nothing", got)
	}
	recordRan(MySQL)
	recordRan(SQLite)
	if got, want := Summary(), "dbtest: backends sqlite, mysql ran"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	recordSkip(Postgres, "skipped ("+PostgresEnv+" not set)")
	if got, want := Summary(), "dbtest: backends sqlite, mysql ran; postgres skipped (GORMPICKLE_POSTGRES_DSN not set)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestRequireRecords: Open (through Require) counts the backends it opens
// and those it skips, with the reason.
func TestRequireRecords(t *testing.T) {
	resetUsage(t)
	t.Setenv("CI", "")
	t.Setenv(PostgresEnv, "")
	t.Setenv(MySQLEnv, "")
	Open(t, SQLite)
	t.Run("postgres", func(t *testing.T) { Open(t, Postgres) })
	t.Run("mysql", func(t *testing.T) { Require(t, MySQL) })
	want := "dbtest: backend sqlite ran; postgres skipped (GORMPICKLE_POSTGRES_DSN not set), mysql skipped (GORMPICKLE_MYSQL_DSN not set)"
	if got := Summary(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
