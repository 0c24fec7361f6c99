package serializer

import (
	"reflect"

	"gorm.io/gorm/clause"
)

// clauseValue writes the clause package's statement clauses, the values
// value's own switch does not hold (it keeps the scalars and conditions,
// which are far more frequent); anything else goes through reflection.
func (e *encoder) clauseValue(v any, where string) error {
	switch v := v.(type) {
	case clause.Select:
		e.w.ArrayLen(4)
		e.w.Int(tSelect)
		e.w.Bool(v.Distinct)
		e.columns(v.Columns)
		return e.value(v.Expression, where)
	case clause.From:
		return e.from(v, where)
	case clause.Join:
		return e.join(v, where)
	case clause.GroupBy:
		e.w.ArrayLen(3)
		e.w.Int(tGroupBy)
		e.columns(v.Columns)
		return e.exprs(v.Having, "Having") // GORM keeps Having in GROUP BY
	case clause.OrderBy:
		return e.orderBy(v, where)
	case clause.OrderByColumn:
		e.w.ArrayLen(2)
		e.w.Int(tOrderByColumn)
		e.orderByColumn(v)
	case clause.Limit:
		e.limit(v)
	case clause.Locking:
		e.w.ArrayLen(4)
		e.w.Int(tLocking)
		e.w.String(v.Strength)
		e.tableRef(v.Table)
		e.w.String(v.Options)
	case clause.Returning:
		e.w.ArrayLen(2)
		e.w.Int(tReturning)
		e.columns(v.Columns)
	case clause.OnConflict:
		return e.onConflict(v, where)
	case clause.Set:
		return e.assignments(v, where)
	case clause.Assignment:
		e.w.ArrayLen(3)
		e.w.Int(tAssignment)
		e.column(v.Column)
		return e.value(v.Value, where)
	case clause.Insert:
		e.w.ArrayLen(3)
		e.w.Int(tInsert)
		e.tableRef(v.Table)
		e.w.String(v.Modifier)
	case clause.Values:
		return e.valuesClause(v, where)
	case clause.Update:
		e.w.ArrayLen(3)
		e.w.Int(tUpdate)
		e.w.String(v.Modifier)
		e.tableRef(v.Table)
	case clause.Delete:
		e.w.ArrayLen(2)
		e.w.Int(tDelete)
		e.w.String(v.Modifier)
	case clause.Clause:
		return e.customClause(v, where)
	default:
		return e.reflectValue(reflect.ValueOf(v), where)
	}
	return nil
}

func (e *encoder) from(v clause.From, where string) error {
	e.w.ArrayLen(3)
	e.w.Int(tFrom)
	e.w.ArrayLen(len(v.Tables))
	for _, t := range v.Tables {
		e.tableRef(t)
	}
	e.w.ArrayLen(len(v.Joins))
	for _, j := range v.Joins {
		if err := e.value(j, where); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) join(v clause.Join, where string) error {
	e.w.ArrayLen(6)
	e.w.Int(tJoin)
	e.joinType(v.Type)
	e.tableRef(v.Table)
	if err := e.group(tWhere, v.ON.Exprs, where); err != nil {
		return err
	}
	e.strings(v.Using)
	return e.value(v.Expression, where)
}

// orderBy writes a clause.OrderBy, its Expression only when set.
func (e *encoder) orderBy(v clause.OrderBy, where string) error {
	if v.Expression == nil {
		e.w.ArrayLen(2)
	} else {
		e.w.ArrayLen(3)
	}
	e.w.Int(tOrderBy)
	e.w.ArrayLen(len(v.Columns))
	for _, c := range v.Columns {
		e.orderByColumn(c)
	}
	if v.Expression == nil {
		return nil
	}
	return e.value(v.Expression, where)
}

// limit writes a clause.Limit, its Offset only when not 0.
func (e *encoder) limit(v clause.Limit) {
	if v.Offset == 0 {
		e.w.ArrayLen(2)
	} else {
		e.w.ArrayLen(3)
	}
	e.w.Int(tLimit)
	if v.Limit == nil {
		e.w.Nil()
	} else {
		e.w.Int(int64(*v.Limit))
	}
	if v.Offset != 0 {
		e.w.Int(int64(v.Offset))
	}
}

func (e *encoder) onConflict(v clause.OnConflict, where string) error {
	e.w.ArrayLen(8)
	e.w.Int(tOnConflict)
	e.columns(v.Columns)
	if err := e.group(tWhere, v.Where.Exprs, where); err != nil {
		return err
	}
	if err := e.group(tWhere, v.TargetWhere.Exprs, where); err != nil {
		return err
	}
	e.w.String(v.OnConstraint)
	e.w.Bool(v.DoNothing)
	if err := e.assignments(v.DoUpdates, where); err != nil {
		return err
	}
	e.w.Bool(v.UpdateAll)
	return nil
}

func (e *encoder) valuesClause(v clause.Values, where string) error {
	e.w.ArrayLen(3)
	e.w.Int(tValues)
	e.columns(v.Columns)
	e.w.ArrayLen(len(v.Values))
	for _, row := range v.Values {
		if err := e.values(row, where); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) customClause(v clause.Clause, where string) error {
	if v.Builder != nil {
		return &UnsupportedTypeError{Type: "clause.ClauseBuilder", Where: where, Reason: "clause builders are functions"}
	}
	e.w.ArrayLen(6)
	e.w.Int(tClause)
	e.w.String(v.Name)
	for _, x := range []clause.Expression{v.BeforeExpression, v.AfterNameExpression, v.Expression, v.AfterExpression} {
		if err := e.value(x, where); err != nil {
			return err
		}
	}
	return nil
}
