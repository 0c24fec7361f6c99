package serializer

// Limits bound what a decoder accepts, so a hostile payload cannot exhaust
// memory or time. A zero field means "use the default".
type Limits struct {
	MaxBytes      int // whole payload, in bytes
	MaxDepth      int // nesting of values, expressions and subqueries
	MaxNodes      int // values decoded in total
	MaxCollection int // elements of one array or map (IN lists, Vars)
	MaxString     int // bytes of one string or byte slice
	// MaxRelationDepth bounds the segments of one Joins or Preload
	// relation path ("Orders.Items.Product" has three).
	MaxRelationDepth int
	// MaxJoins bounds the relation segments joined in one payload, over
	// all its statements: each renders a JOIN and the related model's
	// columns.
	MaxJoins int
	// MaxPreloads bounds the relation segments preloaded in one payload,
	// over all its statements and Preload functions: each runs at least
	// one more query.
	MaxPreloads int
}

// DefaultLimits returns the limits used when none are configured: 1 MiB
// payloads, depth 64, 100 000 nodes, 65 536 elements per collection,
// 256 KiB per string, relation paths of 5 segments, 16 joined and 32
// preloaded relation segments.
func DefaultLimits() Limits {
	l := Limits{}
	l.fill()
	return l
}

// fill sets zero fields to their defaults (see [DefaultLimits]).
func (l *Limits) fill() {
	if l.MaxBytes <= 0 {
		l.MaxBytes = 1 << 20
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = 64
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = 100_000
	}
	if l.MaxCollection <= 0 {
		l.MaxCollection = 1 << 16
	}
	if l.MaxString <= 0 {
		l.MaxString = 256 << 10
	}
	if l.MaxRelationDepth <= 0 {
		l.MaxRelationDepth = 5
	}
	if l.MaxJoins <= 0 {
		l.MaxJoins = 16
	}
	if l.MaxPreloads <= 0 {
		l.MaxPreloads = 32
	}
}

// withDefaults returns l with zero fields set to their defaults.
func (l Limits) withDefaults() Limits {
	l.fill()
	return l
}

// Options control how a query payload is decoded and what it may contain.
// Setting DenyRawSQL or any allow-list turns on the strict load policy
// (see docs/security.md): every identifier must be a field reference or a
// plain name, every table and column must belong to an allowed model, and
// raw SQL is refused.
type Options struct {
	Limits Limits
	// DenyRawSQL refuses payloads containing raw SQL: string conditions,
	// Raw, gorm.Expr, raw columns, raw joins and orders.
	DenyRawSQL bool
	// AllowedModels, when non-nil, lists the model IDs a payload may name.
	// When nil, every registered model is allowed.
	AllowedModels map[string]bool
	// AllowedFields, when non-nil, lists per model ID the Go field names
	// that may appear in conditions.
	AllowedFields map[string]map[string]bool
	// AllowedTables lists table names a payload may name explicitly
	// (Table("name"), FROM, locking) besides those of allowed models.
	AllowedTables map[string]bool
	// RenamedFields maps, per model ID, Go field names that stored
	// payloads may still use to the model's current field names (column
	// and relation fields). It applies only to a name the target model
	// lacks, before resolving the name by its column, and before the
	// allow-lists, which see the current name. See [CheckRenamedFields].
	RenamedFields map[string]map[string]string
}

// strict reports whether the strict load policy applies.
func (o *Options) strict() bool {
	return o.DenyRawSQL || o.AllowedModels != nil || o.AllowedFields != nil || o.AllowedTables != nil
}
