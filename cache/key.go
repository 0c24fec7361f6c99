package cache

import (
	"crypto/sha256"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"sort"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/modelcodec"
)

// keyVersion changes when what keys are made of changes, so that entries
// of an older layout are never read.
const keyVersion = "gormpickle-cache-key/2"

// keyOf returns the key of a statement about to run: a hash of the
// unsigned canonical payload of the query (gormpickle's serializer), the
// processor (query or row) and the destination's type, and the schema
// fingerprint of every model the statement can involve (its model and
// the models related to it). A statement gormpickle cannot serialize (a
// destination struct that is not a registered model, say) gets
// fromSQL: its key is made when its SQL is known, from the SQL text and
// typed arguments instead of the payload (see sqlKey). ok is false for
// models without a fingerprint: they are not cached.
func keyOf(db *gorm.DB, processor string) (key string, parts [][]byte, ok bool) {
	fp, ok := fingerprintOf(db.Statement.Schema)
	if !ok {
		return "", nil, false
	}
	parts = [][]byte{[]byte(keyVersion), []byte(processor), []byte(typeName(db.Statement.Dest)), fp}
	payload, err := gormpickle.StatementPayload(db.Statement)
	if err != nil {
		return "", parts, true
	}
	return hashParts(append(parts, []byte("payload"), payload)), nil, true
}

// sqlKey is the key of a statement without a payload: its parts and the
// check of its SQL text and arguments.
func sqlKey(parts [][]byte, check [checkSize]byte) string {
	return hashParts(append(parts[:len(parts):len(parts)], []byte("sql"), check[:]))
}

func hashParts(parts [][]byte) string {
	h := sha256.New()
	var n [8]byte
	for _, part := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(part)))
		h.Write(n[:])
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// fingerprints caches fingerprintOf per schema.
var fingerprints sync.Map // *schema.Schema -> []byte (nil: not fingerprintable)

// fingerprintOf returns a digest of the fingerprints of s's model and of
// every model reachable through its relationships (joins and preloads),
// taken in a stable order.
func fingerprintOf(s *schema.Schema) ([]byte, bool) {
	if s == nil {
		return []byte{}, true
	}
	if v, ok := fingerprints.Load(s); ok {
		b := v.([]byte)
		return b, b != nil
	}
	seen := map[*schema.Schema]bool{}
	var parts []string
	var walk func(*schema.Schema) bool
	walk = func(s *schema.Schema) bool {
		if s == nil || seen[s] {
			return true
		}
		seen[s] = true
		fp, err := modelcodec.Fingerprint(s.ModelType)
		if err != nil {
			return false
		}
		parts = append(parts, fmt.Sprintf("%s=%x", qualifiedName(s.ModelType), fp))
		for _, rel := range s.Relationships.Relations {
			if !walk(rel.FieldSchema) {
				return false
			}
			if rel.JoinTable != nil {
				parts = append(parts, "join:"+rel.JoinTable.Table)
			}
		}
		return true
	}
	var out []byte
	if walk(s) {
		sort.Strings(parts)
		// Keys hash the digest, not the parts: they name every model
		// reachable from s (a few hundred bytes), and every key would
		// hash them again.
		h := sha256.New()
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		out = h.Sum(nil)
	}
	fingerprints.Store(s, out)
	return out, out != nil
}

// typeNames caches typeName per type.
var typeNames sync.Map // reflect.Type -> string

// typeName names a destination's type with its package path, the same in
// every process.
func typeName(dest any) string {
	t := reflect.TypeOf(dest)
	if t == nil {
		return ""
	}
	if v, ok := typeNames.Load(t); ok {
		return v.(string)
	}
	name := qualifiedName(t)
	typeNames.Store(t, name)
	return name
}

func qualifiedName(t reflect.Type) string {
	base := t
	for base.Name() == "" && (base.Kind() == reflect.Pointer || base.Kind() == reflect.Slice ||
		base.Kind() == reflect.Array || base.Kind() == reflect.Map) {
		base = base.Elem()
	}
	return base.PkgPath() + " " + t.String()
}

// checkOf hashes the SQL text and arguments a statement sends, typed (1
// and "1" differ). An entry is served only to the same SQL and arguments
// it was recorded for, so that a callback that changes the statement
// after the key was taken cannot be served another statement's rows. ok
// is false for an argument it cannot write deterministically.
func checkOf(query string, args []any) (sum [checkSize]byte, ok bool) {
	b := make([]byte, 0, len(query)+16*len(args)+16)
	b = appendString(b, query)
	for _, a := range args {
		if b, ok = appendArg(b, a, 0); !ok {
			return sum, false
		}
	}
	full := sha256.Sum256(b)
	copy(sum[:], full[:])
	return sum, true
}

func appendArg(b []byte, a any, depth int) (out []byte, ok bool) {
	if depth > 8 {
		return b, false
	}
	defer func() {
		if recover() != nil { // a panicking Value
			out, ok = b, false
		}
	}()
	// What database/sql sends for the argument, when it converts it
	// itself: upper("x") with Value() "X" and "X" send the same.
	if dv, err := driver.DefaultParameterConverter.ConvertValue(a); err == nil {
		a = dv
	}
	switch v := a.(type) {
	case nil:
		return append(b, 'n'), true
	case int64:
		return binary.AppendVarint(append(b, 'i'), v), true
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, 'f'), math.Float64bits(v)), true
	case string:
		return appendString(append(b, 's'), v), true
	case []byte:
		return appendString(append(b, 'b'), string(v)), true
	case bool:
		if v {
			return append(b, 'T'), true
		}
		return append(b, 'F'), true
	case time.Time:
		tb, err := v.MarshalBinary()
		return appendString(append(b, 't'), string(tb)), err == nil
	case driver.Valuer:
		dv, err := v.Value()
		if err != nil {
			return b, false
		}
		return appendArg(appendString(append(b, 'v'), reflect.TypeOf(v).String()), dv, depth+1)
	}
	rv := reflect.ValueOf(a)
	b = appendString(append(b, 'k'), rv.Type().String())
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return binary.AppendUvarint(b, rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(rv.Float())), true
	case reflect.String:
		return appendString(b, rv.String()), true
	case reflect.Bool:
		return appendArg(b, rv.Bool(), depth+1)
	case reflect.Pointer:
		if rv.IsNil() {
			return append(b, 'n'), true
		}
		return appendArg(b, rv.Elem().Interface(), depth+1)
	case reflect.Slice, reflect.Array:
		b = binary.AppendUvarint(b, uint64(rv.Len()))
		for i := 0; i < rv.Len(); i++ {
			if b, ok = appendArg(b, rv.Index(i).Interface(), depth+1); !ok {
				return b, false
			}
		}
		return b, true
	}
	return b, false
}
