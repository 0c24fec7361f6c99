package serializer

import (
	"strings"

	"gorm.io/gorm"
)

// raw writes Raw SQL with its bind variables turned back into '?', so the
// target dialect can bind them its own way.
//
// GORM builds Raw's SQL at once, so a subquery among its vars, and names
// the application quoted itself, are in the text with the source
// dialect's quotes. Text holding quotes, or a '?' that is no placeholder,
// goes through rawRewritten; any other text is written as it is.
func (e *encoder) raw(stmt *gorm.Statement) error {
	orig := stmt.SQL.String()
	sql := orig
	// Dialects number bind variables by how many vars the statement holds
	// when each is bound ($1, $2, ...), so replay the binding in order.
	scratch := &gorm.Statement{DB: stmt.DB, Vars: make([]any, 0, len(stmt.Vars))}
	var bind strings.Builder
	questions := 0
	for _, v := range stmt.Vars {
		scratch.Vars = append(scratch.Vars, v)
		bind.Reset()
		stmt.DB.Dialector.BindVarTo(&bind, scratch, v)
		if b := bind.String(); b != "?" {
			sql = strings.Replace(sql, b, "?", 1)
		} else {
			questions++
		}
	}
	// Two IndexByte calls: ContainsAny walks the text a byte at a time.
	if strings.IndexByte(orig, '"') >= 0 || strings.IndexByte(orig, '`') >= 0 ||
		len(stmt.Vars) > 0 && strings.Count(orig, "?") > questions ||
		questions < len(stmt.Vars) && bindsMayHide(orig, len(stmt.Vars)-questions) {
		if done, err := e.rawRewritten(stmt, orig); done || err != nil {
			return err
		}
	}
	e.w.ArrayLen(2)
	e.w.String(sql)
	return e.values(stmt.Vars, "Raw")
}

// rawRewritten writes raw SQL whose identifiers are quoted with the source
// dialect's quotes, or that holds a '?' that is no placeholder, as
// rawSyntax.rewrite rewrites it: each identifier a '?' whose var is a
// clause.Column the target quotes its own way, and each span holding a
// stray '?' a clause.Expr of its text. done is false when the dialect's
// syntax is unknown.
func (e *encoder) rawRewritten(stmt *gorm.Statement, sql string) (done bool, err error) {
	syn, ok := rawSyntaxOf(stmt.DB.Dialector)
	if !ok {
		return false, nil
	}
	binds := make([]string, len(stmt.Vars))
	scratch := &gorm.Statement{DB: stmt.DB, Vars: make([]any, 0, len(stmt.Vars))}
	for i, v := range stmt.Vars {
		var b strings.Builder
		scratch.Vars = append(scratch.Vars, v)
		stmt.DB.Dialector.BindVarTo(&b, scratch, v)
		binds[i] = b.String()
	}
	rw, err := syn.rewrite(sql, binds)
	if err != nil {
		return true, err
	}
	if !rw.changes() {
		// No identifier or stray '?', but the lexer still told bind
		// variables from look-alikes in strings and comments ('$1').
		e.w.ArrayLen(2)
		e.w.String(rw.sql)
		return true, e.values(stmt.Vars, "Raw")
	}
	e.w.ArrayLen(2)
	e.w.String(rw.sql)
	e.w.ArrayLen(len(rw.slots) + rw.unbound)
	for _, s := range rw.slots {
		if err := e.rawSlot(s, stmt.Vars); err != nil {
			return true, err
		}
	}
	for _, v := range stmt.Vars[len(stmt.Vars)-rw.unbound:] {
		if err := e.value(v, "Raw"); err != nil {
			return true, err
		}
	}
	return true, nil
}

// bindsMayHide reports whether sql, holding n numbered bind variables
// ($1...), may also hold text that looks like one: a string, a comment or
// a dollar-quoted string, where replacing the first "$1" would rewrite
// the literal instead of the placeholder.
func bindsMayHide(sql string, n int) bool {
	return strings.IndexByte(sql, '\'') >= 0 || strings.Contains(sql, "--") ||
		strings.Contains(sql, "/*") || strings.Count(sql, "$") > n
}

// changes reports whether the rewrite put a placeholder where the plain
// encoding would not: for an identifier or a stray '?'.
func (rw rawRewrite) changes() bool {
	for _, s := range rw.slots {
		if s.bind < 0 {
			return true
		}
	}
	return false
}

// rawSlot writes the var of one placeholder. An identifier is written as
// a clause.Column by name, never as a field reference or the statement's
// table: raw SQL names what it names on every target.
func (e *encoder) rawSlot(s rawSlot, vars []any) error {
	switch {
	case s.bind >= 0:
		return e.value(vars[s.bind], "Raw")
	case s.isIdent():
		e.w.ArrayLen(4)
		e.w.Int(tColumn)
		e.w.Int(0)
		if s.table == "" {
			e.w.Nil()
		} else {
			e.sym(s.table)
		}
		e.sym(s.name)
	default:
		e.w.ArrayLen(2)
		e.w.Int(tExpr)
		e.w.String(s.text)
	}
	return nil
}
