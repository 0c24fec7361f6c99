package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/serializer"
)

// inspectCommand is `gormpickle inspect FILE [--dialect NAME]`: the payload
// as indented JSON, then the SQL it renders to on the dialect (no server is
// contacted). Models the command does not know (anything but the demo's)
// cannot be resolved: their payloads are rendered symbolically (see
// serializer.Description.Note).
func inspectCommand(args []string, out io.Writer) error {
	var dialect string
	fs := inspectFlags(&dialect)
	var file string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args, out); err != nil {
		return helpShown(err)
	}
	rest := fs.Args()
	if file == "" && len(rest) > 0 {
		file, rest = rest[0], rest[1:]
	}
	switch {
	case len(rest) > 0:
		return usageErr(flagUsage(fs), "inspect takes one payload file, found also %q", rest[0])
	case file == "":
		return usageErr(flagUsage(fs), "inspect needs a payload file")
	}
	db, err := dryRunDB(dialect)
	if errors.Is(err, errUnknownDialect) {
		return usageErr(flagUsage(fs), "%v", err)
	} else if err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	doc, err := describePayload(data, db)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// inspectFlags defines inspect's flags.
func inspectFlags(dialect *string) *flag.FlagSet {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.StringVar(dialect, "dialect", "sqlite", "render SQL for the dialect `NAME`: sqlite, postgres or mysql")
	return fs
}

// describePayload describes a query payload, or a model payload.
func describePayload(data []byte, db *gorm.DB) (any, error) {
	if len(data) >= 3 && string(data[:3]) == "GPM" {
		return describeModelPayload(data)
	}
	reg := serializer.NewRegistry()
	for _, m := range fixture.Models() {
		reg.MustRegisterModel(m)
	}
	return serializer.Describe(data, reg, db)
}

var errUnknownDialect = errors.New("unknown dialect")

// dryRunDB opens a dialect without a server, for rendering only.
func dryRunDB(name string) (*gorm.DB, error) {
	var d gorm.Dialector
	switch name {
	case "sqlite":
		d = sqlite.Open(":memory:")
	case "postgres":
		d = postgres.New(postgres.Config{DSN: "host=127.0.0.1 dbname=inspect sslmode=disable"})
	case "mysql":
		d = mysql.New(mysql.Config{DSN: "inspect@tcp(127.0.0.1:3306)/inspect", SkipInitializeWithVersion: true})
	default:
		return nil, fmt.Errorf("%w %q (sqlite, postgres or mysql)", errUnknownDialect, name)
	}
	return gorm.Open(d, &gorm.Config{DryRun: true, DisableAutomaticPing: true, Logger: logger.Discard})
}
