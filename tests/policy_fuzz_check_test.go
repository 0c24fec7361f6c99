package tests

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// fzRun collects what one payload's statements did; FuzzPolicy fails on
// any problem it holds.
type fzRun struct {
	bound      int // the largest SQL an accepted payload may render
	mu         sync.Mutex
	statements int
	problems   []string
}

// fzMaxStatements bounds the statements one finisher may run: the
// statement and one per preload segment (at most 32 per payload).
const fzMaxStatements = 1 + 32

// fzCurrent is the run the callbacks report to, nil between runs and
// while Describe renders (no policy applies there).
var fzCurrent atomic.Pointer[fzRun]

func (r *fzRun) addf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.problems) < 8 {
		r.problems = append(r.problems, fmt.Sprintf(format, args...))
	}
}

// fzMeasure installs a callback after GORM builds (and runs) each query or
// row statement, which checks its SQL: its size against the stated bound,
// and what it reads against the policy.
func fzMeasure(db *gorm.DB) error {
	observe := func(tx *gorm.DB) {
		run := fzCurrent.Load()
		if run == nil {
			return
		}
		sql := tx.Statement.SQL.String()
		run.mu.Lock()
		run.statements++
		run.mu.Unlock()
		if len(sql) > run.bound {
			run.addf("SQL of %d bytes exceeds the bound of %d: %.200q", len(sql), run.bound, sql)
		}
		if p := fzSQLProblem(sql); p != "" {
			run.addf("%s: %.300q", p, sql)
		}
	}
	if err := db.Callback().Query().After("gorm:query").Register("fzpolicy:observe", observe); err != nil {
		return err
	}
	return db.Callback().Row().After("gorm:row").Register("fzpolicy:observe", observe)
}

// checkErr reports a canary in an error.
func (r *fzRun) checkErr(what string, err error) {
	if err != nil && (strings.Contains(err.Error(), fzTableCanary) || strings.Contains(err.Error(), fzFieldCanary)) {
		r.addf("canary in the error of %s: %v", what, err)
	}
}

// checkCell reports a canary in a result cell: the table canary anywhere,
// the password canary anywhere but under its own column (GORM's own
// projection of the account model: password, or Alias__password for a
// joined relation).
func (r *fzRun) checkCell(what, column string, v any) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return
	}
	if strings.Contains(s, fzTableCanary) {
		r.addf("table canary in %s, column %q", what, column)
	}
	own := strings.EqualFold(column, "password") || strings.HasSuffix(strings.ToLower(column), "__password")
	if strings.Contains(s, fzFieldCanary) && !own {
		r.addf("password canary in %s, column %q", what, column)
	}
}

// checkModels walks a finisher's destination (models and their preloaded
// relations) for canaries; the password canary may be in
// fzAccount.Password only.
func (r *fzRun) checkModels(what string, v reflect.Value, field string, depth int) {
	if depth > 16 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			r.checkModels(what, v.Elem(), field, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			r.checkCell(what, field, v.Bytes())
			return
		}
		for i := range v.Len() {
			r.checkModels(what, v.Index(i), field, depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				r.checkModels(what, v.Field(i), v.Type().Field(i).Name, depth+1)
			}
		}
	case reflect.String:
		r.checkCell(what, field, v.String())
	}
}
