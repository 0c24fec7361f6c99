// Package serializer holds gormpickle's query codec, behind
// gormpickle.Dumps and gormpickle.Loads, and the model and type
// [Registry] it shares with the model codec (package modelcodec, which
// caches rows).
//
// # Query payloads
//
// gormpickle.Dumps captures a chain's statement through the callbacks
// package (scopes run, callbacks before gorm:query applied, no SQL run)
// and this package's encoder writes it. gormpickle.Loads hands the bytes
// back: the signed payload's tag is checked first ([Verify]), then the
// decoder reads the payload under the load policy ([Options]: [Limits],
// and the strict policy's [Options].DenyRawSQL and allow-lists) and writes
// each entry into a new statement rooted in the target DB as it reads it;
// the result is an ordinary chain, safe to branch. Models, their tables
// and their columns travel as references (registry IDs and Go field names)
// and are re-resolved on the target, so a payload written against one
// naming strategy or dialect loads against another. The byte layout is
// documented in docs/format.md and the slots the policy checks in
// docs/security.md.
//
// The encoder and decoder are not part of this package's API: the root
// package reaches them through an internal package. What is here is what
// users call: the [Registry], the load policy ([Options], [Limits]),
// [Describe] and [Inspect] for looking at payloads, signing, and errors.
// [Describe] reads a payload with the same decoder, into a tree instead of
// a statement: without a target DB it needs no registered models and
// keeps field references by their Go names.
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
