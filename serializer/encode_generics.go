package serializer

import (
	"reflect"

	"github.com/gormpickle/gormpickle/internal/gchain"
)

// genericsChain writes a chain of GORM's generics API met as a value (a
// subquery, the table a generics Joins joins) as the *gorm.DB it stands
// for: GORM renders both the same way, as a subquery of its own statement
// (generics.go chainG.Build, statement.go AddVar), so the payload needs no
// form of its own and loads as a *gorm.DB subquery. It reports false for
// any other value.
func (e *encoder) genericsChain(rv reflect.Value, where string) (bool, error) {
	c, ok, err := gchain.Of(rv.Interface())
	if !ok {
		return false, nil
	}
	if err != nil {
		return true, e.unsupported(rv.Type(), where, err.Error())
	}
	tx := c.Apply()
	if tx.Error != nil {
		return true, tx.Error
	}
	return true, e.db(tx, where)
}
