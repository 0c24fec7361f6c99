package gormpickle

import (
	"errors"
	"fmt"
	"reflect"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/capture"
	"github.com/gormpickle/gormpickle/internal/querycodec"
	"github.com/gormpickle/gormpickle/serializer"
)

// Dumps serializes an unfinished query chain: its model, table, conditions,
// joins, preloads, order, limits, raw SQL and subqueries, as GORM would
// execute them: scopes and the callbacks sorted before gorm:query
// (multi-tenancy, dbresolver) applied. No SQL runs, and neither gorm:query
// nor any callback after it (preloads, hooks, the application's metrics,
// tracing or audit callbacks) runs; a callback before gorm:query that
// pairs with one after it can tell a capture run by the
// callbacks.MarkerKey setting. tx is not modified; it stays usable and can
// be dumped again. Equal chains give equal bytes.
//
// A model holding rows (Model(&users), or a chain reused after Find) travels
// with its rows, which GORM's Delete and Update read.
//
// Values are frozen: pointers are dereferenced and driver.Valuers without a
// registered type are evaluated now. What cannot travel (functions other
// than Preload functions, channels, unregistered named types) fails with
// [ErrNotSerializable] naming the type; nothing is dropped silently.
func Dumps(tx *gorm.DB) ([]byte, error) {
	p, err := pluginOf(tx)
	if err != nil {
		return nil, err
	}
	if err := checkAttrsAssigns(tx); err != nil {
		return nil, err
	}
	explicitTable := querycodec.ExplicitTable(tx)
	var out []byte
	err = capture.Capture(tx, func(stmt *gorm.Statement) error {
		var err error
		out, err = codec.Encode(p.registry, stmt, explicitTable)
		return err
	})
	if errors.Is(err, capture.ErrNotInstalled) && !capture.Registered(tx) {
		// The plugin is installed (pluginOf found it), its capture is not.
		return nil, fmt.Errorf("%w: gorm:query was replaced after gormpickle was installed (as caching plugins do); install gormpickle after them", err)
	}
	if err != nil {
		return nil, err
	}
	if len(p.keys) > 0 {
		return serializer.Sign(out, p.keys[0])
	}
	return out, nil
}

// codec is serializer's query codec.
var codec = querycodec.Get[serializer.Registry, serializer.Options]()

// checkAttrsAssigns refuses chains with Attrs or Assign: GORM keeps them in
// unexported fields that its own Statement.clone drops, so a restored chain
// could not keep them reliably.
func checkAttrsAssigns(tx *gorm.DB) error {
	stmt := reflect.ValueOf(tx.Statement).Elem()
	for i, name := range attrsAssigns.names {
		if idx := attrsAssigns.index[i]; idx >= 0 && stmt.Field(idx).Len() > 0 {
			return &serializer.UnsupportedTypeError{Type: "*gorm.DB", Where: name,
				Reason: "Attrs/Assign do not survive GORM's statement cloning; call them on the chain Loads returns"}
		}
	}
	return nil
}

// attrsAssigns locates gorm.Statement's attrs and assigns fields once:
// FieldByName scans the struct's fields by name, which on every Dumps
// (and every key the result cache takes) cost more than the check. An
// index is -1 when a GORM version lacks the field.
var attrsAssigns = func() (out struct {
	names [2]string
	index [2]int
}) {
	out.names = [2]string{"attrs", "assigns"}
	t := reflect.TypeFor[gorm.Statement]()
	for i, name := range out.names {
		out.index[i] = -1
		if f, ok := t.FieldByName(name); ok && len(f.Index) == 1 && f.Type.Kind() == reflect.Slice {
			out.index[i] = f.Index[0]
		}
	}
	return out
}()
