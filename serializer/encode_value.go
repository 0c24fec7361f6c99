package serializer

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

var (
	timeType       = reflect.TypeOf(time.Time{})
	bytesType      = reflect.TypeOf([]byte(nil))
	expressionType = reflect.TypeOf((*clause.Expression)(nil)).Elem()
	valuerType     = reflect.TypeOf((*driver.Valuer)(nil)).Elem()
	gormValuerType = reflect.TypeOf((*gorm.Valuer)(nil)).Elem()
)

func (e *Encoder) values(vs []any, where string) error {
	e.w.ArrayLen(len(vs))
	for _, v := range vs {
		if err := e.value(v, where); err != nil {
			return err
		}
	}
	return nil
}

func (e *Encoder) exprs(xs []clause.Expression, where string) error {
	e.w.ArrayLen(len(xs))
	for _, x := range xs {
		if err := e.value(x, where); err != nil {
			return err
		}
	}
	return nil
}

// value writes any Go value that may appear in a chain. Common types take
// the fast paths; the rest go through reflection.
func (e *Encoder) value(v any, where string) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxEncodeDepth {
		return &UnsupportedTypeError{Type: fmt.Sprintf("%T", v), Where: where, Reason: "value nested too deeply (a cycle?)"}
	}
	switch v := v.(type) {
	case nil:
		e.w.Nil()
	case string:
		e.w.String(v)
	case int:
		e.w.Int(int64(v))
	case bool:
		e.w.Bool(v)
	case float64:
		e.w.Float64(v)
	case []byte:
		if v == nil {
			e.w.Nil()
		} else {
			e.w.Bytes(v)
		}
	case time.Time:
		e.time(v)
	case []any:
		return e.slice(reflect.ValueOf(v), where)
	case *gorm.DB:
		if v == nil {
			e.w.Nil()
			return nil
		}
		if e.preload != nil {
			if done, err := e.preloadQuery(v, where); done {
				return err
			}
		}
		e.w.ArrayLen(2)
		e.w.Int(tSubquery)
		return e.subquery(v, where)
	case sql.NamedArg:
		e.w.ArrayLen(3)
		e.w.Int(tNamedArg)
		e.w.String(v.Name)
		return e.value(v.Value, where)
	case clause.Column:
		e.column(v)
	case clause.Table:
		e.tableRef(v)
	case clause.Expr:
		n := 4
		if !v.WithoutParentheses {
			n--
			if len(v.Vars) == 0 {
				n--
			}
		}
		e.w.ArrayLen(n)
		e.w.Int(tExpr)
		e.w.String(v.SQL)
		if n > 2 {
			if err := e.values(v.Vars, where); err != nil {
				return err
			}
		}
		if n > 3 {
			e.w.Bool(true)
		}
	case clause.NamedExpr:
		e.w.ArrayLen(3)
		e.w.Int(tNamedExpr)
		e.w.String(v.SQL)
		return e.values(v.Vars, where)
	case clause.Eq:
		return e.binary(tEq, v.Column, v.Value, where)
	case clause.Neq:
		return e.binary(tNeq, v.Column, v.Value, where)
	case clause.Gt:
		return e.binary(tGt, v.Column, v.Value, where)
	case clause.Gte:
		return e.binary(tGte, v.Column, v.Value, where)
	case clause.Lt:
		return e.binary(tLt, v.Column, v.Value, where)
	case clause.Lte:
		return e.binary(tLte, v.Column, v.Value, where)
	case clause.Like:
		return e.binary(tLike, v.Column, v.Value, where)
	case clause.IN:
		e.w.ArrayLen(3)
		e.w.Int(tIN)
		if err := e.value(v.Column, where); err != nil {
			return err
		}
		return e.values(v.Values, where)
	case clause.Where:
		return e.group(tWhere, v.Exprs, where)
	case clause.AndConditions:
		return e.group(tAnd, v.Exprs, where)
	case clause.OrConditions:
		return e.group(tOr, v.Exprs, where)
	case clause.NotConditions:
		return e.group(tNot, v.Exprs, where)
	case clause.CommaExpression:
		return e.group(tComma, v.Exprs, where)
	case clause.Select:
		e.w.ArrayLen(4)
		e.w.Int(tSelect)
		e.w.Bool(v.Distinct)
		e.columns(v.Columns)
		return e.value(v.Expression, where)
	case clause.From:
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
	case clause.Join:
		e.w.ArrayLen(6)
		e.w.Int(tJoin)
		e.joinType(v.Type)
		e.tableRef(v.Table)
		if err := e.group(tWhere, v.ON.Exprs, where); err != nil {
			return err
		}
		e.strings(v.Using)
		return e.value(v.Expression, where)
	case clause.GroupBy:
		e.w.ArrayLen(3)
		e.w.Int(tGroupBy)
		e.columns(v.Columns)
		return e.exprs(v.Having, "Having") // GORM keeps Having in GROUP BY
	case clause.OrderBy:
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
	case clause.OrderByColumn:
		e.w.ArrayLen(2)
		e.w.Int(tOrderByColumn)
		e.orderByColumn(v)
	case clause.Limit:
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
		e.w.ArrayLen(3)
		e.w.Int(tValues)
		e.columns(v.Columns)
		e.w.ArrayLen(len(v.Values))
		for _, row := range v.Values {
			if err := e.values(row, where); err != nil {
				return err
			}
		}
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
	default:
		return e.reflectValue(reflect.ValueOf(v), where)
	}
	return nil
}

func (e *Encoder) binary(tag int64, col, val any, where string) error {
	e.w.ArrayLen(3)
	e.w.Int(tag)
	if err := e.value(col, where); err != nil {
		return err
	}
	return e.value(val, where)
}

func (e *Encoder) group(tag int64, xs []clause.Expression, where string) error {
	e.w.ArrayLen(2)
	e.w.Int(tag)
	return e.exprs(xs, where)
}

func (e *Encoder) assignments(set clause.Set, where string) error {
	e.w.ArrayLen(2)
	e.w.Int(tSet)
	e.w.ArrayLen(len(set))
	for _, a := range set {
		if err := e.value(a, where); err != nil {
			return err
		}
	}
	return nil
}
