// Command gormpickle demonstrates and inspects gormpickle payloads.
//
//	gormpickle demo [--dsn DSN] [--out FILE]
//	gormpickle inspect FILE [--dialect sqlite|postgres|mysql]
//
// demo builds a query on a users/addresses database (embedded SQLite unless
// --dsn names a PostgreSQL database), dumps it, loads it on a second,
// independent connection, runs it and prints the SQL, the payload size and
// the rows. inspect prints a payload as JSON and the SQL it renders to.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gormpickle:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `usage:
  gormpickle demo [--dsn DSN] [--out FILE]   dump a query, load it elsewhere, run it
  gormpickle inspect FILE [--dialect NAME]    print a payload as JSON and SQL
  gormpickle help                             this text
`

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(out, usage)
		return fmt.Errorf("%w: no command", errUsage)
	}
	switch args[0] {
	case "demo":
		return demoCommand(args[1:], out)
	case "inspect":
		return inspectCommand(args[1:], out)
	case "help", "-h", "--help":
		fmt.Fprint(out, usage)
		return nil
	}
	fmt.Fprint(out, usage)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}
