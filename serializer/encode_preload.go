package serializer

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// A Preload function is captured the way GORM's preload callback runs it:
// on a session of the relation's model whose WHERE starts with the
// relation's key condition, clause.IN over the foreign keys (after the
// polymorphic type conditions). The keys are only known when the parent
// rows are, so the capture puts a private sentinel in their place. What
// the function returns then tells its shape:
//
//   - it adds nothing (GORM generics wraps every Preload in a function):
//     it is left out, and the preload written as a plain one (preloadArgs);
//   - it extends the DB it was given (the sentinel condition still opens
//     its WHERE): that context is stripped and the rest written as before
//     ([tPreloadFunc, statement]), applied onto GORM's DB on load;
//   - it nests that DB inside a new statement (GORM generics'
//     LimitPerRecord: Table("(?) t", tx)): the new statement is written,
//     and the DB it nests as [tPreloadTx, what was added to it], rebuilt on
//     load around the DB GORM passes at run time;
//   - anything else, or the sentinel standing where neither can rebuild
//     it, is refused: restored, it would be a different query.

// preloadKeys is the sentinel standing for the parent rows' keys. Its
// type is private, so only the DB given to the function can hold it.
type preloadKeys struct{ _ byte }

// preloadFuncType names a Preload function in errors.
const preloadFuncType = "func(*gorm.DB) *gorm.DB"

// preloadCapture is the DB a Preload function was captured against.
type preloadCapture struct {
	model any                 // the relation's model, as GORM sets it
	conds []clause.Expression // the WHERE GORM starts the DB with
	keys  *preloadKeys
	where string
	// nested is set while writing a function's statement that nests the
	// DB (see preloadQuery); inQuery while writing that DB's own part.
	nested, inQuery, used bool
}

// preloads writes Statement.Preloads: each name, with its arguments.
func (e *encoder) preloads(stmt *gorm.Statement) error {
	names := sortedKeys(stmt.Preloads)
	e.w.ArrayLen(len(names))
	for _, name := range names {
		args := e.preloadArgs(stmt, name, stmt.Preloads[name])
		if len(args) > 0 {
			e.w.ArrayLen(2)
		}
		if name == clause.Associations {
			e.w.Int(refAssociations)
		} else {
			e.w.String(name)
		}
		if len(args) == 0 {
			continue
		}
		e.w.ArrayLen(len(args))
		for _, a := range args {
			where := "Preload(" + name + ")"
			if fn, ok := a.(func(*gorm.DB) *gorm.DB); ok {
				if err := e.preloadFunc(stmt, name, fn, where); err != nil {
					return err
				}
				continue
			}
			if err := e.value(a, where); err != nil {
				return err
			}
		}
	}
	return nil
}

// preloadFunc captures a Preload function against the relation it
// preloads and writes it (see the top of this file).
func (e *encoder) preloadFunc(stmt *gorm.Statement, name string, fn func(*gorm.DB) *gorm.DB, where string) error {
	rels := preloadRelations(stmt.Schema, name)
	if len(rels) == 0 {
		// Not resolved now (a chain whose model the finisher's destination
		// sets): its keys are still the sentinel's, on no model.
		rels = []*schema.Relationship{nil}
	}
	var first *gorm.DB
	var pc *preloadCapture
	// clause.Associations runs the function for every relation: each must
	// extend its DB, and the first is written.
	for i := len(rels) - 1; i >= 0; i-- {
		c := newPreloadCapture(rels[i], where)
		out, err := callPreload(fn, c.session(stmt), where)
		if err != nil {
			return err
		}
		if len(rels) > 1 && !c.extends(out) {
			return c.refuse("with clause.Associations it must add to the DB it is given, for every relation")
		}
		first, pc = out, c
	}
	saved := e.preload
	e.preload = pc
	err := e.preloadStatement(first, pc)
	e.preload = saved
	return pc.explain(err)
}

// preloadStatement writes the function's result out, captured against pc.
func (e *encoder) preloadStatement(out *gorm.DB, pc *preloadCapture) error {
	e.w.ArrayLen(2)
	e.w.Int(tPreloadFunc)
	if pc.extends(out) {
		return e.subquery(pc.strip(out), pc.where)
	}
	pc.nested = true
	if err := e.subquery(out, pc.where); err != nil {
		return err
	}
	if !pc.used {
		return pc.refuse("it returns a query that does not use the DB it is given; restored, it would not read the preloaded rows' relations")
	}
	return nil
}

