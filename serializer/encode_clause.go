package serializer

import (
	"sort"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// clauseKeysOf lists the statement's clauses in encoding order. GORM's
// soft-delete marker (soft_delete_enabled, left by a finisher that already
// ran on the chain, next to the deleted_at condition it added) is kept like
// any clause: without it the target would add the condition a second time,
// and regroup the WHERE around a later Or().
func clauseKeysOf(stmt *gorm.Statement) []string {
	keys := make([]string, 0, len(stmt.Clauses))
	for k := range stmt.Clauses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (e *encoder) clauses(stmt *gorm.Statement, keys []string) error {
	e.w.ArrayLen(len(keys))
	for _, k := range keys {
		c := stmt.Clauses[k]
		if c.Builder != nil {
			return &UnsupportedTypeError{Type: "clause.ClauseBuilder", Where: "clause " + k, Reason: "clause builders are functions"}
		}
		where := "clause " + k
		if c.Name == k && c.BeforeExpression == nil && c.AfterNameExpression == nil && c.AfterExpression == nil {
			e.w.ArrayLen(2)
			e.clauseKey(k)
			if err := e.value(c.Expression, where); err != nil {
				return err
			}
			continue
		}
		e.w.ArrayLen(6)
		e.clauseKey(k)
		if err := e.value(c.Expression, where); err != nil {
			return err
		}
		e.w.String(c.Name)
		for _, x := range []clause.Expression{c.BeforeExpression, c.AfterNameExpression, c.AfterExpression} {
			if err := e.value(x, where); err != nil {
				return err
			}
		}
	}
	return nil
}

// clauseKey writes a clause key: a known clause name as its code.
func (e *encoder) clauseKey(k string) {
	if code := clauseCode(k); code != 0 {
		e.w.Int(int64(code))
		return
	}
	e.w.String(k)
}
