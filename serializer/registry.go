package serializer

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/typeid"
)

// Registry maps stable string IDs to Go types: models (which queries and
// model payloads reference) and value types (which may appear as query
// arguments). The zero value is not usable; create one with [NewRegistry].
// Registration is safe for concurrent use with lookups; lookups take no lock.
//
// Registering the same ID for two different types, or one type under two
// IDs, is an error: a registry is a bijection, as encoding/gob's is.
type Registry struct {
	mu   sync.Mutex // serializes writers
	snap atomic.Pointer[registrySnapshot]
}

// registrySnapshot is an immutable view; writers copy and swap it.
type registrySnapshot struct {
	modelByID map[string]reflect.Type
	// models lists modelByID's entries while there are few: a payload's
	// model is found by comparing bytes, faster than hashing them.
	models   []modelEntry
	modelID  map[reflect.Type]string
	typeByID map[string]reflect.Type
	typeID   map[reflect.Type]string
	// legacy maps the IDs that earlier releases gave by default (package
	// path and name) to their types, models and value types alike, so
	// payloads written with them still load.
	legacy   map[string]reflect.Type
	refs     map[string]Referencer
	refNames []string // sorted, so the first matching referencer is stable
}

// modelEntry is a registered model and its ID.
type modelEntry struct {
	id string
	t  reflect.Type
}

// maxModelList is the most models listed in registrySnapshot.models.
const maxModelList = 16

// Referencer lets chosen values travel as references, as pickle's
// persistent_id/persistent_load do: Dumps replaces a value by an ID string
// and Loads asks the target side to resolve the ID back into a value. Use it
// for values that only make sense in their process (a tenant, a request's
// user) or that are too large to copy.
type Referencer interface {
	// Reference returns v's ID, and false when v is not handled here.
	Reference(v any) (id string, ok bool)
	// Resolve returns the value that id stands for.
	Resolve(id string) (any, error)
}

// namedModel carries an explicit model ID; see [NamedModel].
type namedModel struct {
	id    string
	model any
}

// NamedModel pairs a model with an explicit, stable ID for
// [Registry.RegisterModel].
func NamedModel(id string, model any) any { return namedModel{id: id, model: model} }

// builtinTypes are value types every registry knows. GORM's clause
// values are written with their own tags; they are registered so that a
// typed collection of them (the []clause.Column of a multi-column IN, which
// GORM builds for composite keys) has an element type to name. Nothing
// decodes a clause type field by field (see refuseClauseType).
var builtinTypes = []any{
	sql.NullString{}, sql.NullInt64{}, sql.NullInt32{}, sql.NullInt16{}, sql.NullByte{},
	sql.NullFloat64{}, sql.NullBool{}, sql.NullTime{}, gorm.DeletedAt{}, gorm.Model{}, json.RawMessage{},
	clause.Column{}, clause.Table{}, clause.OrderByColumn{}, clause.Assignment{}, clause.Join{},
	clause.Eq{}, clause.Neq{}, clause.Gt{}, clause.Gte{}, clause.Lt{}, clause.Lte{}, clause.Like{},
	clause.IN{}, clause.Expr{}, clause.NamedExpr{}, clause.Where{}, clause.AndConditions{},
	clause.OrConditions{}, clause.NotConditions{}, clause.CommaExpression{},
}

// NewRegistry returns a registry that knows the database/sql Null types,
// gorm.DeletedAt, gorm.Model, json.RawMessage and GORM's clause values,
// and no model.
func NewRegistry() *Registry {
	r := &Registry{}
	s := &registrySnapshot{
		modelByID: map[string]reflect.Type{},
		modelID:   map[reflect.Type]string{},
		typeByID:  map[string]reflect.Type{},
		typeID:    map[reflect.Type]string{},
		legacy:    map[string]reflect.Type{},
		refs:      map[string]Referencer{},
	}
	for _, v := range builtinTypes {
		s.addValueType(reflect.TypeOf(v), "")
	}
	r.snap.Store(s)
	return r
}

