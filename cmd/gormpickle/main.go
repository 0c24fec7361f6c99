// Command gormpickle demonstrates and inspects gormpickle payloads.
//
//	gormpickle demo [--dsn DSN] [--out FILE]
//	gormpickle inspect FILE [--dialect sqlite|postgres|mysql]
//	gormpickle help [COMMAND]
//
// demo builds a query on a users/addresses database (embedded SQLite unless
// --dsn names a PostgreSQL database), dumps it, loads it on a second,
// independent connection, runs it and prints the SQL, the payload size and
// the rows, then runs it through the result cache (package cache) around a
// write. inspect prints a payload as JSON and the SQL it renders to.
//
// -h or --help, on its own or after a command, prints that usage to
// standard output and exits 0; a usage error prints the message and the
// usage to standard error and exits 2; any other failure exits 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr)) }

// cli runs a command line and returns the process's exit code: what main
// does, testable without a process.
func cli(args []string, stdout, stderr io.Writer) int {
	err := run(args, stdout)
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "gormpickle: %v\n\n%s", err, ue.usage)
		return 2
	}
	fmt.Fprintln(stderr, "gormpickle:", err)
	return 1
}

// errUsage is what every usage error matches with errors.Is.
var errUsage = errors.New("usage")

// usageError is a command line the command cannot run; usage is the text
// printed after the message, on standard error.
type usageError struct {
	msg   string
	usage string
}

func (e *usageError) Error() string        { return "usage: " + e.msg }
func (e *usageError) Is(target error) bool { return target == errUsage }

func usageErr(usage, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), usage: usage}
}

const usage = `usage:
  gormpickle demo [--dsn DSN] [--out FILE]   dump a query, load it elsewhere, run it
  gormpickle inspect FILE [--dialect NAME]    print a payload as JSON and SQL
  gormpickle help [COMMAND]                   this text, or a command's

Run "gormpickle COMMAND -h" for a command's flags.
`

// commands maps each command to its runner and its usage (a command's
// usage is built from its flag set, so it is a function).
var commands = map[string]struct {
	run   func(args []string, out io.Writer) error
	usage func() string
}{
	"demo":    {demoCommand, func() string { return flagUsage(demoFlags(new(demoOptions))) }},
	"inspect": {inspectCommand, func() string { return flagUsage(inspectFlags(new(string))) }},
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return usageErr(usage, "no command")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fmt.Fprint(out, c.usage())
				return nil
			}
			return usageErr(usage, "help: unknown command %q", args[1])
		}
		fmt.Fprint(out, usage)
		return nil
	}
	if c, ok := commands[args[0]]; ok {
		return c.run(args[1:], out)
	}
	return usageErr(usage, "unknown command %q", args[0])
}

// errHelpShown ends a command whose -h or --help printed its usage: run
// returns nil for it.
var errHelpShown = errors.New("help shown")

// parseFlags parses a command's flags. On -h or --help it prints the
// command's usage to out and returns errHelpShown; on a bad flag, a usage
// error carrying the usage. The flag package's own printing is off, so
// that nothing but the command decides where text goes.
func parseFlags(fs *flag.FlagSet, args []string, out io.Writer) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(out, flagUsage(fs))
		return errHelpShown
	case err != nil:
		return usageErr(flagUsage(fs), "%s: %v", fs.Name(), err)
	}
	return nil
}

// helpShown turns errHelpShown into success.
func helpShown(err error) error {
	if errors.Is(err, errHelpShown) {
		return nil
	}
	return err
}

// synopses are each command's usage line and what it does, printed above
// its flags.
var synopses = map[string]string{
	"demo": `usage: gormpickle demo [--dsn DSN] [--out FILE]

Builds a query on a users/addresses database (embedded SQLite unless --dsn
names a PostgreSQL database), dumps it, loads it on a second, independent
connection, runs it and prints the SQL, the payload size and the rows.
`,
	"inspect": `usage: gormpickle inspect FILE [--dialect NAME]

Prints a payload (query or model) as JSON, with the SQL a query payload
renders to on the dialect; no server is contacted. The command knows only
the demo's models: for a payload of other models, field references are
shown by their Go field names and the SQL symbolically, and the output
says so.
`,
}

// flagUsage is a command's usage: its synopsis and its flags.
func flagUsage(fs *flag.FlagSet) string {
	var b strings.Builder
	b.WriteString(synopses[fs.Name()])
	b.WriteString("\nflags:\n")
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return b.String()
}
