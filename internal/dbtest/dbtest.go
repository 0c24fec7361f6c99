// Package dbtest opens isolated, real databases for tests: SQLite always,
// PostgreSQL when GORMPICKLE_POSTGRES_DSN is set, MySQL/MariaDB when
// GORMPICKLE_MYSQL_DSN is set. Each opened database is private to one test
// (a fresh SQLite file, a fresh PostgreSQL schema, a fresh MySQL database)
// and is dropped when the test ends.
//
// With CI=true a backend whose DSN variable is missing fails the test
// instead of skipping it, so CI cannot pass without exercising it. [Main],
// called from a package's TestMain, reports in one line which backends
// the package's tests ran and which they skipped.
package dbtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/glebarez/sqlite"
	mysqldriver "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Backend names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
	MySQL    = "mysql"
)

// Environment variables holding the server DSNs.
const (
	PostgresEnv = "GORMPICKLE_POSTGRES_DSN"
	MySQLEnv    = "GORMPICKLE_MYSQL_DSN"
)

// Backends lists every backend in a fixed order.
var Backends = []string{SQLite, Postgres, MySQL}

// Each runs fn once per backend as a subtest named after it, each with its
// own isolated database. Unavailable server backends are skipped with a
// message (or fail, when CI=true).
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, name := range Backends {
		t.Run(name, func(t *testing.T) {
			fn(t, Open(t, name))
		})
	}
}

// Available reports whether a backend can be opened in this environment.
func Available(name string) bool {
	switch name {
	case Postgres:
		return os.Getenv(PostgresEnv) != ""
	case MySQL:
		return os.Getenv(MySQLEnv) != ""
	}
	return name == SQLite
}

// Open returns a fresh, isolated database of the named backend for t,
// dropped at the end of the test. It skips t (fails it under CI=true) when
// the backend is not configured.
func Open(t testing.TB, name string, opts ...gorm.Option) *gorm.DB {
	t.Helper()
	Require(t, name)
	cfg := &gorm.Config{Logger: testLogger()}
	all := append([]gorm.Option{cfg}, opts...)
	switch name {
	case SQLite:
		path := filepath.Join(t.TempDir(), "test.db")
		dial := func() gorm.Dialector {
			return sqlite.Open(path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)")
		}
		db, err := gorm.Open(dial(), all...)
		if err != nil {
			t.Fatalf("dbtest: open sqlite: %v", err)
		}
		closeOnCleanup(t, db)
		opened.Store(db, dial)
		return db
	case Postgres:
		return openPostgres(t, all)
	case MySQL:
		return openMySQL(t, all)
	}
	t.Fatalf("dbtest: unknown backend %q", name)
	return nil
}

// opened remembers how each database returned by Open was opened, for
// Reopen.
var opened sync.Map // *gorm.DB -> gorm.Dialector factory

// Reopen opens a second, independent connection pool (with its own plugins
// and callbacks) to the database behind db, as another process would. db
// must come from Open.
func Reopen(t testing.TB, db *gorm.DB, opts ...gorm.Option) *gorm.DB {
	t.Helper()
	v, ok := opened.Load(db)
	if !ok {
		t.Fatalf("dbtest: Reopen of a DB that Open did not return")
	}
	all := append([]gorm.Option{&gorm.Config{Logger: testLogger()}}, opts...)
	again, err := gorm.Open(v.(func() gorm.Dialector)(), all...)
	if err != nil {
		t.Fatalf("dbtest: reopen: %v", err)
	}
	closeOnCleanup(t, again)
	return again
}

// Dialector returns a dialector of the named backend that needs no server,
// for DryRun rendering (postgres and mysql are opened without connecting).
func Dialector(name string) gorm.Dialector {
	switch name {
	case Postgres:
		return postgres.New(postgres.Config{DSN: "host=127.0.0.1 user=postgres dbname=test sslmode=disable"})
	case MySQL:
		return mysql.New(mysql.Config{DSN: "root@tcp(127.0.0.1:3306)/test", SkipInitializeWithVersion: true})
	}
	return sqlite.Open(":memory:")
}

func testLogger() logger.Interface {
	if os.Getenv("GORMPICKLE_SQL_LOG") != "" {
		return logger.Default.LogMode(logger.Info)
	}
	return logger.Default.LogMode(logger.Silent)
}

func uniqueName() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "gp_" + hex.EncodeToString(b[:])
}

func openPostgres(t testing.TB, opts []gorm.Option) *gorm.DB {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	admin, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: testLogger()})
	if err != nil {
		t.Fatalf("dbtest: connect postgres: %v", err)
	}
	closeOnCleanup(t, admin)
	schema := uniqueName()
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := admin.Exec("DROP SCHEMA " + schema + " CASCADE").Error; err != nil {
			t.Errorf("dbtest: drop schema %s: %v", schema, err)
		}
	})
	if strings.Contains(dsn, "://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + "search_path=" + schema
	} else {
		dsn += " search_path=" + schema
	}
	db, err := gorm.Open(postgres.Open(dsn), opts...)
	if err != nil {
		t.Fatalf("dbtest: open postgres schema %s: %v", schema, err)
	}
	opened.Store(db, func() gorm.Dialector { return postgres.Open(dsn) })
	// Registered before the admin cleanups run (LIFO), so connections close
	// before the schema is dropped.
	closeOnCleanup(t, db)
	return db
}

func openMySQL(t testing.TB, opts []gorm.Option) *gorm.DB {
	t.Helper()
	cfg, err := mysqldriver.ParseDSN(os.Getenv(MySQLEnv))
	if err != nil {
		t.Fatalf("dbtest: parse %s: %v", MySQLEnv, err)
	}
	cfg.ParseTime = true
	admin, err := gorm.Open(mysql.Open(cfg.FormatDSN()), &gorm.Config{Logger: testLogger()})
	if err != nil {
		t.Fatalf("dbtest: connect mysql: %v", err)
	}
	closeOnCleanup(t, admin)
	name := uniqueName()
	if err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").Error; err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if err := admin.Exec("DROP DATABASE " + name).Error; err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	dsn := cfg.FormatDSN()
	db, err := gorm.Open(mysql.Open(dsn), opts...)
	if err != nil {
		t.Fatalf("dbtest: open mysql database %s: %v", name, err)
	}
	opened.Store(db, func() gorm.Dialector { return mysql.Open(dsn) })
	closeOnCleanup(t, db)
	return db
}

func closeOnCleanup(t testing.TB, db *gorm.DB) {
	t.Cleanup(func() {
		opened.Delete(db)
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
}

// Describe returns a one-line summary of the configured backends, for logs.
func Describe() string {
	var parts []string
	for _, b := range Backends {
		state := "on"
		if !Available(b) {
			state = "off"
		}
		parts = append(parts, fmt.Sprintf("%s=%s", b, state))
	}
	return strings.Join(parts, " ")
}