// callPreload runs a Preload function on tx, a nil result or a panic
// being an error.
func callPreload(fn func(*gorm.DB) *gorm.DB, tx *gorm.DB, where string) (out *gorm.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &UnsupportedTypeError{Type: preloadFuncType, Where: where, Reason: fmt.Sprintf("the function panicked while being captured: %v", r)}
		}
	}()
	out = fn(tx)
	if out == nil {
		return nil, &UnsupportedTypeError{Type: preloadFuncType, Where: where, Reason: "the function returned nil"}
	}
	return out, nil
}

// preloadQuery writes a *gorm.DB met inside a Preload function's
// statement that was derived from the DB the function was given, as
// [tPreloadTx, what the function added to it]. It reports false for any
// other DB.
func (e *encoder) preloadQuery(db *gorm.DB, where string) (bool, error) {
	pc := e.preload
	if !pc.derived(db) {
		return false, nil
	}
	if !pc.nested || pc.inQuery {
		return true, pc.refuse("it uses the DB it is given inside the query it builds on that same DB")
	}
	e.useVersion3()
	pc.used, pc.inQuery = true, true
	e.w.ArrayLen(2)
	e.w.Int(tPreloadTx)
	err := e.subquery(pc.strip(db), where)
	pc.inQuery = false
	return true, err
}

// newPreloadCapture builds the WHERE GORM's preload callback starts the
// relation's query with (callbacks/preload.go, preload), the keys
// replaced by the sentinel. A nil rel (not resolved) gets the sentinel
// condition alone, on no model.
func newPreloadCapture(rel *schema.Relationship, where string) *preloadCapture {
	pc := &preloadCapture{keys: &preloadKeys{}, where: where}
	if rel == nil {
		pc.conds = []clause.Expression{clause.IN{Column: clause.PrimaryColumn, Values: []any{pc.keys}}}
		return pc
	}
	var keys []string
	for _, ref := range rel.References {
		switch {
		case rel.JoinTable != nil && ref.OwnPrimaryKey:
			// Read from the join table, before the relation's query.
		case ref.PrimaryValue != "":
			pc.conds = append(pc.conds, clause.Eq{Column: ref.ForeignKey.DBName, Value: ref.PrimaryValue})
		case ref.OwnPrimaryKey:
			keys = append(keys, ref.ForeignKey.DBName)
		default:
			keys = append(keys, ref.PrimaryKey.DBName)
		}
	}
	column, _ := schema.ToQueryValues(clause.CurrentTable, keys, nil)
	pc.conds = append(pc.conds, clause.IN{Column: column, Values: []any{pc.keys}})
	pc.model = rel.FieldSchema.MakeSlice().Interface()
	return pc
}

// session returns the DB the function is captured against: a new session
// on the statement's DB and context, with the relation's model and WHERE.
func (pc *preloadCapture) session(stmt *gorm.Statement) *gorm.DB {
	tx := stmt.DB.Session(&gorm.Session{NewDB: true, Context: stmt.Context})
	for _, c := range pc.conds[:len(pc.conds)-1] {
		tx = tx.Where(c)
	}
	if pc.model != nil {
		tx = tx.Model(pc.model)
	}
	return tx.Where(pc.conds[len(pc.conds)-1])
}

// extends reports whether out adds to the DB the function was given.
func (pc *preloadCapture) extends(out *gorm.DB) bool { return pc.derived(out) }

// derived reports whether db's WHERE still opens with the conditions the
// DB given to the function started with: it is that DB, with more added.
func (pc *preloadCapture) derived(db *gorm.DB) bool {
	if db == nil || db.Statement == nil {
		return false
	}
	w, ok := db.Statement.Clauses["WHERE"].Expression.(clause.Where)
	if !ok || len(w.Exprs) < len(pc.conds) {
		return false
	}
	last := len(pc.conds) - 1
	in, ok := w.Exprs[last].(clause.IN)
	if !ok || len(in.Values) != 1 || in.Values[0] != any(pc.keys) {
		return false
	}
	return reflect.DeepEqual(w.Exprs[:last], pc.conds[:last])
}

// strip returns a copy of db, derived from the DB given to the function,
// without what that DB started with: the model (when still the one GORM
// sets) and the opening WHERE conditions.
func (pc *preloadCapture) strip(db *gorm.DB) *gorm.DB {
	c := db.Session(&gorm.Session{}).Clauses() // a copy of the statement
	st := c.Statement
	if pc.model != nil && st.Model == pc.model {
		st.Model = nil
	}
	cl := st.Clauses["WHERE"]
	w := cl.Expression.(clause.Where)
	if rest := w.Exprs[len(pc.conds):]; len(rest) > 0 {
		cl.Expression = clause.Where{Exprs: append([]clause.Expression(nil), rest...)}
		st.Clauses["WHERE"] = cl
	} else {
		delete(st.Clauses, "WHERE")
	}
	return c
}

