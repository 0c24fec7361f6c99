package serializer

// Model payloads cache rows: one model's column values, typed and
// versioned, without relationships, as advanced-alchemy's cache serializer
// does for SQLAlchemy entities, but exact for every column type.
//
// # Layout
//
//	"GPM" | version (1 byte) | flags (1 byte, 0) | MessagePack [kind, model ID, fingerprint, data]
//
// kind is 0 for one row (data: an array of its columns) and 1 for a list
// (data: an array of rows). Columns are written in the order GORM's schema
// lists them, each encoded by its Go type, so a payload carries no column
// names; the fingerprint says whether the reading struct has the same
// columns in the same order with the same types (see modelFingerprint).
//
// Column values:
//   - booleans, integers of every width (uint64 over its full range),
//     float32 and float64, strings and []byte as the MessagePack type of
//     the same name;
//   - fixed-size arrays ([16]byte UUIDs) as binary or arrays;
//   - pointers, slices and maps as nil or their contents (nil is kept
//     apart from empty and from zero); map entries sorted by encoded key;
//   - structs with exported fields only (sql.Null*, gorm.DeletedAt) as an
//     array of their fields;
//   - time.Time as [unix seconds, nanoseconds, zone offset, zone
//     abbreviation, location name];
//   - columns with a serializer: tag, and types that keep their state
//     private behind a driver.Valuer/sql.Scanner pair, as their database
//     value (nil, int64, float64, bool, []byte, string or a time), restored
//     through the field's serializer or the type's Scan, as GORM would when
//     reading the row.
const (
	modelMagic   = "GPM"
	modelVersion = 1
	modelOne     = 0 // kind: one row
	modelMany    = 1 // kind: a list of rows
)

// modelHeaderLen is the magic, the version byte and the flags byte.
const modelHeaderLen = len(modelMagic) + 2

// EncodeModel returns a cacheable payload of one row. model must be a
// non-nil pointer to a struct GORM can parse (default naming strategy).
//
// Every column is written, typed: the fields GORM maps to columns,
// including embedded structs (with their prefixes), column: names,
// serializer: fields, gorm.DeletedAt, sql.Null* types, pointers, []byte,
// time.Time (instant, nanoseconds, offset and zone), arrays, unsigned
// 64-bit values and driver.Valuer/sql.Scanner types. Relationships
// (has-one, has-many, belongs-to, many-to-many) are not written: they come
// back empty. Foreign-key columns are columns and are written.
//
// Equal rows give equal bytes. A column type that cannot be written
// exactly (an interface, a func, a struct with private state and no
// Valuer/Scanner pair) fails with [ErrNotSerializable].
//
// The payload names the model by its ID in [Default] (its registered ID,
// else [DefaultTypeID]). Default knows only what was registered on it, not
// the models of the gormpickle plugin: a model given an ID with
// gormpickle.NamedModel is written here under its Go name, and a reader
// using the plugin's registry refuses the payload with [ErrModelMismatch].
// With the plugin installed, call gormpickle.EncodeModel(db, model), which
// uses the registry of the plugin on db; [EncodeModelWith] takes any
// registry.
func EncodeModel(model any) ([]byte, error) { return EncodeModelWith(Default, model) }

// EncodeModels is [EncodeModel] for a result set: rows is a slice or array
// of one model's structs or pointers to them (or a pointer to such a
// slice). A nil element is an error. It names the model by its ID in
// [Default], as [EncodeModel] does: with the plugin installed, call
// gormpickle.EncodeModels(db, rows).
func EncodeModels(rows any) ([]byte, error) { return EncodeModelsWith(Default, rows) }

// DecodeModel restores a payload written by [EncodeModel] into dst, a
// non-nil pointer to the same model type. The result is a detached row:
// its columns are set and its relationships are empty (nil).
//
// It fails with [ErrModelMismatch] when the payload was written for
// another model (or is a list), and with [ErrSchemaChanged] when the
// model has gained, lost, renamed, reordered or retyped a column since the
// payload was written: caches should treat both as a miss. Malformed or
// truncated bytes give a [*CorruptError] (wrapping [ErrCorrupt]), payloads
// or decoded rows over the [ModelLimits] in use an error wrapping
// [ErrLimit], and neither panics.
// On any error dst is left unchanged.
//
// The model ID is checked against [Default], which knows only what was
// registered on it (see [EncodeModel]): with the plugin installed, call
// gormpickle.DecodeModel(db, data, dst).
func DecodeModel(data []byte, dst any) error { return DecodeModelWith(Default, data, dst) }

// DecodeModels restores a payload written by [EncodeModels] into dst, a
// pointer to a slice of the model or of pointers to it. It fails as
// [DecodeModel] does and leaves dst unchanged on error. With the plugin
// installed, call gormpickle.DecodeModels(db, data, dst).
func DecodeModels(data []byte, dst any) error { return DecodeModelsWith(Default, data, dst) }
