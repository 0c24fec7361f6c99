package tests

import (
	"errors"
	"reflect"
	"testing"

	"gorm.io/gorm"
)

// finisher runs a chain into a destination.
type finisher func(tx *gorm.DB, dest any) *gorm.DB

func findInto(tx *gorm.DB, dest any) *gorm.DB { return tx.Find(dest) }

// sameRun checks that want (the original chain) and got (the chain Loads
// restored) render the same SQL and vars for finish, then that running
// them gives the same rows and the same error. Both run on branches, so
// neither chain changes.
func sameRun(t *testing.T, want, got *gorm.DB, newDest func() any, finish finisher) {
	t.Helper()
	dry := func(tx *gorm.DB) rendered {
		t.Helper()
		r := finish(tx.Session(&gorm.Session{DryRun: true}), newDest())
		if r.Error != nil && !errors.Is(r.Error, gorm.ErrRecordNotFound) {
			t.Fatalf("DryRun render: %v", r.Error)
		}
		return rendered{SQL: r.Statement.SQL.String(), Vars: normalizeVars(r.Statement.Vars)}
	}
	w, g := dry(want), dry(got)
	if w.SQL != g.SQL {
		t.Fatalf("SQL differs\noriginal: %s\nloaded:   %s", w.SQL, g.SQL)
	}
	if !reflect.DeepEqual(w.Vars, g.Vars) {
		t.Fatalf("vars differ\noriginal: %#v\nloaded:   %#v", w.Vars, g.Vars)
	}
	wantRows, gotRows := newDest(), newDest()
	wantErr := finish(want.Session(&gorm.Session{}), wantRows).Error
	gotErr := finish(got.Session(&gorm.Session{}), gotRows).Error
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("errors differ\noriginal: %v\nloaded:   %v", wantErr, gotErr)
	}
	if !reflect.DeepEqual(wantRows, gotRows) {
		t.Fatalf("rows differ\noriginal: %+v\nloaded:   %+v", reflect.ValueOf(wantRows).Elem(), reflect.ValueOf(gotRows).Elem())
	}
}