// refuse is the error for a function whose query cannot be restored.
func (pc *preloadCapture) refuse(why string) error {
	return &UnsupportedTypeError{Type: preloadFuncType, Where: pc.where, Reason: why}
}

// explain turns the encoder's refusal of the sentinel itself (met where
// neither form can rebuild it) into an error that says what happened.
func (pc *preloadCapture) explain(err error) error {
	var ute *UnsupportedTypeError
	if !errors.As(err, &ute) || !strings.Contains(ute.Type, "preloadKeys") {
		return err
	}
	return pc.refuse("it moves the preload's key condition (the parent rows' keys, known only when GORM runs it) where it cannot be rebuilt; keep the DB it is given whole, adding to it or nesting it as a subquery")
}

// preloadRelations resolves a Preload name on the statement's model to
// the relations GORM runs its functions against: one, or every relation
// of the model for clause.Associations. nil when it is no relation path.
func preloadRelations(sch *schema.Schema, name string) []*schema.Relationship {
	if sch == nil {
		return nil
	}
	return walkRelations(&sch.Relationships, strings.Split(name, "."))
}

func walkRelations(rels *schema.Relationships, segs []string) []*schema.Relationship {
	seg, rest := segs[0], segs[1:]
	var out []*schema.Relationship
	follow := func(rel *schema.Relationship) bool {
		if len(rest) == 0 {
			out = append(out, rel)
			return true
		}
		more := walkRelations(&rel.FieldSchema.Relationships, rest)
		out = append(out, more...)
		return more != nil
	}
	if seg == clause.Associations {
		names := make([]string, 0, len(rels.Relations))
		for n := range rels.Relations {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if !follow(rels.Relations[n]) {
				return nil
			}
		}
		return out
	}
	if emb := rels.EmbeddedRelations[seg]; emb != nil && len(rest) > 0 {
		return walkRelations(emb, rest)
	}
	if rel := rels.Relations[seg]; rel != nil && follow(rel) {
		return out
	}
	return nil
}

// preloadArgs returns a preload's arguments without the functions that add
// nothing to the DB they are given: GORM's generics Preload wraps every
// preload in a function, builder or not, and GORM's preload callback does
// nothing with such a function, so the preload is written (and restored,
// at a plain preload's cost) as if it had none.
func (e *encoder) preloadArgs(stmt *gorm.Statement, name string, args []any) []any {
	kept, dropped := args[:0:0], false
	for _, a := range args {
		if fn, ok := a.(func(*gorm.DB) *gorm.DB); ok && e.preloadNoop(stmt, name, fn) {
			dropped = true
			continue
		}
		kept = append(kept, a)
	}
	if !dropped {
		return args
	}
	return kept
}

// preloadNoop reports whether fn, captured as preloadFunc captures it
// (for every relation clause.Associations names), returns the DB it was
// given with nothing added: what is left of it once that DB's own context
// is stripped writes the same bytes as what is left of the DB itself.
// A function that cannot be captured or written is not a no-op:
// preloadFunc then says why.
func (e *encoder) preloadNoop(stmt *gorm.Statement, name string, fn func(*gorm.DB) *gorm.DB) bool {
	where := "Preload(" + name + ")"
	rels := preloadRelations(stmt.Schema, name)
	if len(rels) == 0 {
		rels = []*schema.Relationship{nil}
	}
	for _, rel := range rels {
		pc := newPreloadCapture(rel, where)
		given := pc.session(stmt)
		out, err := callPreload(fn, pc.session(stmt), where)
		if err != nil || !pc.extends(out) || addsClauses(given, out) {
			return false
		}
		givenBytes, err := e.strippedBytes(pc, given)
		if err != nil {
			return false
		}
		returned, err := e.strippedBytes(pc, out)
		if err != nil || string(givenBytes) != string(returned) {
			return false
		}
	}
	return true
}

// addsClauses reports whether out has clauses, or WHERE conditions, that
// given lacks: the common case of a function that adds something, told
// without writing either (see preloadNoop).
func addsClauses(given, out *gorm.DB) bool {
	g, o := given.Statement.Clauses, out.Statement.Clauses
	if len(o) != len(g) {
		return true
	}
	gw, _ := g["WHERE"].Expression.(clause.Where)
	ow, _ := o["WHERE"].Expression.(clause.Where)
	return len(ow.Exprs) != len(gw.Exprs)
}

// strippedBytes writes what db adds to the DB a Preload function was
// given (see preloadCapture.strip), with an encoder of its own.
func (e *encoder) strippedBytes(pc *preloadCapture, db *gorm.DB) ([]byte, error) {
	sub := newEncoder(e.reg)
	sub.preload = pc
	err := sub.subquery(pc.strip(db), pc.where)
	return sub.w.Buf, err
}
