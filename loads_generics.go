package gormpickle

import (
	"fmt"
	"reflect"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// LoadsG restores a payload as a chain of GORM's generics API rooted in
// db: the payload of [DumpsG], or of [Dumps] for a traditional chain whose
// model is T. Everything [Loads] does and checks applies unchanged
// (signature, load policy, limits, the shadow check): the payload is
// decoded once, here, and its errors are returned here.
//
// The result is an ordinary gorm.ChainInterface[T]: extend it (its calls
// come after the restored ones, as if appended to the original chain) and
// finish it with any generics finisher (Find, First, Take, Last, Count,
// Scan, Row, Rows, FindInBatches, Update, Updates, Delete), as often as
// needed and from several goroutines: each run starts from a fresh copy of
// the restored statement, on a new session of db with the finisher's
// context, as GORM's generics chains do.
//
// A payload whose model is not T, or that has none, fails with
// [ErrModelMismatch] naming both.
func LoadsG[T any](data []byte, db *gorm.DB) (gorm.ChainInterface[T], error) {
	restored, err := Loads(data, db)
	if err != nil {
		return nil, err
	}
	base := &restoredBase{src: restored.Statement}
	if base.keepModel, err = checkModel[T](restored.Statement.Model); err != nil {
		return nil, err
	}
	if db.DryRun {
		// In DryRun mode GORM applies a generics chain to the DB it was
		// given, whose statement its Scopes call would then write into:
		// MapColumns(nil), a call that sets nothing, first starts a
		// statement of the chain's own on a new session.
		return gorm.G[T](db.Session(&gorm.Session{NewDB: true})).MapColumns(nil).Scopes(base.applyTo), nil
	}
	return gorm.G[T](db).Scopes(base.applyTo), nil
}

// checkModel reports whether the payload's model (a new value Loads made
// of the registered model) fits T, and whether a generics run must keep
// it: a model holding rows or non-zero columns does (GORM's Update and
// Delete read them); an empty one is what every generics finisher sets
// itself, so it is left to them, as in a chain built by hand.
func checkModel[T any](model any) (keep bool, err error) {
	want := reflect.TypeFor[T]()
	for want.Kind() == reflect.Pointer {
		want = want.Elem()
	}
	if model == nil {
		return false, fmt.Errorf("%w: the payload has no model; LoadsG[%s] needs one of %s", ErrModelMismatch, genericsModelName[T](), want)
	}
	got := reflect.TypeOf(model)
	for got.Kind() == reflect.Pointer || got.Kind() == reflect.Slice || got.Kind() == reflect.Array {
		got = got.Elem()
	}
	if got != want {
		return false, fmt.Errorf("%w: the payload's model is %s, LoadsG[%s] wants %s", ErrModelMismatch, got, genericsModelName[T](), want)
	}
	rv := reflect.ValueOf(model)
	return !(rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.Struct && rv.Elem().IsZero()), nil
}

// restoredBase is the statement Loads restored, which every run of the
// generics chain starts from.
type restoredBase struct {
	src       *gorm.Statement
	keepModel bool
}

// applyTo copies the restored statement into stmt, the new statement of a
// generics run (GORM's generics Scopes hand it over). The copy is GORM's
// own Statement.clone, field for field: lists that chain calls append to
// are copied, and so are the condition lists GORM reorders in place when
// it builds the SQL (WHERE, HAVING, a join's ON); the restored statement
// is only read, so concurrent runs do not race.
func (b *restoredBase) applyTo(stmt *gorm.Statement) {
	src := b.src
	stmt.TableExpr, stmt.Table = src.TableExpr, src.Table
	if b.keepModel {
		stmt.Model = src.Model
	}
	stmt.Unscoped = stmt.Unscoped || src.Unscoped
	stmt.Distinct = src.Distinct
	stmt.Selects = src.Selects[:len(src.Selects):len(src.Selects)]
	stmt.Omits = src.Omits[:len(src.Omits):len(src.Omits)]
	if src.ColumnMapping != nil {
		stmt.ColumnMapping = src.ColumnMapping
	}
	for k, c := range src.Clauses {
		stmt.Clauses[k] = ownLists(c)
	}
	n := len(stmt.Joins)
	stmt.Joins = append(stmt.Joins, src.Joins...)
	for i := n; i < len(stmt.Joins); i++ {
		if on := stmt.Joins[i].On; on != nil {
			stmt.Joins[i].On = &clause.Where{Exprs: append([]clause.Expression(nil), on.Exprs...)}
		}
	}
	if len(src.Preloads) > 0 {
		if stmt.Preloads == nil {
			stmt.Preloads = make(map[string][]any, len(src.Preloads))
		}
		for k, v := range src.Preloads {
			stmt.Preloads[k] = v
		}
	}
	src.Settings.Range(func(k, v any) bool {
		stmt.Settings.Store(k, v)
		return true
	})
	stmt.RaiseErrorOnNotFound = src.RaiseErrorOnNotFound
	if src.SQL.Len() > 0 {
		stmt.SQL.Reset()
		stmt.SQL.WriteString(src.SQL.String())
		stmt.Vars = append([]any(nil), src.Vars...)
	}
}

// ownLists returns c with its own copy of the condition lists GORM's
// clause.Where.Build reorders in place (a WHERE's, and a GROUP BY's
// HAVING), which the restored statement must not share between runs.
func ownLists(c clause.Clause) clause.Clause {
	switch e := c.Expression.(type) {
	case clause.Where:
		c.Expression = clause.Where{Exprs: append([]clause.Expression(nil), e.Exprs...)}
	case clause.GroupBy:
		if len(e.Having) > 0 {
			e.Having = append([]clause.Expression(nil), e.Having...)
			c.Expression = e
		}
	}
	return c
}
