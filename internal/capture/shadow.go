package capture

import (
	"fmt"

	"gorm.io/gorm"
	gormcallbacks "gorm.io/gorm/callbacks"

	"github.com/gormpickle/gormpickle/callbacks"
)

// Processor names one of the GORM processors the capture sits in.
type Processor string

// The processors the capture is installed in, by the callback it replaces.
const (
	Query Processor = "query" // gorm:query: Find, First, Count, Pluck, ...
	Row   Processor = "row"   // gorm:row: Row, Rows, Scan
	Raw   Processor = "raw"   // gorm:raw: Exec
)

// Shadow runs, in place of the callback a capture point replaced, every
// statement that is not a capture run: it must call next(db) exactly once
// (that is the statement running), must not panic, and must leave db as
// next left it. p says which processor the statement runs in. A shadow
// that renders a statement again must do it with [Render], whose marked
// run does not reach the shadow.
type Shadow func(db *gorm.DB, p Processor, next func(*gorm.DB))

// probe is a marker value that asks a capture point to identify itself,
// so that [SetShadow] can reach the points installed before it.
type probe struct{ point *capturePoint }

// SetShadow sets (or, with nil, removes) the shadow of the capture points
// installed in db's query, row and raw processors by [Register]. Every
// statement those processors run afterwards, other than capture runs,
// goes through it. It fails with ErrNotInstalled when a processor holds no
// capture point.
func SetShadow(db *gorm.DB, s Shadow) error {
	for _, in := range installations {
		fn := in.of(db).Get(in.callback)
		if !isCapture(fn) {
			return fmt.Errorf("%w: no capture point in %s", ErrNotInstalled, in.callback)
		}
		// A method value hides its receiver: ask the point itself.
		pr := &probe{}
		ask := &gorm.DB{Statement: &gorm.Statement{}}
		ask.Statement.Settings.Store(callbacks.MarkerKey, pr)
		fn(ask)
		if pr.point == nil {
			return fmt.Errorf("%w: the capture point in %s did not answer", ErrNotInstalled, in.callback)
		}
		if s == nil {
			pr.point.shadow.Store(nil)
		} else {
			pr.point.shadow.Store(&s)
		}
	}
	return nil
}

// Render runs tx's chain through the processor p as [Capture] does (scopes,
// the model parsed, every callback sorted before the capture point, and
// nothing after it) and returns the SQL and bind variables GORM builds
// for it there, without running it. Statements of Raw, and any chain
// that carries SQL already (Raw, Exec), keep their SQL as it is. tx is not
// modified.
//
// prefix holds bind variables the statement is to start from, as GORM
// starts a subquery's from its parent's (and PostgreSQL's migrator puts
// a pgx option first): they are numbered before the statement's own, and
// returned with them. It is not used for a statement that carries SQL.
func Render(tx *gorm.DB, p Processor, prefix []any) (sql string, vars []any, err error) {
	err = capture(tx, p, func(db *gorm.DB) error {
		if db.Statement.SQL.Len() == 0 && p != Raw {
			db.Statement.Vars = append(db.Statement.Vars[:0:0], prefix...)
			gormcallbacks.BuildQuerySQL(db)
			if db.Error != nil {
				return db.Error
			}
		}
		sql, vars = db.Statement.SQL.String(), db.Statement.Vars
		return nil
	})
	return sql, vars, err
}
