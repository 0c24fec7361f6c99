package gormpickle

import (
	"gorm.io/gorm"
)

// StatementPayload returns the unsigned payload of a statement that is
// being executed, as [Dumps] would write it for the chain, from a
// callback sorted before gorm:query (or gorm:row): result caches key
// their entries on it (package cache). It is never signed, so rotating
// the signing key keeps the keys. The statement's table is always
// written, whether Table() named it or the model did. Statements Dumps
// refuses give the same errors.
func StatementPayload(stmt *gorm.Statement) ([]byte, error) {
	p, err := pluginOf(stmt.DB)
	if err != nil {
		return nil, err
	}
	if err := checkAttrsAssigns(stmt.DB); err != nil {
		return nil, err
	}
	return codec.Encode(p.registry, stmt, true)
}
