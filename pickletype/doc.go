// Package pickletype stores any Go value in a database column, as
// SQLAlchemy's PickleType does, without GORM's serializer:gob failure modes:
// it never panics, maps nil to NULL, returns corrupt or foreign bytes as
// errors naming the field, and writes a small header (codec and format
// version) so stored values stay readable when the default codec changes.
//
// # Two ways to use it
//
// A field of type [Type][T] gets a binary column on every dialect (bytea,
// longblob, blob) and encodes T with the codec chosen for T (gob unless T
// has a PickleCodec method or [SetTypeCodec] chose another):
//
//	Prefs pickletype.Type[Preferences]
//
// Importing the package also registers the GORM serializer "pickle", usable
// on a field of any type, with per-field settings in the tag:
//
//	Settings Settings `gorm:"serializer:pickle"`
//	Tags     []string `gorm:"serializer:pickle;pickler:msgpack;compress"`
//	Blob     Big      `gorm:"serializer:pickle;type:bytes;maxsize:1048576"`
//	Doc      Document `gorm:"serializer:pickle;compress;maxdecompressed:4194304"`
//
// GORM gives such a field a text column unless a type: tag says otherwise;
// the serializer then stores a text-safe form (the header and payload in
// base64 behind a "pickle:" prefix), so it round-trips on PostgreSQL text,
// MySQL text and SQLite alike. With a binary column type it stores raw
// bytes.
//
// # NULL
//
// A nil pointer, map, slice or interface is stored as SQL NULL and NULL
// reads back as the zero value. Every other value is encoded, empty ones
// included: an empty non-nil map reads back as an empty non-nil map.
//
// # JSON
//
// A [Type][T] marshals to JSON as its Data, as go-gorm/datatypes'
// JSONType[T] does, so that models returned by an API show the value and
// not a {"Data": …} wrapper; nil-like Data is null, and null unmarshals to
// the zero Type.
//
// # Codecs
//
// gob (the default), msgpack and json are built in; [Register] adds others.
// msgpack sorts map keys and json does too, so both are deterministic and
// equality lookups (Where(&Model{Field: v})) can match; gob is not (map order
// varies), so do not query by gob-encoded values.
//
// # Change tracking
//
// Like SQLAlchemy, in-place mutation of a loaded value is not tracked: GORM
// writes the column whenever the field is part of an update. Use [Changed]
// in hooks to compare old and new values with the configured comparator
// ([SetComparator], reflect.DeepEqual by default).
//
// # Security
//
// gob is not hardened against adversarial input (its documentation says
// so) and every gob cell carries type descriptors. Decoding is bounded: a
// stored value by [Options].MaxSize (64 MiB by default), a compressed one
// once inflated by [Options].MaxDecompressed (16 MiB), both refused with
// [ErrTooLarge], never truncated. gob and msgpack payloads are walked
// before their codec sees them, so a length or count that the bytes
// cannot back ([ErrCorrupt]) allocates nothing: gob alone would size a
// map by whatever count a cell claims. A decoded value can still take more
// memory than its bytes (a one-byte element can become a large struct of
// T), so store only values your application wrote.
package pickletype
