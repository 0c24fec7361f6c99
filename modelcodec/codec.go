package modelcodec

import "github.com/gormpickle/gormpickle/serializer"

// The fixed header of model payloads (see the package documentation).
const (
	modelMagic   = "GPM"
	modelVersion = 1
	modelOne     = 0 // kind: one row
	modelMany    = 1 // kind: a list of rows
)

// modelHeaderLen is the magic, the version byte and the flags byte.
const modelHeaderLen = len(modelMagic) + 2

// Encode returns a cacheable payload of one row. model must be a
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
// Valuer/Scanner pair) fails with [serializer.ErrNotSerializable].
//
// The payload names the model by its ID in [Default] (its registered ID,
// else [serializer.DefaultTypeID]). Default knows only what was registered on it, not
// the models of the gormpickle plugin: a model given an ID with
// gormpickle.NamedModel is written here under its Go name, and a reader
// using the plugin's registry refuses the payload with [ErrModelMismatch].
// With the plugin installed, call gormpickle.Encode(db, model), which
// uses the registry of the plugin on db; [EncodeWith] takes any
// registry.
func Encode(model any) ([]byte, error) { return EncodeWith(Default, model) }

// EncodeMany is [Encode] for a result set: rows is a slice or array
// of one model's structs or pointers to them (or a pointer to such a
// slice). A nil element is an error. It names the model by its ID in
// [Default], as [Encode] does: with the plugin installed, call
// gormpickle.EncodeMany(db, rows).
func EncodeMany(rows any) ([]byte, error) { return EncodeManyWith(Default, rows) }

// Decode restores a payload written by [Encode] into dst, a
// non-nil pointer to the same model type. The result is a detached row:
// its columns are set and its relationships are empty (nil).
//
// It fails with [ErrModelMismatch] when the payload was written for
// another model (or is a list), and with [ErrSchemaChanged] when the
// model has gained, lost, renamed, reordered or retyped a column since the
// payload was written: caches should treat both as a miss. Malformed or
// truncated bytes give a [*serializer.CorruptError] (wrapping
// [serializer.ErrCorrupt]), payloads or decoded rows over the [Limits] in
// use an error wrapping [serializer.ErrLimit], and neither panics.
// On any error dst is left unchanged.
//
// The model ID is checked against [Default], which knows only what was
// registered on it (see [Encode]): with the plugin installed, call
// gormpickle.Decode(db, data, dst).
func Decode(data []byte, dst any) error { return DecodeWith(Default, data, dst) }

// DecodeMany restores a payload written by [EncodeMany] into dst, a
// pointer to a slice of the model or of pointers to it. It fails as
// [Decode] does and leaves dst unchanged on error. With the plugin
// installed, call gormpickle.DecodeMany(db, data, dst).
func DecodeMany(data []byte, dst any) error { return DecodeManyWith(Default, data, dst) }

// Default is the registry [Encode], [EncodeMany], [Decode] and
// [DecodeMany] name models by. It is not the registry of the gormpickle
// plugin installed on a DB, and knows none of its models or IDs: to encode
// models with the IDs the plugin gave them (NamedModel), use
// gormpickle.EncodeModel(db, ...), or pass gormpickle.RegistryOf(db) to
// the *With forms. (It was serializer.Default; the query codec always
// takes its registry explicitly, so the default lives with the codec that
// uses it.)
var Default = serializer.NewRegistry()
