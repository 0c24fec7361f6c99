package gormpickle

import (
	"errors"
	"fmt"
	"reflect"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/gchain"
	"github.com/gormpickle/gormpickle/serializer"
)

// DumpsG serializes an unfinished chain of GORM's generics API
// (gorm.G[T](db)...) exactly as [Dumps] serializes a traditional one, in
// the same format: the payload is the chain's statement as GORM would run
// it, with model T (Model(&T{})), so it loads with [LoadsG] (as a generics
// chain) and with [Loads] (as a traditional one). Everything the chain
// holds travels: the opts given to gorm.G (clause.Locking, ...), scopes,
// Joins with a JoinBuilder function (its conditions, selects and the
// subquery it joins), Preload with a PreloadBuilder function (including
// LimitPerRecord), Table, MapColumns, Select, Omit, Group, Having, Order,
// Limit, Offset, Distinct, and generics chains used as subqueries. The
// plugin must be installed on the *gorm.DB given to gorm.G.
//
// GORM's generics chain keeps its calls as functions until a finisher
// runs them; DumpsG runs them on a statement of its own, never on the DB
// the chain was built on, and no SQL runs. An error a JoinBuilder or
// PreloadBuilder function returns is returned. What cannot travel fails
// with [ErrNotSerializable] naming it, among which gorm.WithResult (the
// result of a run belongs to the caller who runs it).
func DumpsG[T any](q gorm.ChainInterface[T]) ([]byte, error) {
	c, ok, err := gchain.Of(q)
	if !ok {
		return nil, &serializer.UnsupportedTypeError{Type: fmt.Sprintf("%T", q), Where: "DumpsG",
			Reason: "not a chain of GORM's generics API (gorm.G[T](db)...)"}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotSerializable, err)
	}
	if _, err := pluginOf(c.DB); err != nil {
		return nil, err
	}
	tx := c.Apply()
	if tx.Error != nil {
		return nil, tx.Error
	}
	if tx.Statement.Result != nil {
		return nil, &serializer.UnsupportedTypeError{Type: "gorm.WithResult", Where: "gorm.G opts",
			Reason: "it holds the result of a run for the caller who runs it, which a payload cannot reach"}
	}
	// GORM's generics Preload functions read the relation from the
	// chain's own statement, which GORM has parsed by the time they run.
	if tx.Statement.Schema == nil {
		parsed := &gorm.Statement{DB: tx}
		if err := parsed.Parse(tx.Statement.Model); err == nil {
			tx.Statement.Schema = parsed.Schema
		}
	}
	out, err := Dumps(tx)
	if err != nil {
		// A builder function that failed while its preload was captured
		// left GORM's own error on the chain: it says why.
		return nil, errors.Join(err, tx.Error)
	}
	// A builder function's error is added to the chain's DB when its
	// preload is captured.
	if tx.Error != nil {
		return nil, tx.Error
	}
	return out, nil
}

// genericsModelName names T in errors.
func genericsModelName[T any]() string {
	return reflect.TypeFor[T]().String()
}
