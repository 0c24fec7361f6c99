package pickletype

import (
	"reflect"
	"sync/atomic"

	"gorm.io/gorm"
)

var comparator atomic.Pointer[func(a, b any) bool]

func init() {
	eq := reflect.DeepEqual
	comparator.Store(&eq)
}

// SetComparator replaces the equality used by Equal and Changed
// (reflect.DeepEqual by default), e.g. with a codec-level comparison.
func SetComparator(eq func(a, b any) bool) {
	if eq == nil {
		eq = reflect.DeepEqual
	}
	comparator.Store(&eq)
}

// Equal reports whether two values are equal under the comparator.
func Equal(a, b any) bool { return (*comparator.Load())(a, b) }

// Equal reports whether t and other hold equal data under the comparator.
func (t Type[T]) Equal(other Type[T]) bool { return Equal(t.Data, other.Data) }

// Changed reports, inside GORM update hooks (BeforeUpdate, BeforeSave), whether
// an update changes the named field: the value being written (Updates with
// a struct or a map) differs from the model's current value under the
// comparator. Fields the update does not write are unchanged. In-place
// mutation of a loaded value is not seen: compare against a copy taken
// when the value was loaded.
func Changed(tx *gorm.DB, field string) bool {
	stmt := tx.Statement
	if stmt.Schema == nil {
		return false
	}
	f := stmt.Schema.LookUpField(field)
	if f == nil {
		return false
	}
	model := stmt.ReflectValue
	if model.Kind() == reflect.Slice || model.Kind() == reflect.Array {
		model = model.Index(stmt.CurDestIndex)
	}
	if !model.IsValid() {
		return false
	}
	old := f.ReflectValueOf(stmt.Context, model).Interface()
	switch dest := stmt.Dest.(type) {
	case map[string]any:
		if v, ok := dest[f.Name]; ok {
			return !Equal(old, v)
		}
		if v, ok := dest[f.DBName]; ok {
			return !Equal(old, v)
		}
		return false
	}
	dv := reflect.Indirect(reflect.ValueOf(stmt.Dest))
	if !dv.IsValid() || dv.Type() != model.Type() || dv == model {
		return false
	}
	return !Equal(old, f.ReflectValueOf(stmt.Context, dv).Interface())
}
