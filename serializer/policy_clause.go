package serializer

import (
	"fmt"

	"gorm.io/gorm/clause"
)

// writeTags are the clause values a payload under the strict policy may
// not carry: those of statements that write, locking, and clause.Join (a
// join of any two tables, unbounded in the rows it multiplies; relations
// are joined with Joins, which GORM bounds to belongs-to and has-one).
var writeTags = func() (w [tagCount]bool) {
	for _, t := range []int64{tReturning, tOnConflict, tSet, tAssignment, tInsert, tValues, tUpdate, tDelete, tLocking, tJoin} {
		w[t] = true
	}
	return w
}()

// tagNames name the clause values writeTags refuses, for errors.
var tagNames = [tagCount]string{tReturning: "clause.Returning", tOnConflict: "clause.OnConflict", tSet: "clause.Set",
	tAssignment: "clause.Assignment", tInsert: "clause.Insert", tValues: "clause.Values", tUpdate: "clause.Update",
	tDelete: "clause.Delete", tLocking: "clause.Locking", tJoin: "clause.Join"}

// checkRegistered refuses, under the strict policy, a value of a
// registered type that builds its own SQL (a clause.Expression): its Build
// writes whatever its fields hold, and the payload chose those.
func (d *decoder) checkRegistered(v any) error {
	if _, ok := v.(clause.Expression); ok && d.strict {
		return refuse(ErrRawSQL, "registered expression", fmt.Sprintf("%T", v), "a registered type that builds its own SQL")
	}
	return nil
}

// inPreloadArgs reports whether the reader is among a preload's arguments,
// the only place a captured Preload function may stand.
func (d *decoder) inPreloadArgs() bool {
	s := d.scope()
	return s != nil && s.preloadArgs
}

// knownClauses are the clause names GORM's processors build; under the
// strict policy no other name (whose text GORM writes verbatim) is
// accepted, and of these only the ones a query renders (readClauses).
var (
	knownClauses = func() map[string]bool {
		m := map[string]bool{}
		for _, name := range clauseNames[1:] {
			m[name] = true
		}
		return m
	}()
	// Not FOR: a locking read holds rows until the caller's transaction
	// ends, which a payload should not decide.
	readClauses = map[string]bool{
		"SELECT": true, "FROM": true, "WHERE": true, "GROUP BY": true, "ORDER BY": true, "LIMIT": true,
	}
)

// checkClauseName applies the strict policy to a clause's key or name.
func (d *decoder) checkClauseName(slot, name string) error {
	switch {
	case !d.strict || readClauses[name]:
		return nil
	case knownClauses[name]:
		return refuse(ErrNotAllowed, slot, name, "write clauses are not accepted under the strict policy")
	}
	return d.rawRefused(slot, name)
}

// checkClause applies the strict policy to a whole clause: a read clause
// under its own name, without the extra expressions GORM writes around it.
// GORM's soft-delete marker is refused like Unscoped: alone, without the
// condition a finisher added next to it, it reads soft-deleted rows, which
// a payload from a user should not decide.
func (d *decoder) checkClause(key string, c clause.Clause) error {
	if softDeleteMarker(key, c) {
		return d.refuseUnscoped(softDeleteMarkerKey)
	}
	if err := d.checkClauseName("clause", key); err != nil {
		return err
	}
	if err := d.checkSelectClause(c.Expression); err != nil {
		return err
	}
	if d.strict && ((c.Name != key && c.Name != "") || c.BeforeExpression != nil || c.AfterNameExpression != nil || c.AfterExpression != nil) {
		return d.rawRefused("clause", c.Name)
	}
	return nil
}

// softDeleteMarkerKey is the clause GORM's soft delete leaves on a
// statement once it added its deleted_at condition (a finisher ran on the
// chain), so that it is not added again.
const softDeleteMarkerKey = "soft_delete_enabled"

// softDeleteMarker reports whether c is that marker as GORM leaves it: no
// expression, so nothing of it reaches SQL. All it does is keep GORM from
// adding the soft-delete condition, as the statement's Unscoped flag does.
func softDeleteMarker(key string, c clause.Clause) bool {
	return key == softDeleteMarkerKey && (c.Name == "" || c.Name == key) && c.Expression == nil &&
		c.BeforeExpression == nil && c.AfterNameExpression == nil && c.AfterExpression == nil
}

// checkSelectClause refuses, under the strict policy, a SELECT clause of
// several columns or an expression: GORM keeps it over the column a Pluck
// or Count asks for, and its scanning panics on the extra columns. Select
// (Statement.Selects) carries the same choice safely.
func (d *decoder) checkSelectClause(x clause.Expression) error {
	sel, ok := x.(clause.Select)
	if !d.strict || !ok || len(sel.Columns) <= 1 && sel.Expression == nil {
		return nil
	}
	return refuse(ErrNotAllowed, "clause", "SELECT", "a SELECT clause of several columns (use Select)")
}

// refuseUnscoped refuses, under the strict policy, what makes GORM read
// soft-deleted rows: the Unscoped flag, or the soft-delete marker a
// finisher leaves. A chain dumped before it runs carries neither.
func (d *decoder) refuseUnscoped(what string) error {
	return refuse(ErrNotAllowed, "statement", what, "reads soft-deleted rows; not accepted under the strict policy (dump the chain before running a finisher on it)")
}