// DefaultTypeID is the ID a type gets when none is given: its package name
// and type name as Go prints them, "models.User", the name encoding/gob
// registers types under. It survives moving the package to another module
// path; two registered types whose packages have the same name need an
// explicit ID ([NamedModel], [Registry.RegisterTypeName]). Unnamed types
// have none.
func DefaultTypeID(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" {
		return ""
	}
	return t.String()
}

// legacyTypeID is the default ID of releases before format version 2: the
// full package path and type name.
func legacyTypeID(t reflect.Type) string { return typeid.Legacy(t) }

// structType returns the struct type behind v (a struct, a pointer to one,
// or a slice of either).
func structType(v any) (reflect.Type, error) {
	t := reflect.TypeOf(v)
	if t == nil {
		return nil, fmt.Errorf("gormpickle: register model: nil model")
	}
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.Name() == "" {
		return nil, fmt.Errorf("gormpickle: register model: %T is not a named struct type", v)
	}
	return t, nil
}

// RegisterModel registers a model (a struct value or pointer, or the result
// of [NamedModel]) under its ID. Registering the same pair twice is a no-op.
func (r *Registry) RegisterModel(model any) error {
	id := ""
	if nm, ok := model.(namedModel); ok {
		id, model = nm.id, nm.model
	}
	t, err := structType(model)
	if err != nil {
		return err
	}
	byDefault := id == ""
	if byDefault {
		id = DefaultTypeID(t)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.snap.Load()
	if prev, ok := old.modelByID[id]; ok {
		if prev == t {
			return nil
		}
		if byDefault {
			return fmt.Errorf("gormpickle: register model: %s and %s both get the default ID %q (their packages have the same name); register one with NamedModel", prev, t, id)
		}
		return fmt.Errorf("gormpickle: register model: ID %q is already %s, cannot also be %s", id, prev, t)
	}
	if prev, ok := old.modelID[t]; ok {
		return fmt.Errorf("gormpickle: register model: %s is already registered as %q, cannot also be %q", t, prev, id)
	}
	s := old.clone()
	s.modelByID[id] = t
	s.modelID[t] = id
	if len(s.modelByID) <= maxModelList {
		s.models = append(s.models, modelEntry{id: id, t: t})
	} else {
		s.models = nil
	}
	// Whatever its ID now, earlier releases may have written the model
	// under its default ID of then (its full path, unique to the type).
	s.legacy[legacyTypeID(t)] = t
	// A model is also a value type (named arguments, Attrs), under the same
	// ID, and so are the named types of its fields (gorm.Model, embedded
	// bases, enums), so a model value can travel whole.
	s.addValueType(t, id)
	s.addFieldTypes(t, map[reflect.Type]bool{})
	r.snap.Store(s)
	return nil
}

// addValueType registers t under id, or under its default ID when id is
// "", unless either is taken.
func (s *registrySnapshot) addValueType(t reflect.Type, id string) {
	if _, ok := s.typeID[t]; ok {
		return
	}
	s.legacy[legacyTypeID(t)] = t
	if id == "" {
		id = DefaultTypeID(t)
		if _, taken := s.typeByID[id]; taken {
			// Another package of the same name got there first: this
			// type keeps its full path as its ID.
			id = legacyTypeID(t)
		}
	}
	if _, taken := s.typeByID[id]; taken {
		return
	}
	s.typeByID[id] = t
	s.typeID[t] = id
}

// addFieldTypes registers, under their default IDs, the named types that
// struct t's fields are made of.
func (s *registrySnapshot) addFieldTypes(t reflect.Type, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		ft := s.fieldElemType(f.Type)
		if ft.Name() == "" || ft.PkgPath() == "" || ft == reflect.TypeOf(time.Time{}) {
			continue
		}
		switch ft.Kind() {
		case reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Interface:
			continue
		}
		s.addValueType(ft, "")
		if ft.Kind() == reflect.Struct {
			s.addFieldTypes(ft, seen)
		}
	}
}

