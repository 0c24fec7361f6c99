package tests

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/serializer"
)

// fzMaxStack is the goroutine stack limit while FuzzPolicy runs: a payload
// that makes GORM recurse forever (issue 14, class 8) still aborts the
// process, as it would in production, but after 64 MiB of stack instead of
// the default 1 GiB, so a worker dies in milliseconds rather than seconds.
const fzMaxStack = 64 << 20

// FuzzPolicy loads payloads under a strict policy (fzPolicy) and runs what
// is accepted against a SQLite database holding canaries outside the
// policy. An input that starts with the payload magic "GPQ" is a payload
// as it is (the seeds are the golden payloads and the attacks);
// any other input drives fzGen, which builds a payload from the format's
// grammar. It fails when an accepted payload renders SQL longer than 16
// bytes per payload byte plus 16 KiB, runs more statements than its
// preloads allow, reads a table or column outside the policy, brings a
// canary into a row or an error, or keeps the database busy longer than
// fzMaxRun; when Loads returns an untyped error; and on any panic, in
// Loads, a finisher, or serializer.Describe of the same bytes (which
// applies no policy and must not panic or abort either). Panics are not
// recovered: that is what the target looks for.
func FuzzPolicy(f *testing.F) {
	prev := debug.SetMaxStack(fzMaxStack)
	f.Cleanup(func() { debug.SetMaxStack(prev) })
	target := fzOpen(f)
	for _, s := range fzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		payload := in
		if !bytes.HasPrefix(in, []byte("GPQ")) {
			payload = fzGenerate(in)
		}
		if bytes.Contains(bytes.ToLower(payload), []byte(fzCanaryMark)) {
			return // the payload itself holds a canary: nothing to learn
		}
		if problems := fzExercise(target, payload); len(problems) > 0 {
			t.Fatalf("payload %q (%d bytes):\n%s", payload, len(payload), fzLines(problems))
		}
	})
}

// fzMaxRun bounds the time one payload may keep the database busy (plus
// fzRunPerByte per payload byte: SQLite takes its time over a statement
// with ten thousand bind variables), and fzMaxRows the rows its statement
// may match on the seeded database (a handful per table): a payload of a
// few bytes that makes the database work for seconds, or match millions
// of rows (a cross join of many tables), exhausts a server as surely as a
// large one. A run takes well under a millisecond; the margin absorbs
// -race and loaded machines. Statements are not interrupted (an
// interrupted in-memory database would be lost with its connection): Go's
// fuzzer reports a run of more than 10 seconds as a hang.
const (
	fzMaxRun     = time.Second
	fzRunPerByte = 100 * time.Microsecond
	fzMaxRows    = 10_000
)

// fzExercise loads and runs one payload in a transaction that is rolled
// back, then describes it, and returns the problems found.
func fzExercise(target fzTarget, payload []byte) []string {
	run := &fzRun{bound: 16*len(payload) + 16<<10}
	start := time.Now()
	tx := target.db.Begin()
	if tx.Error != nil {
		return []string{"begin: " + tx.Error.Error()}
	}
	fzCurrent.Store(run)
	fzLoadAndRun(tx, payload, run)
	fzCurrent.Store(nil)
	if took, most := time.Since(start), fzMaxRun+time.Duration(len(payload))*fzRunPerByte; took > most {
		run.addf("loading and running a %d-byte payload took %v (at most %v)", len(payload), took.Round(time.Millisecond), most)
	}
	// Describe applies no policy, so its rendering is not checked; it
	// must return, with a description or an error.
	_, _ = serializer.Describe(payload, target.reg, tx)
	if err := tx.Rollback().Error; err != nil {
		run.addf("the transaction could not be rolled back (did the payload end it?): %v", err)
	}
	return run.problems
}

// fzLoadAndRun loads a payload and, when it is accepted, renders it and
// runs it through the finishers an application would call: Count first,
// so that a statement matching more than fzMaxRows rows is reported
// before anything holds them in memory.
func fzLoadAndRun(tx *gorm.DB, payload []byte, run *fzRun) {
	q, err := gormpickle.Loads(payload, tx)
	if err != nil {
		if !fzTyped(err) {
			run.addf("Loads returned an untyped error: %v", err)
		}
		run.checkErr("Loads", err)
		return
	}
	q.Session(&gorm.Session{DryRun: true}).Find(&[]map[string]any{})
	var n int64
	run.finisher("Count", func() error { return q.Count(&n).Error })
	if n > fzMaxRows {
		run.addf("the statement matches %d rows (at most %d on the seeded database)", n, fzMaxRows)
		return
	}
	var maps []map[string]any
	run.finisher("Find into maps", func() error { return q.Find(&maps).Error })
	for _, row := range maps {
		for k, v := range row {
			run.checkCell("a Find row", k, v)
		}
	}
	run.finisher("Rows", func() error { return fzScanRows(q, run) })
	if m := q.Statement.Model; m != nil && reflect.TypeOf(m).Kind() == reflect.Pointer {
		dest := reflect.New(reflect.SliceOf(reflect.TypeOf(m).Elem()))
		run.finisher("Find into models", func() error { return q.Find(dest.Interface()).Error })
		run.checkModels("a Find model", dest, "", 0)
	}
}

// finisher runs one finisher, checking its error and the number of
// statements it ran.
func (r *fzRun) finisher(what string, fn func() error) {
	before := r.statements
	err := fn()
	r.checkErr(what, err)
	if ran := r.statements - before; ran > fzMaxStatements {
		r.addf("%s ran %d statements (at most %d: one and one per preload segment)", what, ran, fzMaxStatements)
	}
}

// fzScanRows runs Rows and scans every column of every row as text.
func fzScanRows(q *gorm.DB, run *fzRun) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	cells := make([]fzText, len(cols))
	dest := make([]any, len(cols))
	for i := range cells {
		dest[i] = &cells[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, c := range cells {
			run.checkCell("a Rows row", cols[i], string(c))
		}
	}
	return rows.Err()
}

// fzText scans any column as text.
type fzText string

// Scan stores src's text.
func (t *fzText) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = ""
	case []byte:
		*t = fzText(v)
	case string:
		*t = fzText(v)
	default:
		*t = fzText(fmt.Sprint(v))
	}
	return nil
}

// fzTyped reports whether err wraps one of the package's sentinels.
func fzTyped(err error) bool {
	for _, s := range []error{gormpickle.ErrRawSQL, gormpickle.ErrNotAllowed, gormpickle.ErrLimit, gormpickle.ErrCorrupt,
		gormpickle.ErrUnknownField, gormpickle.ErrUnknownModel, gormpickle.ErrVersion, gormpickle.ErrSignature,
		gormpickle.ErrTypeMismatch} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func fzLines(lines []string) string {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString("  - " + l + "\n")
	}
	return b.String()
}
