// Package modelcodec caches rows: it encodes one model's column values,
// typed and versioned, without relationships ([Encode], [EncodeMany]),
// and restores them into the same model ([Decode], [DecodeMany]), as
// advanced-alchemy's cache serializer does for SQLAlchemy entities, but
// exact for every column type. docs/model-cache.md describes its use.
//
// The payload names its model by the model's ID in a
// [serializer.Registry] (the *With forms take one; the others use
// [Default]) and carries a fingerprint of the model's columns, so that a
// payload of another model or of older columns is refused with
// [ErrModelMismatch] or [ErrSchemaChanged]: a cache miss. With the
// gormpickle plugin installed, gormpickle.EncodeModel(db, ...) and its
// siblings use the plugin's registry.
//
// Payloads are hostile input, bounded by [Limits]. Besides this package's
// two sentinels, errors wrap the serializer package's: malformed bytes
// give a [*serializer.CorruptError] (wrapping [serializer.ErrCorrupt]),
// payloads over a bound [serializer.ErrLimit], an unknown version
// [serializer.ErrVersion] and an unwritable value
// [serializer.ErrNotSerializable]. The package imports no database
// driver.
//
// # Layout
//
//	"GPM" | version (1 byte) | flags (1 byte, 0) | MessagePack [kind, model ID, fingerprint, data]
//
// kind is 0 for one row (data: an array of its columns) and 1 for a list
// (data: an array of rows). Columns are written in the order GORM's schema
// lists them, each encoded by its Go type, so a payload carries no column
// names; the fingerprint says whether the reading struct has the same
// columns in the same order with the same types.
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
package modelcodec