// fieldElemType returns the type a field's values are made of, through
// pointers, slices and arrays. It registers on the way the named slices
// and arrays that are gorm.Valuers (datatypes.JSON, JSONSlice): their
// GormValue renders SQL on the target, so they travel as their type.
// Other named slices and arrays are not registered: their values travel
// as their elements, or as their driver value, as they always have.
func (s *registrySnapshot) fieldElemType(ft reflect.Type) reflect.Type {
	for {
		switch ft.Kind() {
		case reflect.Slice, reflect.Array:
			if ft.Name() != "" && ft.PkgPath() != "" && isGormValuer(ft) {
				s.addValueType(ft, "")
			}
		case reflect.Pointer:
		default:
			return ft
		}
		ft = ft.Elem()
	}
}

// isGormValuer reports whether t's values or pointers are gorm.Valuers.
func isGormValuer(t reflect.Type) bool {
	return t.Implements(gormValuerType) || reflect.PointerTo(t).Implements(gormValuerType)
}

// MustRegisterModel is like [Registry.RegisterModel] but panics on error. It
// suits program initialization, as gob.Register does.
func (r *Registry) MustRegisterModel(model any) {
	if err := r.RegisterModel(model); err != nil {
		panic(err)
	}
}

// RegisterType registers the named Go type of sample as a value type, under
// its default ID ([DefaultTypeID]).
func (r *Registry) RegisterType(sample any) error {
	t := reflect.TypeOf(sample)
	if t == nil {
		return fmt.Errorf("gormpickle: register type: nil sample")
	}
	return r.RegisterTypeName(DefaultTypeID(t), sample)
}

