// Package serializer holds gormpickle's codecs: the query codec behind
// gormpickle.Dumps and gormpickle.Loads, and the model codec
// ([EncodeModel], [DecodeModel]) for caching rows.
//
// # Query payloads
//
// An [Encoder] writes a statement captured by the callbacks package; a
// [Decoder] reads it back as a [Query] of ready-to-use clause values, and
// [Query.Apply] restores it onto a statement of the target DB. Models,
// their tables and their columns travel as references (registry IDs and Go
// field names) and are re-resolved on the target, so a payload written
// against one naming strategy or dialect loads against another. The byte
// layout is documented in docs/format.md; [Describe] renders a payload as a
// JSON-ready tree and as SQL.
//
// # Registry
//
// A [Registry] maps stable IDs to models and value types, and holds
// [Referencer]s for values that travel as references. It is a bijection:
// conflicting registrations are errors, never silent overwrites.
//
// # Hostile input
//
// Decoders treat bytes as hostile. Every length prefix is checked against
// the bytes that remain and against [Limits] before anything is allocated;
// nesting depth and the number of values are bounded; malformed input gives
// an error wrapping [ErrCorrupt] (a [*CorruptError] with the offset), never
// a panic. Options can refuse raw SQL ([Options].DenyRawSQL) and restrict
// models and fields. Payloads that cross a trust boundary should also be
// signed ([Sign], [Verify]).
package serializer
