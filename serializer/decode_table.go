package serializer

import (
	"regexp"
	"strings"

	"gorm.io/gorm/clause"
)

// statementTable is the table the restored statement will use: an explicit
// Table() as GORM's Table() names it, else the model's table on the target.
func (d *decoder) statementTable(s *decScope) (string, error) {
	if s.sink != nil {
		if name, ok := s.sink.explicitTable(); ok {
			return name, nil
		}
	}
	sch, err := d.scopeSchema()
	if sch == nil {
		return "", err
	}
	return sch.Table, nil
}

// tableAlias finds the name GORM's Table() gives a statement whose table
// is an expression: the alias of "x AS y" or "x y" (the same pattern GORM
// applies).
var tableAlias = regexp.MustCompile(`(?i)(?:.+? AS (\w+)\s*(?:$|,)|^\w+\s+(\w+)$)`)

// tableInfo is what GORM's Table(sql) derives from a table expression:
// the table name its pattern finds ("" for none) and, for reuse when the
// call has no vars, the FROM expression.
type tableInfo struct {
	name string
	expr *clause.Expr
}

// tableExprInfo returns what Table(sql) derives from sql. Saved queries
// repeat a few table expressions and the pattern is costly (it
// backtracks), so short expressions are remembered.
func tableExprInfo(sql string) tableInfo {
	if info, ok := tableExprs.getString(sql); ok {
		return info
	}
	info := tableInfo{expr: &clause.Expr{SQL: strings.Clone(sql)}} // kept: not a view of the payload
	if m := tableAlias.FindStringSubmatch(sql); len(m) == 3 {
		info.name = m[1]
		if info.name == "" {
			info.name = m[2]
		}
	}
	tableExprs.put(sql, info)
	return info
}

// tableExprs remembers tableExprInfo's answers, by expression.
var tableExprs stringCache[tableInfo]

func (d *decoder) table(q *decodedQuery) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	kind, err := d.intValue()
	if err != nil {
		return err
	}
	switch {
	case kind == tableName && n == 2:
		name, err := d.str()
		if err != nil {
			return err
		}
		if err := d.checkTableName("Table", name); err != nil {
			return err
		}
		q.sink.setTable(tableArg{Name: name})
	case kind == tableExpr && n == 3:
		sql, err := d.str()
		if err != nil {
			return err
		}
		if d.strict {
			return d.rawRefused("Table", sql)
		}
		d.inTableExpr++ // see checkTable
		vars, err := d.anys()
		d.inTableExpr--
		if err != nil {
			return err
		}
		q.sink.setTable(tableArg{SQL: sql, Vars: vars})
	default:
		return d.corrupt("table entry of kind %d with %d elements", kind, n)
	}
	return nil
}
