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

func (e *encoder) values(vs []any, where string) error {
	e.w.ArrayLen(len(vs))
	for _, v := range vs {
		if err := e.value(v, where); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) exprs(xs []clause.Expression, where string) error {
	e.w.ArrayLen(len(xs))
	for _, x := range xs {
		if err := e.value(x, where); err != nil {
			return err
		}
	}
	return nil
}

// value writes any Go value that may appear in a chain. Common types and
// the conditions take the fast paths here; the statement clauses go to
// clauseValue, the rest through reflection.
func (e *encoder) value(v any, where string) error {
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
		return e.db(v, where)
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
		return e.sqlExpr(v, where)
	case clause.NamedExpr:
		return e.namedExpr(v, where)
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
		return e.in(v, where)
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
	default:
		return e.clauseValue(v, where)
	}
	return nil
}

// db writes a *gorm.DB argument: a subquery, or inside a Preload
// function the DB GORM passes it.
func (e *encoder) db(v *gorm.DB, where string) error {
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
}

// sqlExpr writes a clause.Expr, leaving out the Vars and
// WithoutParentheses that are not set.
func (e *encoder) sqlExpr(v clause.Expr, where string) error {
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
	return nil
}

func (e *encoder) namedExpr(v clause.NamedExpr, where string) error {
	e.w.ArrayLen(3)
	e.w.Int(tNamedExpr)
	e.w.String(v.SQL)
	return e.values(v.Vars, where)
}

func (e *encoder) in(v clause.IN, where string) error {
	e.w.ArrayLen(3)
	e.w.Int(tIN)
	if err := e.value(v.Column, where); err != nil {
		return err
	}
	return e.values(v.Values, where)
}

func (e *encoder) binary(tag int64, col, val any, where string) error {
	e.w.ArrayLen(3)
	e.w.Int(tag)
	if err := e.value(col, where); err != nil {
		return err
	}
	return e.value(val, where)
}

func (e *encoder) group(tag int64, xs []clause.Expression, where string) error {
	e.w.ArrayLen(2)
	e.w.Int(tag)
	return e.exprs(xs, where)
}

func (e *encoder) assignments(set clause.Set, where string) error {
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
