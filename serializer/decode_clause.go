package serializer

import (
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/wire"
)

func (d *decoder) clauses(q *decodedQuery) error {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return err
		}
	}
	q.sink.startClauses(n)
	prev := ""
	for i := 0; i < n; i++ {
		m, ok := d.r.FixArray()
		if !ok {
			var err error
			if m, err = d.r.ReadArrayLen(); err != nil {
				return err
			}
		}
		if m != 2 && m != 6 {
			return d.corrupt("clause entry of %d elements", m)
		}
		key, err := d.clauseKey()
		if err != nil {
			return err
		}
		if i > 0 && key <= prev {
			return d.corrupt("clause %q out of order", key)
		}
		prev = key
		var c clause.Clause
		if m == 2 {
			// [key, expression]: a clause as GORM's AddClause builds it.
			x, err := d.expression()
			if err != nil {
				return err
			}
			if d.strict {
				if err := d.checkClause(key, clause.Clause{Expression: x}); err != nil {
					return err
				}
			}
			c = clause.Clause{Name: key, Expression: x}
		} else if c, err = d.clause(key); err != nil {
			return err
		}
		q.sink.addClause(key, c)
	}
	return nil
}

// clause reads the rest of a clause entry of six elements, [key,
// expression, name, before, after name, after], whose key was read. It
// returns the clause by value, built in the caller's frame (see "Runtime facts" in docs/performance.md).
func (d *decoder) clause(key string) (clause.Clause, error) {
	var c clause.Clause
	var err error
	if c.Expression, err = d.expression(); err != nil {
		return clause.Clause{}, err
	}
	if c.Name, err = d.str(); err != nil {
		return clause.Clause{}, err
	}
	if c.BeforeExpression, err = d.expression(); err != nil {
		return clause.Clause{}, err
	}
	if c.AfterNameExpression, err = d.expression(); err != nil {
		return clause.Clause{}, err
	}
	if c.AfterExpression, err = d.expression(); err != nil {
		return clause.Clause{}, err
	}
	if d.strict {
		return c, d.checkClause(key, c)
	}
	return c, nil
}

// clauseKey reads a clause key: a name, or the code of a known one.
func (d *decoder) clauseKey() (string, error) {
	if code, ok := d.r.FixInt(); ok {
		if code > 0 && code < int64(len(clauseNames)) {
			return clauseNames[code], nil
		}
		return "", d.corrupt("unknown clause code %d", code)
	}
	if d.r.Peek() != wire.Int {
		return d.str()
	}
	code, err := d.r.ReadInt()
	if err != nil {
		return "", err
	}
	if code <= 0 || code >= int64(len(clauseNames)) {
		return "", d.corrupt("unknown clause code %d", code)
	}
	return clauseNames[code], nil
}

// expression reads a value that must be a clause.Expression or nil. It
// reads what value would, but takes the clause package's expressions
// straight from clauseExpr.
func (d *decoder) expression() (clause.Expression, error) {
	// The header of [tag, ...] read in place when it has the short forms
	// (tagHeader reads the others).
	var tag int64
	start := d.r.Offset()
	n, ok := d.r.FixArray()
	if ok {
		tag, ok = d.r.FixInt()
	} else if d.r.Peek() != wire.Array {
		v, err := d.value()
		if err != nil || v == nil {
			return nil, err
		}
		return nil, d.corrupt("expected a clause expression, found %T", v)
	}
	if err := d.countNode(); err != nil {
		return nil, err
	}
	if err := d.enter(); err != nil {
		return nil, err
	}
	var x clause.Expression
	var err error
	if !ok || !tagFits(tag, n) {
		d.r.Unread(d.r.Offset() - start)
		tag, n, err = d.tagHeader() // the long forms, and the errors
	}
	switch {
	case err != nil:
	case isClauseExpr(tag):
		x, err = d.clauseExpr(tag, n)
	default:
		var v any
		if v, err = d.taggedBody(tag, n); err == nil && v != nil {
			var ok bool
			if x, ok = v.(clause.Expression); !ok {
				err = d.corrupt("expected a clause expression, found %T", v)
			}
		}
	}
	d.leave()
	if err != nil {
		return nil, err
	}
	return x, nil
}

func (d *decoder) expressions() ([]clause.Expression, error) {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		return nil, nil
	}
	var err error
	out := d.makeExpressions(n)
	for i := range out {
		if out[i], err = d.expression(); err != nil {
			return nil, err
		}
		if out[i] == nil {
			// GORM builds every entry of a list; a nil one panics there.
			return nil, d.corrupt("nil expression in a list")
		}
	}
	return out, nil
}
