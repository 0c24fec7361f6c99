package gormpickle

import (
	"fmt"
	"strings"
)

// WithShadowCheck turns on the shadow check, the way to adopt gormpickle
// safely: run your test suite with it on, and every statement your
// application executes is also dumped, loaded and rendered, and report is
// called for each one whose restored form differs from the original.
//
// For every statement of the query, row and raw processors (Find, First,
// Count, Pluck, Row, Rows, Scan, Exec, the preload queries, the migrator's
// queries) it dumps the statement as it is about to run, exactly where
// [Dumps] captures, lets it run, then loads the payload on a fresh session
// of the same DB (the plugin's registry, the permissive load policy and
// the plugin's limits, no signature: it checks fidelity, not trust),
// renders it with the same processor and the same destination, without
// running it, and compares the SQL and the bind variables with those GORM
// built for the original. Variables are compared by what the driver would
// be sent: a driver.Valuer by its Value(), integers, floats and strings by
// value whatever their Go type, time.Time by instant and UTC offset,
// []byte by content, pointers by what they point to. A Valuer whose Value
// changes from one call to the next therefore shows as a divergence.
// Bind variables a statement holds before GORM builds it (its parent's,
// for a subquery GORM renders; a pgx option PostgreSQL's migrator puts
// first) are not part of a chain: the restored statement starts from the
// same ones.
//
// The check never changes what the application runs: the statement, its
// SQL, its result, its rows and its error are those it would have without
// the check, and the shadow work runs no SQL. A panic in the shadow work
// is recovered and reported (Kind [DivergenceError]). report is called
// synchronously, in the goroutine that ran the statement, after it ran;
// it must be safe for concurrent use, and a panic in it propagates like a
// panic in any callback. Statements that fail before GORM builds their SQL
// are not checked, nor is anything the shadow work itself runs.
//
// Statements that cannot travel are reported with Kind
// [DivergenceUnsupported]: Dumps refuses them with ErrNotSerializable (a
// value of an unregistered type) or ErrUnknownModel (a model that is not
// registered), or Loads refuses them under the plugin's limits
// (ErrLimit). A Find, Scan or Pluck into rows of a type that is not a
// registered model is checked as the chain before it (the destination is
// not part of a payload), so it is not refused for that. These are loud
// refusals, never silent changes; filter them out if you only want
// fidelity bugs. Every other kind is a statement that would not come back
// as it was.
//
// Several WithShadowCheck options each receive every divergence, in the
// order they were given.
//
// Off (the default), the check costs one nil check per statement. On, each
// statement costs about a Dumps, a Loads and a render more; it is meant
// for test suites and canaries, not for production traffic.
func WithShadowCheck(report func(Divergence)) Option {
	return func(p *Plugin) {
		if report == nil {
			p.setupErr(fmt.Errorf("gormpickle: WithShadowCheck was given a nil report function"))
			return
		}
		if p.shadow == nil {
			p.shadow = &shadowCheck{plugin: p}
		}
		p.shadow.reports = append(p.shadow.reports, report)
	}
}

// DivergenceKind tells what the shadow check found wrong with a statement.
type DivergenceKind int

// The kinds of [Divergence].
const (
	// DivergenceSQL: the restored statement renders other SQL.
	DivergenceSQL DivergenceKind = iota + 1
	// DivergenceVars: the SQL is the same, a bind variable is not (see
	// Divergence.Var).
	DivergenceVars
	// DivergenceError: dumping, loading or rendering the statement failed
	// (with anything else than an Unsupported refusal), or the shadow work
	// panicked. Err says which.
	DivergenceError
	// DivergenceUnsupported: the statement cannot travel, and Dumps or
	// Loads says so with ErrNotSerializable, ErrUnknownModel or ErrLimit
	// (Err). Not a
	// fidelity bug: filter these out unless you mean to dump such
	// statements.
	DivergenceUnsupported
)

// String names the kind.
func (k DivergenceKind) String() string {
	switch k {
	case DivergenceSQL:
		return "SQL differs"
	case DivergenceVars:
		return "vars differ"
	case DivergenceError:
		return "error"
	case DivergenceUnsupported:
		return "unsupported"
	}
	return fmt.Sprintf("DivergenceKind(%d)", int(k))
}

// Divergence is one statement the shadow check ([WithShadowCheck]) found
// not to round-trip.
type Divergence struct {
	Kind DivergenceKind
	// Processor is the GORM processor the statement ran in: "query"
	// (Find, First, Count, ...), "row" (Row, Rows, Scan) or "raw" (Exec).
	Processor string
	// SQL and Vars are what GORM built for the original statement and
	// sent (or, in a DryRun session, would have sent).
	SQL  string
	Vars []any
	// RestoredSQL and RestoredVars are what the restored statement
	// renders to; empty when it was not rendered (Err says why).
	RestoredSQL  string
	RestoredVars []any
	// Var is the index of the first bind variable that differs, or of the
	// first one only one side has; -1 when the variables agree or were
	// not compared.
	Var int
	// Payload is what Dumps would have returned for the statement (before
	// signing); nil when dumping failed.
	Payload []byte
	// Err is why the statement could not be dumped, loaded or rendered,
	// for kinds DivergenceError and DivergenceUnsupported.
	Err error
}

// String describes the divergence on several lines: kind and processor,
// both SQL texts, the first differing variable and the error.
func (d Divergence) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gormpickle shadow check: %s (%s processor)\n", d.Kind, d.Processor)
	fmt.Fprintf(&b, "  original SQL: %s\n", d.SQL)
	if d.Kind == DivergenceSQL || d.Kind == DivergenceVars {
		fmt.Fprintf(&b, "  restored SQL: %s\n", d.RestoredSQL)
	}
	if d.Var >= 0 {
		fmt.Fprintf(&b, "  var %d: original %s, restored %s\n", d.Var, varAt(d.Vars, d.Var), varAt(d.RestoredVars, d.Var))
	}
	if d.Err != nil {
		fmt.Fprintf(&b, "  error: %v\n", d.Err)
	}
	fmt.Fprintf(&b, "  vars: %s / restored: %s", describeVars(d.Vars), describeVars(d.RestoredVars))
	return b.String()
}

// varAt prints vars[i] with its Go type, or says it is missing.
func varAt(vars []any, i int) string {
	if i >= len(vars) {
		return "(none)"
	}
	return fmt.Sprintf("%#v (%T)", vars[i], vars[i])
}

// describeVars prints a variable list compactly.
func describeVars(vars []any) string {
	parts := make([]string, len(vars))
	for i, v := range vars {
		parts[i] = fmt.Sprintf("%v", v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