// RegisterTypeName registers the Go type of sample as a value type under an
// explicit ID.
func (r *Registry) RegisterTypeName(id string, sample any) error {
	t := reflect.TypeOf(sample)
	if t == nil {
		return fmt.Errorf("gormpickle: register type: nil sample")
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if id == "" || t.Name() == "" {
		return fmt.Errorf("gormpickle: register type: %s is not a named type", t)
	}
	switch t.Kind() {
	case reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Interface:
		return fmt.Errorf("gormpickle: register type: %s of kind %s cannot be serialized", t, t.Kind())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.snap.Load()
	if prev, ok := old.typeByID[id]; ok {
		if prev == t {
			return nil
		}
		return fmt.Errorf("gormpickle: register type: ID %q is already %s, cannot also be %s", id, prev, t)
	}
	if prev, ok := old.typeID[t]; ok {
		return fmt.Errorf("gormpickle: register type: %s is already registered as %q, cannot also be %q", t, prev, id)
	}
	s := old.clone()
	s.typeByID[id] = t
	s.typeID[t] = id
	s.legacy[legacyTypeID(t)] = t
	r.snap.Store(s)
	return nil
}

// MustRegisterType is like [Registry.RegisterType] but panics on error.
func (r *Registry) MustRegisterType(sample any) {
	if err := r.RegisterType(sample); err != nil {
		panic(err)
	}
}

// RegisterReferencer installs r under name. Values r claims are written as
// references and resolved by the referencer registered under the same name
// on the loading side. Names must be unique.
func (r *Registry) RegisterReferencer(name string, ref Referencer) error {
	if name == "" || ref == nil {
		return fmt.Errorf("gormpickle: register referencer: empty name or nil referencer")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.snap.Load()
	if _, ok := old.refs[name]; ok {
		return fmt.Errorf("gormpickle: register referencer: %q is already registered", name)
	}
	s := old.clone()
	s.refs[name] = ref
	s.refNames = append(s.refNames, name)
	sort.Strings(s.refNames)
	r.snap.Store(s)
	return nil
}

// reference asks the referencers, in name order, for v's ID.
func (r *Registry) reference(v any) (name, id string, ok bool) {
	s := r.snap.Load()
	for _, name := range s.refNames {
		if id, ok := s.refs[name].Reference(v); ok {
			return name, id, true
		}
	}
	return "", "", false
}

// referencer returns the referencer registered under name.
func (r *Registry) referencer(name string) (Referencer, bool) {
	ref, ok := r.snap.Load().refs[name]
	return ref, ok
}

// ModelID returns the ID of a registered model type (pointer types are
// dereferenced).
func (r *Registry) ModelID(t reflect.Type) (string, bool) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	id, ok := r.snap.Load().modelID[t]
	return id, ok
}

// modelByName looks a model ID up by its bytes, without copying them. For
// an ID an earlier release gave the model, current is the ID it has now;
// it is "" for a current ID (the bytes are that ID).
func (r *Registry) modelByName(b []byte) (t reflect.Type, current string, ok bool) {
	s := r.snap.Load()
	if s.models != nil {
		for i := range s.models {
			if e := &s.models[i]; e.id == string(b) {
				return e.t, "", true
			}
		}
	} else if t, ok = s.modelByID[string(b)]; ok {
		return t, "", true
	}
	if t, ok = s.legacy[string(b)]; !ok {
		return nil, "", false
	}
	current, ok = s.modelID[t]
	return t, current, ok
}

// ModelType returns the model type registered under id, or under the ID an
// earlier release gave it by default.
func (r *Registry) ModelType(id string) (reflect.Type, bool) {
	s := r.snap.Load()
	return s.resolve(s.modelByID, s.modelID, id)
}

// resolve looks id up in byID, then among the legacy IDs of the types in
// ids (models or value types).
func (s *registrySnapshot) resolve(byID map[string]reflect.Type, ids map[reflect.Type]string, id string) (reflect.Type, bool) {
	if t, ok := byID[id]; ok {
		return t, true
	}
	t, ok := s.legacy[id]
	if ok {
		_, ok = ids[t]
	}
	return t, ok
}

// TypeID returns the ID of a registered value type.
func (r *Registry) TypeID(t reflect.Type) (string, bool) {
	id, ok := r.snap.Load().typeID[t]
	return id, ok
}

// TypeByID returns the value type registered under id, or under the ID an
// earlier release gave it by default.
func (r *Registry) TypeByID(id string) (reflect.Type, bool) {
	s := r.snap.Load()
	return s.resolve(s.typeByID, s.typeID, id)
}

// Models returns the IDs of all registered models.
func (r *Registry) Models() []string {
	s := r.snap.Load()
	ids := make([]string, 0, len(s.modelByID))
	for id := range s.modelByID {
		ids = append(ids, id)
	}
	return ids
}

func (s *registrySnapshot) clone() *registrySnapshot {
	c := &registrySnapshot{
		modelByID: make(map[string]reflect.Type, len(s.modelByID)+1),
		modelID:   make(map[reflect.Type]string, len(s.modelID)+1),
		typeByID:  make(map[string]reflect.Type, len(s.typeByID)+1),
		typeID:    make(map[reflect.Type]string, len(s.typeID)+1),
		legacy:    make(map[string]reflect.Type, len(s.legacy)+1),
		refs:      make(map[string]Referencer, len(s.refs)+1),
		refNames:  append([]string(nil), s.refNames...),
		models:    slices.Clip(s.models), // appended to by the clone only
	}
	for k, v := range s.refs {
		c.refs[k] = v
	}
	for k, v := range s.modelByID {
		c.modelByID[k] = v
	}
	for k, v := range s.modelID {
		c.modelID[k] = v
	}
	for k, v := range s.typeByID {
		c.typeByID[k] = v
	}
	for k, v := range s.typeID {
		c.typeID[k] = v
	}
	for k, v := range s.legacy {
		c.legacy[k] = v
	}
	return c
}
