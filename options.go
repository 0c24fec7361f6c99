package gormpickle

import (
	"fmt"

	"github.com/gormpickle/gormpickle/serializer"
)

// WithSigningKey makes Dumps sign payloads with HMAC-SHA256 under the first
// key and Loads accept only payloads whose tag matches one of the keys, so
// keys can be rotated: put the new key first and keep the old ones until
// their payloads have expired. Sign whenever a payload leaves your process.
//
// Each key must hold at least [MinKeyLen] bytes (use 32 random bytes); an
// empty or short key, or no key at all, is a setup error that db.Use
// returns, rather than a plugin whose signatures anyone could forge.
func WithSigningKey(keys ...[]byte) Option {
	return func(p *Plugin) {
		if len(keys) == 0 {
			p.setupErr(fmt.Errorf("%w: WithSigningKey was given no key", ErrSigningKey))
		}
		for i, k := range keys {
			if len(k) < MinKeyLen {
				p.setupErr(fmt.Errorf("%w: key %d has %d bytes, want at least %d", ErrSigningKey, i, len(k), MinKeyLen))
			}
			p.keys = append(p.keys, append([]byte(nil), k...))
		}
	}
}

// MinKeyLen is the shortest signing key [WithSigningKey] accepts: an
// HMAC key shorter than 16 bytes can be guessed.
const MinKeyLen = 16

// WithoutRawSQL turns on the strict load policy for payloads built from
// user input: Loads refuses raw SQL (string conditions, Raw, gorm.Expr,
// raw columns, tables, joins and orders), identifiers that are not plain
// names, write clauses, statement settings and statements without a model,
// and accepts only tables and columns of registered models. Only
// structured clauses remain (struct and map conditions, clause.Eq, IN, ...,
// ordering by column). docs/security.md lists every check.
func WithoutRawSQL() Option {
	return func(p *Plugin) { p.options.DenyRawSQL = true }
}

// WithAllowedModels restricts the models a payload may read, directly, as
// a joined or preloaded relation or in a subquery, to the given IDs (see
// [WithModels]); by default every registered model is allowed. Like every
// allow-list it turns on the strict load policy of [WithoutRawSQL]: with
// raw SQL accepted, an allow-list would bound nothing.
func WithAllowedModels(ids ...string) Option {
	return func(p *Plugin) {
		if p.options.AllowedModels == nil {
			p.options.AllowedModels = map[string]bool{}
		}
		for _, id := range ids {
			p.options.AllowedModels[id] = true
		}
	}
}

// WithAllowedFields restricts the fields (Go field names) of a model that
// a payload may name anywhere: conditions, selects, orders, groups, join
// and preload conditions, model values. It turns on the strict load policy
// of [WithoutRawSQL].
func WithAllowedFields(modelID string, fields ...string) Option {
	return func(p *Plugin) {
		if p.options.AllowedFields == nil {
			p.options.AllowedFields = map[string]map[string]bool{}
		}
		if p.options.AllowedFields[modelID] == nil {
			p.options.AllowedFields[modelID] = map[string]bool{}
		}
		for _, f := range fields {
			p.options.AllowedFields[modelID][f] = true
		}
	}
}

// WithAllowedTables lets payloads name these tables explicitly
// (Table("name"), FROM and locking clauses) besides the tables of allowed
// models, for instance an archive table with a model's columns. The
// payload's columns are still checked against its model. It turns on the
// strict load policy of [WithoutRawSQL].
func WithAllowedTables(names ...string) Option {
	return func(p *Plugin) {
		if p.options.AllowedTables == nil {
			p.options.AllowedTables = map[string]bool{}
		}
		for _, n := range names {
			p.options.AllowedTables[n] = true
		}
	}
}

// WithLimits sets the decode limits; zero fields keep their defaults
// ([serializer.DefaultLimits]).
func WithLimits(l serializer.Limits) Option {
	return func(p *Plugin) { p.options.Limits = l }
}

// WithRenamedFields lets payloads stored before a field of a model was
// renamed keep loading: oldToNew maps Go field names the payloads may use
// to the model's current ones, for column fields (in conditions, selects,
// orders, model values) and relations (in Joins and Preload paths). A name
// the model still has is never mapped. modelID is the model's registered
// ID (see [WithModels], [NamedModel]).
//
// A renamed field that kept its column needs no mapping: Loads resolves a
// name the model lacks by the column the field had, when exactly one
// field has it (see docs/compatibility.md). The mapping wins over that,
// and is what resolves a relation or a field whose column changed too.
// Names are resolved before the allow-lists ([WithAllowedFields]) are
// checked, which see the current name: a mapping cannot reach a field the
// allow-list keeps out.
//
// db.Use fails with an error that unwraps to [ErrUnknownModel] if no model
// is registered under modelID, and to [ErrUnknownField] if a new name is
// neither a column field nor a relation of the model, or an old name is
// still one of its fields.
func WithRenamedFields(modelID string, oldToNew map[string]string) Option {
	return func(p *Plugin) {
		if p.options.RenamedFields == nil {
			p.options.RenamedFields = map[string]map[string]string{}
		}
		m := p.options.RenamedFields[modelID]
		if m == nil {
			m = make(map[string]string, len(oldToNew))
			p.options.RenamedFields[modelID] = m
		}
		for old, to := range oldToNew {
			m[old] = to
		}
	}
}
