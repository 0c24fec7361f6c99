// Package serializer holds gormpickle's query codec, behind
// gormpickle.Dumps and gormpickle.Loads, and the model and type
// [Registry] it shares with the model codec (package modelcodec, which
// caches rows).
//
// # Query payloads
//
// gormpickle.Dumps captures a chain's statement through the callbacks
// package (scopes run, callbacks before gorm:query applied, no SQL run)
// and an [encoder] writes it. gormpickle.Loads, after checking a signed
// payload's tag ([Verify]), calls [Restore]: the decoder reads the payload
// under the load policy ([Options]: [Limits], and the strict policy's
// [Options].DenyRawSQL and allow-lists) and writes each entry into a new
// statement rooted in the target DB as it reads it, with no intermediate
// tree; the result is an ordinary chain, safe to branch. Models, their
// tables and their columns travel as references (registry IDs and Go field
// names) and are re-resolved on the target, so a payload written against
// one naming strategy or dialect loads against another. The byte layout is
// documented in docs/format.md and the slots the policy checks in
// docs/security.md.
//
// [decoder.Decode] reads a payload into a [decodedQuery] instead, a tree of
// clause values; without a target DB it needs no registered models and
// keeps field references by their Go names. [Describe] uses it to render a
// payload as a JSON-ready tree and as SQL.
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
