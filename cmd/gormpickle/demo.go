package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// demoCommand is `gormpickle demo`. Its output has four numbered sections:
// the database, the query's SQL on the first connection, the payload size
// next to the SQL size, and the SQL and rows on the second connection.
func demoCommand(args []string, out io.Writer) error {
	var o demoOptions
	fs := demoFlags(&o)
	if err := parseFlags(fs, args, out); err != nil {
		return helpShown(err)
	}
	if fs.NArg() > 0 {
		return usageErr(flagUsage(fs), "demo takes no arguments, found %q", fs.Arg(0))
	}
	target, cleanup, err := openDemoTarget(o.dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	return runDemo(target, out, o.out)
}

// demoOptions are demo's flags.
type demoOptions struct{ dsn, out string }

// demoFlags defines demo's flags. A back-quoted word in a flag's text is
// the flag package's name for its argument (-out FILE).
func demoFlags(o *demoOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.StringVar(&o.dsn, "dsn", "", "PostgreSQL `DSN` to use instead of the embedded SQLite database")
	fs.StringVar(&o.out, "out", "", "also write the payload to `FILE`, to read with gormpickle inspect")
	return fs
}

// demoTarget opens independent connections to one database.
type demoTarget struct {
	describe string
	open     func() (*gorm.DB, error)
}

// openDemoTarget prepares the demo database: a temporary SQLite file, or a
// private schema in the given PostgreSQL database, removed afterwards.
func openDemoTarget(dsn string) (demoTarget, func(), error) {
	// A fresh Config per connection: gorm.Open keeps the pointer, and two
	// connections sharing one would share their plugins.
	cfg := func() *gorm.Config { return &gorm.Config{Logger: logger.Discard} }
	if dsn == "" {
		dir, err := os.MkdirTemp("", "gormpickle-demo-")
		if err != nil {
			return demoTarget{}, nil, err
		}
		path := filepath.Join(dir, "demo.db")
		return demoTarget{
			describe: "embedded SQLite database " + path,
			open:     func() (*gorm.DB, error) { return gorm.Open(sqlite.Open(path), cfg()) },
		}, func() { os.RemoveAll(dir) }, nil
	}
	admin, err := gorm.Open(postgres.Open(dsn), cfg())
	if err != nil {
		return demoTarget{}, nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	schema := "gormpickle_demo_" + hex.EncodeToString(suffix[:])
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		return demoTarget{}, nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	sep := " "
	if strings.Contains(dsn, "://") {
		sep = "&"
		if !strings.Contains(dsn, "?") {
			sep = "?"
		}
	}
	schemaDSN := dsn + sep + "search_path=" + schema
	if sep == " " {
		schemaDSN = dsn + " search_path=" + schema
	}
	cleanup := func() {
		_ = admin.Exec("DROP SCHEMA " + schema + " CASCADE").Error
		if sqlDB, err := admin.DB(); err == nil {
			_ = sqlDB.Close()
		}
	}
	return demoTarget{
		describe: "PostgreSQL, private schema " + schema + " (dropped afterwards)",
		open:     func() (*gorm.DB, error) { return gorm.Open(postgres.Open(schemaDSN), cfg()) },
	}, cleanup, nil
}

// demoQuery is the query the demo ships: struct conditions, a join, a
// subquery, grouping, a preload with a function, order and limit.
func demoQuery(db *gorm.DB) *gorm.DB {
	fredsAddresses := db.Model(&fixture.Address{}).Select("user_id").Where("email LIKE ?", "%fred%")
	return db.Model(&fixture.User{}).
		Joins("JOIN addresses ON addresses.user_id = users.id").
		Where(&fixture.User{Name: "ed"}).
		Or("users.id IN (?)", fredsAddresses).
		Group("users.id, users.name").
		Preload("Addresses", func(tx *gorm.DB) *gorm.DB { return tx.Order("email") }).
		Order("users.id").
		Limit(10)
}

func runDemo(target demoTarget, out io.Writer, outFile string) error {
	fmt.Fprintf(out, "1. Database: %s, users and addresses created.\n", target.describe)
	first, err := target.open()
	if err != nil {
		return err
	}
	defer closeDB(first)
	if err := first.Use(gormpickle.New(gormpickle.WithModels(fixture.Models()...))); err != nil {
		return err
	}
	if err := fixture.Seed(first); err != nil {
		return err
	}

	query := demoQuery(first)
	data, err := gormpickle.Dumps(query)
	if err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	sqlText := renderSQL(first, demoQuery(first))
	fmt.Fprintf(out, "\n2. Query built with GORM on the first connection:\n   %s\n", sqlText)
	fmt.Fprintf(out, "\n3. Dumped to %d bytes (the SQL it renders to is %d bytes).\n", len(data), len(sqlText))
	if outFile != "" {
		if err := os.WriteFile(outFile, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "   Written to %s; try: go run ./cmd/gormpickle inspect %s\n", outFile, outFile)
	}

	// A second, independent connection, as another process would open.
	second, err := target.open()
	if err != nil {
		return err
	}
	defer closeDB(second)
	if err := second.Use(gormpickle.New(gormpickle.WithModels(fixture.Models()...))); err != nil {
		return err
	}
	loaded, err := gormpickle.Loads(data, second)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	var users []fixture.User
	if err := loaded.Find(&users).Error; err != nil {
		return fmt.Errorf("run the loaded query: %w", err)
	}
	loadedSQL := renderSQL(second, loaded)
	fmt.Fprintf(out, "\n4. Loaded on a second connection and run:\n   %s\n\n", loadedSQL)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "   ID\tNAME\tADDRESSES")
	for _, u := range users {
		emails := make([]string, len(u.Addresses))
		for i, a := range u.Addresses {
			emails[i] = a.Email
		}
		fmt.Fprintf(tw, "   %d\t%s\t%s\n", u.ID, u.Name, strings.Join(emails, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return demoCache(second, loaded, out)
}

// renderSQL shows the SQL a chain renders to, values inlined for display
// only. The chain is rendered on a DryRun branch and left as it was.
func renderSQL(db *gorm.DB, chain *gorm.DB) string {
	stmt := chain.Session(&gorm.Session{DryRun: true}).Find(&[]fixture.User{}).Statement
	return db.Dialector.Explain(stmt.SQL.String(), stmt.Vars...)
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}
