package tests

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
)

// secFinisher runs a loaded chain one way an application would and returns
// what came back.
type secFinisher struct {
	name string
	run  func(tx *gorm.DB) (any, error)
}

// secFinishers are the ways an application finishes a loaded chain.
var secFinishers = []secFinisher{
	{"Find maps", func(tx *gorm.DB) (any, error) {
		var rows []map[string]any
		err := tx.Find(&rows).Error
		return rows, err
	}},
	secFindModels,
	{"First", func(tx *gorm.DB) (any, error) {
		dest := secDest(tx, false)
		return dest, tx.First(dest).Error
	}},
	{"Count", func(tx *gorm.DB) (any, error) {
		var n int64
		err := tx.Count(&n).Error
		return n, err
	}},
	{"Pluck", func(tx *gorm.DB) (any, error) {
		var ids []string
		err := tx.Pluck("id", &ids).Error
		return ids, err
	}},
	{"Rows", secScanRows},
}

// secFindModels finds into a slice of the chain's model.
var secFindModels = secFinisher{"Find models", func(tx *gorm.DB) (any, error) {
	dest := secDest(tx, true)
	return dest, tx.Find(dest).Error
}}

// secDest is a destination of the chain's model type (a slice of them, or
// one), or a map when the chain has no model.
func secDest(tx *gorm.DB, slice bool) any {
	m := tx.Statement.Model
	if m == nil {
		if slice {
			return &[]map[string]any{}
		}
		return &map[string]any{}
	}
	t := reflect.TypeOf(m)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if slice {
		return reflect.New(reflect.SliceOf(t)).Interface()
	}
	return reflect.New(t).Interface()
}

// secScanRows reads every column of every row as text.
func secScanRows(tx *gorm.DB) (any, error) {
	rows, err := tx.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]sql.NullString
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return out, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// attack loads data under both policies and runs what each accepts with
// every finisher, failing on a leak, a panic or an untyped refusal.
func (e *secEnv) attack(t *testing.T, data []byte) { e.attackWithin(t, data, 0) }

// attackWithin is attack that also fails any finisher taking maxElapsed or
// longer (0: no timing check), for payloads that try to stall the server.
func (e *secEnv) attackWithin(t *testing.T, data []byte, maxElapsed time.Duration) {
	t.Helper()
	secAttack(t, e.policies(), data, maxElapsed)
}

// secAttack is attackWithin over the given policies.
func secAttack(t *testing.T, policies []secPolicy, data []byte, maxElapsed time.Duration) {
	t.Helper()
	for _, p := range policies {
		t.Run(p.name, func(t *testing.T) {
			q, err := secLoads(t, data, p.db)
			switch {
			case err != nil:
				p.checkRefusal(t, err)
			case q != nil:
				p.finish(t, q, maxElapsed)
			}
		})
	}
}

// secLoads is Loads with a panic turned into a test failure (nil, nil).
func secLoads(t *testing.T, data []byte, db *gorm.DB) (q *gorm.DB, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("Loads panicked: %v", r)
			q, err = nil, nil
		}
	}()
	return gormpickle.Loads(data, db)
}

// finish runs q with every finisher and fails t on any forbidden canary in
// what comes back (rows, scanned values, errors), any panic, and, with
// maxElapsed, any finisher as slow as an injected sleep.
func (p secPolicy) finish(t *testing.T, q *gorm.DB, maxElapsed time.Duration) {
	t.Helper()
	timeout := 20 * time.Second
	if maxElapsed > 0 {
		timeout = maxElapsed + time.Second
	}
	for _, f := range secFinishers {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		start := time.Now()
		got, panicked, err := secRun(f, q.WithContext(ctx))
		elapsed := time.Since(start)
		cancel()
		switch {
		case panicked != nil:
			t.Errorf("%s panicked on an accepted payload: %v", f.name, panicked)
		case err != nil && p.leaked(err.Error()) != "":
			t.Errorf("%s: the error leaks canary %s: %v", f.name, p.leaked(err.Error()), err)
		default:
			for _, c := range p.forbidden {
				if secContains(reflect.ValueOf(got), c, 0) {
					t.Errorf("%s: rows read outside the policy came back (canary %s): %.300s", f.name, c, fmt.Sprintf("%+v", got))
				}
			}
		}
		if maxElapsed > 0 && elapsed >= maxElapsed {
			t.Errorf("%s took %v: the injected delay ran (error: %v)", f.name, elapsed, err)
			return
		}
	}
}

// secRun runs one finisher, recovering a panic.
func secRun(f secFinisher, tx *gorm.DB) (got, panicked any, err error) {
	defer func() {
		if r := recover(); r != nil {
			panicked = r
		}
	}()
	got, err = f.run(tx)
	return got, nil, err
}

// secContains reports whether any string or byte slice reachable from v
// contains needle.
func secContains(v reflect.Value, needle string, depth int) bool {
	if !v.IsValid() || depth > 32 {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		return strings.Contains(v.String(), needle)
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && secContains(v.Elem(), needle, depth+1)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Kind() == reflect.Slice {
				return strings.Contains(string(v.Bytes()), needle)
			}
			return false
		}
		for i := 0; i < v.Len(); i++ {
			if secContains(v.Index(i), needle, depth+1) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if secContains(it.Key(), needle, depth+1) || secContains(it.Value(), needle, depth+1) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if secContains(v.Field(i), needle, depth+1) {
				return true
			}
		}
	}
	return false
}
