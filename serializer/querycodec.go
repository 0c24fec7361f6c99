package serializer

import (
	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/querycodec"
)

// The query codec's plumbing is not part of this package's API: the root
// package reaches it through internal/querycodec, filled in here.
func init() {
	querycodec.Set(querycodec.Codec[Registry, Options]{
		Encode: func(reg *Registry, stmt *gorm.Statement, explicitTable bool) ([]byte, error) {
			return newEncoder(reg).encodeStatement(stmt, explicitTable)
		},
		Restore:            restorePayload,
		CheckRenamedFields: checkRenamedFields,
	})
}
