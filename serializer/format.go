package serializer

import "gorm.io/gorm/clause"

// Query payload layout (versions 1 to 3):
//
//	"GPQ"  magic
//	0x02   format version (0x03 when the body uses a version-3 form)
//	flags  bit 0: signed (a 32-byte HMAC-SHA256 tag follows the body)
//	body   one MessagePack statement map
//	[tag]  32 bytes, when signed
//
// docs/format.md describes the body. Changing what a reader accepts means
// a new version number, never a rewrite of an old version: stored payloads
// must keep loading. Version 2 is version 1 plus shorter forms (clause
// codes, trailing defaults left out), so one reader reads both. Version 3
// adds forms (registered Valuers as driver values, join-table models,
// models holding rows, preload queries, field references carrying their
// column). Dumps writes 3 only for a payload that uses one of them: any
// other payload stays readable by a version-2 build, which refuses a
// version-3 one with ErrVersion instead of misreading it. The first build
// to write some of these forms wrote them under version 2, so readers
// accept them in version-2 payloads too.
const (
	queryMagic          = "GPQ"
	formatVersion       = 3 // the newest version Dumps writes
	baseFormatVersion   = 2 // the version of a payload using no version-3 form
	oldestFormatVersion = 1 // the oldest version Loads reads
	headerLen           = len(queryMagic) + 2

	// flagSigned marks a payload that ends in an HMAC-SHA256 tag.
	flagSigned = 1
	// signatureLen is the length of the tag of a signed payload.
	signatureLen = 32
)

// Statement map keys, written in ascending order.
const (
	keyModel         = 1
	keyTable         = 2
	keyFlags         = 3
	keySelects       = 4
	keyOmits         = 5
	keyColumnMapping = 6
	keyClauses       = 7
	keyJoins         = 8
	keyPreloads      = 9
	keyRaw           = 10
	keySettings      = 11
)

// Statement flag bits (keyFlags).
const (
	stmtUnscoped = 1 << iota
	stmtDistinct
	stmtRaiseErrorOnNotFound
)

// Table spec kinds (keyTable).
const (
	tableName = 0 // an identifier, re-quoted by the target dialect
	tableExpr = 1 // raw SQL with vars, as passed to Table()
)

// Value tags: a MessagePack array is a tagged value [tag, ...]. Untagged
// MessagePack scalars stand for the most common Go types: nil, bool,
// string, int, float64 and []byte.
const (
	tInt8 = iota + 1
	tInt16
	tInt32
	tInt64
	tUint
	tUint8
	tUint16
	tUint32
	tUint64
	tUintptr
	tFloat32
	tTime
	tSlice
	tArray
	tMap
	tStruct
	tNamed
	tNamedArg
	tSubquery
	tPreloadFunc
	tExpr
	tNamedExpr
	tEq
	tNeq
	tGt
	tGte
	tLt
	tLte
	tLike
	tIN
	tWhere
	tAnd
	tOr
	tNot
	tColumn
	tTable
	tSelect
	tComma
	tFrom
	tJoin
	tGroupBy
	tOrderBy
	tOrderByColumn
	tLimit
	tLocking
	tReturning
	tOnConflict
	tSet
	tAssignment
	tInsert
	tValues
	tUpdate
	tDelete
	tClause
	tRef // a value replaced by a Referencer's ID
	// tValuer is a registered driver.Valuer and sql.Scanner whose fields
	// cannot all be written (decimal.Decimal, datatypes.Date): the driver
	// value it returned, restored with Scan.
	tValuer
	// tPreloadTx stands, inside a Preload function's statement, for the
	// DB GORM passes that function (its relation's query with the parent
	// rows' keys), plus the statement it holds: a function that nests that
	// DB in a new statement (GORM generics' LimitPerRecord).
	tPreloadTx
	tagCount
)

// clauseNames are the clause names GORM's processors build, which version
// 2 writes as their index (1-based) instead of as a string.
var clauseNames = [...]string{1: "SELECT", 2: "FROM", 3: "WHERE", 4: "GROUP BY", 5: "ORDER BY", 6: "LIMIT",
	7: "FOR", 8: "RETURNING", 9: "ON CONFLICT", 10: "SET", 11: "INSERT", 12: "VALUES", 13: "UPDATE", 14: "DELETE"}

// clauseCode returns the code of a known clause name, or 0.
func clauseCode(name string) int {
	for i := 1; i < len(clauseNames); i++ {
		if clauseNames[i] == name {
			return i
		}
	}
	return 0
}

// joinTypeNames are GORM's join types by their version-2 code. A join
// entry without a type is a LEFT join, what Joins() adds.
var joinTypeNames = [...]clause.JoinType{0: clause.LeftJoin, 1: clause.InnerJoin, 2: clause.CrossJoin, 3: clause.RightJoin}

// Column flag bits.
const (
	colRaw      = 1
	colFieldRef = 2 // name is a Go field name of the statement's model
	colAlias    = 4
	// colColumn: the field reference's column follows its name, written
	// only for a field whose column its name does not derive (an explicit
	// column tag, an embedded prefix), so a target that renamed the field
	// finds it by that column.
	colColumn = 8
)

// Special identifier references (negative integers in name/table slots;
// non-negative integers are interned-string indexes).
const (
	refCurrentTable   = -1 // clause.CurrentTable
	refStatementTable = -2 // whatever table the statement resolves to
	refPrimaryKey     = -3 // clause.PrimaryKey
	refAssociations   = -4 // clause.Associations
)

// Type descriptor codes for slice, array and map element types.
const (
	typInterface = iota
	typBool
	typInt
	typInt8
	typInt16
	typInt32
	typInt64
	typUint
	typUint8
	typUint16
	typUint32
	typUint64
	typUintptr
	typFloat32
	typFloat64
	typString
	typBytes
	typTime
	typExpression // clause.Expression
	typBuiltinCount
)

// Composite type descriptor kinds: [kind, ...].
const (
	typSliceOf = 1
	typArrayOf = 2
	typMapOf   = 3
	typPtrTo   = 4
	typNamed   = 5
)
