package serializer

import (
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// preloadState is what the decoder knows of the Preload function whose
// statement it reads ([tPreloadFunc, statement]).
type preloadState struct {
	active  bool           // reading a Preload function's statement
	inQuery bool           // reading a [tPreloadTx, statement] in it
	seen    int            // the tPreloadTx the statement holds
	nested  int            // the deepest nesting of such functions in it
	hint    *schema.Schema // the relation's model
	tx      *gorm.DB       // at run time: the DB GORM passed the function
}

// Bounds on Preload functions that hold their own query (tPreloadTx).
// GORM fills in the parent rows' keys when it runs the preload, which the
// payload's size does not count: each copy of the query binds every key
// again. A restored function keeps its statement's bytes and decodes them
// on each run, functions nested in it included, so nesting multiplies
// that work. GORM's LimitPerRecord holds one, nested in none.
const (
	maxPreloadQueries = 4 // tPreloadTx in one function's statement
	maxPreloadNesting = 3 // such functions nested in one another
)

// preloadQueryValue is, in describe mode, the DB GORM passes a Preload
// function (its relation's query for the parent rows' keys) with what the
// function added to it, nested in the statement the function returns.
type preloadQueryValue struct{ Query *decodedQuery }

// preloadFunc reads [tPreloadFunc, statement]: what a Preload function
// added to the DB it was given, applied onto GORM's on load; or, when the
// statement holds that DB ([tPreloadTx, ...]), a new statement rebuilt on
// each run around the DB GORM passes (see nestedPreload).
func (d *decoder) preloadFunc() (any, error) {
	if !d.inPreloadArgs() {
		return nil, d.corrupt("a Preload function outside a preload's arguments")
	}
	hint := d.relationHint()
	d.hint = hint
	saved := d.preloadFn
	d.preloadFn = preloadState{active: true, hint: hint}
	start, nsyms := d.r.Offset(), d.nsyms
	q, err := d.statement()
	inner := d.preloadFn
	d.preloadFn = saved
	if depth := inner.nested; err == nil && (depth > 0 || inner.seen > 0) {
		if inner.seen > 0 {
			depth++
		}
		err = d.nestPreloadQuery(depth)
	}
	switch {
	case err != nil:
		return nil, err
	case d.target == nil:
		return &preloadFuncValue{Query: q}, nil
	case inner.seen == 0:
		return func(db *gorm.DB) *gorm.DB { return q.applyTo(db) }, nil
	}
	p := &nestedPreload{reg: d.reg, opts: *d.opts, hint: hint, body: d.r.Since(start), syms: d.symbols(nsyms)}
	return p.run, nil
}

// preloadQuery reads [tPreloadTx, statement], valid only in a Preload
// function's statement: the DB GORM passes the function with that
// statement added. At run time it is that DB (a branch of it); otherwise a
// *PreloadQuery, for display or discarded once checked.
func (d *decoder) preloadQuery() (any, error) {
	if !d.preloadFn.active || d.preloadFn.inQuery {
		return nil, d.corrupt("a Preload function's own query outside a Preload function's statement, or inside another")
	}
	if d.preloadFn.seen++; d.preloadFn.seen > maxPreloadQueries {
		return nil, refuse(ErrLimit, "Preload function", "its own query", fmt.Sprintf("more than %d copies of the preload's own query in one function (each binds every parent key again)", maxPreloadQueries))
	}
	d.preloadFn.inQuery = true
	d.hint = d.preloadFn.hint // its model is the relation's
	q, err := d.statement()
	d.preloadFn.inQuery = false
	if err == nil {
		err = d.checkPreloadQuerySelect(q)
	}
	switch {
	case err != nil:
		return nil, err
	case d.preloadFn.tx != nil:
		return q.applyTo(d.preloadFn.tx.Session(&gorm.Session{})), nil
	}
	return &preloadQueryValue{Query: q}, nil
}

// nestPreloadQuery records, in the enclosing Preload function's state, a
// function holding its own query nested depth deep, and refuses nesting
// beyond maxPreloadNesting.
func (d *decoder) nestPreloadQuery(depth int) error {
	if depth > maxPreloadNesting {
		return refuse(ErrLimit, "Preload function", "its own query", fmt.Sprintf("Preload functions holding their own query nested more than %d deep", maxPreloadNesting))
	}
	if d.preloadFn.active && depth > d.preloadFn.nested {
		d.preloadFn.nested = depth
	}
	return nil
}

// checkPreloadQuerySelect applies to the preload's own query what
// checkSubquerySelect applies to any subquery: under the strict policy it
// selects its columns.
func (d *decoder) checkPreloadQuerySelect(q *decodedQuery) error {
	if !d.strict || len(q.Selects) > 0 {
		return nil
	}
	for _, c := range q.Clauses {
		if sel, ok := c.Clause.Expression.(clause.Select); ok && len(sel.Columns) > 0 {
			return nil
		}
	}
	return refuse(ErrNotAllowed, "subquery", "SELECT *", "a subquery must select its columns (Select) under the strict policy")
}

// symbols returns the first n interned identifiers.
func (d *decoder) symbols(n int) []string {
	out := make([]string, n)
	for i := range out {
		if i < len(d.symBuf) {
			out[i] = d.symBuf[i]
		} else {
			out[i] = d.symMore[i-len(d.symBuf)]
		}
	}
	return out
}

// nestedPreload is a restored Preload function that nests the DB GORM
// passes it in a new statement. That DB only exists when GORM runs the
// preload (its IN condition holds the parent rows' keys), so the function
// keeps the statement's bytes, checked when the payload was loaded, and
// decodes them again on each run with that DB in place of tPreloadTx.
type nestedPreload struct {
	reg  *Registry
	opts Options
	hint *schema.Schema
	body []byte   // the statement, as the payload held it
	syms []string // the identifiers interned before it
}

// run is the restored function: the statement restored on a new session
// of tx (GORM starts one the same way: Session(&gorm.Session{NewDB:
// true})), its tPreloadTx values branches of tx with what they add.
func (p *nestedPreload) run(tx *gorm.DB) *gorm.DB {
	d := newDecoder(p.reg, p.opts, tx)
	d.r.Reset(p.body, wire.Limits{MaxCollection: d.limits.MaxCollection, MaxString: d.limits.MaxString})
	d.nsyms = 0
	d.symMore = nil
	for _, s := range p.syms {
		d.addSym(s)
	}
	d.pushHintScope(p.hint).preloadArgs = true
	d.hint = p.hint
	d.preloadFn = preloadState{active: true, hint: p.hint, tx: tx}
	_, out, err := d.restoreStatement()
	d.preloadFn = preloadState{}
	d.popScope()
	if err == nil && d.r.Remaining() != 0 {
		err = d.trailing()
	}
	if err != nil {
		tx.AddError(fmt.Errorf("gormpickle: restore a Preload function's query: %w", d.wrap(err)))
		return tx
	}
	return out
}

func (d *decoder) preloads(q *decodedQuery) error {
	n, ok := d.r.FixArray()
	if !ok {
		var err error
		if n, err = d.r.ReadArrayLen(); err != nil {
			return err
		}
	}
	q.sink.startPreloads(n)
	for range n {
		p, err := d.preload()
		if err != nil {
			return err
		}
		q.sink.addPreload(p.Name, p.Args)
	}
	return nil
}

// preload reads one preload entry.
func (d *decoder) preload() (preloadSpec, error) {
	if d.r.Peek() != wire.Array {
		// A preload without arguments: its name alone.
		name, err := d.preloadName()
		if err == nil {
			name, err = d.renamedPath(name)
		}
		if err == nil {
			_, err = d.preloadPath(name, false)
		}
		return preloadSpec{Name: name}, err
	}
	m, err := d.r.ReadArrayLen()
	if err != nil {
		return preloadSpec{}, err
	}
	if m != 2 {
		return preloadSpec{}, d.corrupt("preload entry of %d elements", m)
	}
	name, err := d.preloadName()
	if err == nil {
		name, err = d.renamedPath(name)
	}
	if err != nil {
		return preloadSpec{}, err
	}
	rel, err := d.preloadPath(name, true)
	if err != nil {
		return preloadSpec{}, err
	}
	// The arguments are the relation's: conditions on its columns, and
	// Preload functions applied to its query.
	d.pushHintScope(rel).preloadArgs = true
	args, err := d.anys()
	d.popScope()
	if err != nil {
		return preloadSpec{}, err
	}
	return preloadSpec{Name: name, Args: args}, d.checkPreloadArgs(name, args)
}

// preloadName reads a preload's name: a plain string (the encoder does not
// intern it, so it must not enter the identifier table) or the
// clause.Associations placeholder.
func (d *decoder) preloadName() (string, error) {
	if s, ok := d.r.FixStr(); ok {
		return s, nil
	}
	if d.r.Peek() == wire.Str {
		return d.str()
	}
	return d.ident()
}
