package serializer

import (
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// tableSpec is what Table() was given, recovered from the statement.
type tableSpec struct {
	name string       // identifier (kind tableName)
	expr *clause.Expr // raw expression (kind tableExpr)
}

// tableOf tells an explicit Table() apart from the model's own table (which
// the target re-derives from its naming strategy) and recovers the argument
// Table() was called with.
func (e *encoder) tableOf(stmt *gorm.Statement, o origin) (tableSpec, bool) {
	if stmt.TableExpr == nil && stmt.Table == "" {
		return tableSpec{}, false
	}
	if !o.explicitTable && stmt.Schema != nil {
		derived := stmt.Schema.Table
		if stmt.TableExpr == nil && stmt.Table == derived {
			return tableSpec{}, false
		}
		if stmt.TableExpr != nil && len(stmt.TableExpr.Vars) == 0 && stmt.TableExpr.SQL == stmt.Quote(derived) {
			return tableSpec{}, false
		}
	}
	if stmt.TableExpr == nil {
		return tableSpec{name: stmt.Table}, true
	}
	if len(stmt.TableExpr.Vars) == 0 {
		if name, ok := unquoteIdent(stmt, stmt.TableExpr.SQL); ok && tableNamed(stmt, name) {
			return tableSpec{name: name}, true
		}
	}
	return tableSpec{expr: stmt.TableExpr}, true
}

// tableNamed reports whether the statement's table is the one Table(name)
// sets. Table("`people`") quotes the same FROM as Table("people") but, being
// SQL to GORM, leaves the statement's table to the model, which qualifies
// columns: it must be kept as the SQL it was.
func tableNamed(stmt *gorm.Statement, name string) bool {
	if parts := strings.Split(name, "."); len(parts) == 2 {
		name = parts[1]
	}
	// Compared quoted: PostgreSQL's Table(`"people"`) keeps its quotes in
	// the statement's table, which quotes to the same identifier.
	return stmt.Quote(stmt.Table) == stmt.Quote(name)
}

// unquoteIdent recovers the identifier that the statement's dialect quoted
// into s ("\"public\".\"users\"" -> "public.users"), if s is exactly that.
func unquoteIdent(stmt *gorm.Statement, s string) (string, bool) {
	if len(s) < 2 {
		return "", false
	}
	q := s[0]
	if q != '"' && q != '`' && q != '[' {
		return "", false
	}
	closing := q
	if q == '[' {
		closing = ']'
	}
	var parts []string
	rest := s
	for {
		if len(rest) < 2 || rest[0] != q {
			return "", false
		}
		end := strings.IndexByte(rest[1:], closing)
		if end < 0 {
			return "", false
		}
		parts = append(parts, rest[1:1+end])
		rest = rest[end+2:]
		if rest == "" {
			break
		}
		if rest[0] != '.' {
			return "", false
		}
		rest = rest[1:]
	}
	name := strings.Join(parts, ".")
	if stmt.Quote(name) != s {
		return "", false
	}
	return name, true
}

func (e *encoder) table(t tableSpec) error {
	if t.expr == nil {
		e.w.ArrayLen(2)
		e.w.Int(tableName)
		e.w.String(t.name)
		return nil
	}
	e.w.ArrayLen(3)
	e.w.Int(tableExpr)
	e.w.String(t.expr.SQL)
	return e.values(t.expr.Vars, "Table")
}
