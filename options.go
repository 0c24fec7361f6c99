package gormpickle

import "github.com/gormpickle/gormpickle/serializer"

// WithSigningKey makes Dumps sign payloads with HMAC-SHA256 under the first
// key and Loads accept only payloads whose tag matches one of the keys, so
// keys can be rotated: put the new key first and keep the old ones until
// their payloads have expired. Sign whenever a payload leaves your process.
func WithSigningKey(keys ...[]byte) Option {
	return func(p *Plugin) {
		for _, k := range keys {
			p.keys = append(p.keys, append([]byte(nil), k...))
		}
	}
}

// WithoutRawSQL makes Loads refuse payloads that carry raw SQL: string
// conditions, Raw, gorm.Expr, raw columns, tables, joins and orders. Only
// structured clauses remain (struct and map conditions, clause.Eq, IN, ...,
// ordering by column). Use it for unsigned payloads built from user input.
func WithoutRawSQL() Option {
	return func(p *Plugin) { p.options.DenyRawSQL = true }
}

// WithAllowedModels restricts the models a payload may name to the given
// IDs (see [WithModels]); by default every registered model is allowed.
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
// may appear in conditions, selects and model values of a payload.
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

// WithLimits sets the decode limits; zero fields keep their defaults
// ([serializer.DefaultLimits]).
func WithLimits(l serializer.Limits) Option {
	return func(p *Plugin) { p.options.Limits = l }
}
