package serializer

import (
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// statement reads a statement into a new query tree: for decoder.decode,
// display, and captured Preload functions, which apply it later.
func (d *decoder) statement() (*decodedQuery, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	q := new(decodedQuery)
	q.sink = q
	s := d.pushScope()
	s.sink = q
	if d.hint != nil { // see relationHint
		s.hint, d.hint = d.hint, nil
	}
	// No defers here or in the other recursive readers: with their many
	// returns Go cannot open-code them, and they run for every value.
	inTableExpr := d.inTableExpr
	d.inTableExpr = 0 // a statement of its own renders its own table
	err := d.statementEntries(q)
	if err == nil {
		err = d.expandStatement()
	}
	d.inTableExpr = inTableExpr
	d.popScope()
	d.leave()
	if err != nil {
		return nil, err
	}
	return q, nil
}

// restoreStatement reads a statement straight into a new statement on the
// target and returns its frame and the chain that holds it. Clauses,
// joins, preloads and the table are written into the statement as they
// are read; the entries GORM's chain methods must set are collected in a
// decodedQuery on the stack and applied at the end.
func (d *decoder) restoreStatement() (*frame, *gorm.DB, error) {
	if err := d.enter(); err != nil {
		return nil, nil, err
	}
	var q decodedQuery
	f := newFrame(d.target)
	q.sink = f
	s := d.pushScope()
	s.sink = f
	if d.hint != nil { // see relationHint
		s.hint, d.hint = d.hint, nil
	}
	inTableExpr := d.inTableExpr
	d.inTableExpr = 0
	err := d.statementEntries(&q)
	if err == nil && d.scopes > 1 {
		err = d.expandStatement() // a subquery; the top statement's is in expansionBase
	}
	d.inTableExpr = inTableExpr
	d.popScope()
	d.leave()
	if err != nil {
		return nil, nil, err
	}
	if !q.restoredRest() {
		return f, &f.db, nil
	}
	return f, q.apply(&f.db), nil
}

func (d *decoder) statementEntries(q *decodedQuery) error {
	var err error
	n, ok := d.r.FixMap()
	if !ok {
		if n, err = d.r.ReadMapLen(); err != nil {
			return err
		}
	}
	last := int64(0)
	for i := 0; i < n; i++ {
		key, ok := d.r.FixInt()
		if !ok {
			if key, err = d.intValue(); err != nil {
				return err
			}
		}
		if key <= last {
			return d.corrupt("statement key %d out of order", key)
		}
		last = key
		switch key {
		case keyModel:
			err = d.model(q)
		case keyTable:
			err = d.table(q)
			d.scope().tableSet = false // a name found before the Table key is stale
		case keyFlags:
			var f int64
			if f, err = d.intValue(); err == nil {
				if f&^(stmtUnscoped|stmtDistinct|stmtRaiseErrorOnNotFound) != 0 {
					return d.corrupt("unknown statement flags %#x", f)
				}
				q.Unscoped, q.Distinct = f&stmtUnscoped != 0, f&stmtDistinct != 0
				if q.Unscoped && d.strict {
					return d.refuseUnscoped("Unscoped")
				}
				q.RaiseErrorOnNotFound = f&stmtRaiseErrorOnNotFound != 0
			}
		case keySelects:
			if q.Selects, err = d.columnNames(); err == nil {
				err = d.checkSelects(q.Selects)
			}
		case keyOmits:
			q.Omits, err = d.columnNames()
		case keyColumnMapping:
			err = d.columnMapping(q)
		case keyClauses:
			err = d.clauses(q)
		case keyJoins:
			err = d.joins(q)
		case keyPreloads:
			err = d.preloads(q)
		case keyRaw:
			err = d.raw(q)
		case keySettings:
			err = d.settings(q)
		default:
			return d.corrupt("unknown statement key %d", key)
		}
		if err != nil {
			return err
		}
	}
	if d.strict {
		return d.checkStatementModel()
	}
	return nil
}

// checkSelects refuses, under DenyRawSQL, selected names that are not
// fields of the model: GORM writes those as raw SQL.
func (d *decoder) checkSelects(names []string) error {
	if !d.strict {
		return nil
	}
	sch, err := d.scopeSchema()
	if err != nil {
		return err
	}
	for _, name := range names {
		var f *schema.Field
		if sch != nil {
			f = sch.LookUpField(name)
		}
		if f == nil {
			if d.strict {
				return d.rawRefused("Select", name)
			}
			return fmt.Errorf("%w: Select %q is not a field of model %q", ErrNotAllowed, name, d.scopeModelID())
		}
		if err := d.allowField(f.Name); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) columnMapping(q *decodedQuery) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n%2 != 0 {
		return d.corrupt("column mapping of odd length %d", n)
	}
	if d.strict && n > 0 {
		// MapColumns renames result columns into fields: a column the
		// allow-list keeps out would come back in an allowed field.
		return refuse(ErrNotAllowed, "column mapping", "MapColumns", "result columns renamed into fields; not accepted under the strict policy")
	}
	q.ColumnMap = make(map[string]string, n/2)
	for i := 0; i < n; i += 2 {
		k, err := d.str()
		if err != nil {
			return err
		}
		v, err := d.str()
		if err != nil {
			return err
		}
		q.ColumnMap[k] = v
	}
	return nil
}

func (d *decoder) settings(q *decodedQuery) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n%2 != 0 {
		return d.corrupt("settings of odd length %d", n)
	}
	for i := 0; i < n; i += 2 {
		k, err := d.str()
		if err != nil {
			return err
		}
		if d.strict {
			return refuse(ErrNotAllowed, "setting", k, "statement settings steer GORM and its plugins; not accepted under the strict policy")
		}
		v, err := d.value()
		if err != nil {
			return err
		}
		q.Settings = append(q.Settings, settingEntry{Key: k, Value: v})
	}
	return nil
}
