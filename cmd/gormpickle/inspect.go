package main

import (
	"encoding/json"
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
// are shown by ID; their SQL cannot be rendered.
func inspectCommand(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(out)
	dialect := fs.String("dialect", "sqlite", "dialect to render SQL for: sqlite, postgres or mysql")
	var file string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" {
		return fmt.Errorf("%w: inspect needs a payload file", errUsage)
	}
	db, err := dryRunDB(*dialect)
	if err != nil {
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
		return nil, fmt.Errorf("%w: unknown dialect %q (sqlite, postgres or mysql)", errUsage, name)
	}
	return gorm.Open(d, &gorm.Config{DryRun: true, DisableAutomaticPing: true, Logger: logger.Discard})
}
