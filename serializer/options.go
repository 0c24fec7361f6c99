package serializer

// Limits bound what a decoder accepts, so a hostile payload cannot exhaust
// memory or time. A zero field means "use the default".
type Limits struct {
	MaxBytes      int // whole payload, in bytes
	MaxDepth      int // nesting of values, expressions and subqueries
	MaxNodes      int // values decoded in total
	MaxCollection int // elements of one array or map (IN lists, Vars)
	MaxString     int // bytes of one string or byte slice
}

// DefaultLimits returns the limits used when none are configured: 1 MiB
// payloads, depth 64, 100 000 nodes, 65 536 elements per collection and
// 256 KiB per string.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 1 << 20, MaxDepth: 64, MaxNodes: 100_000, MaxCollection: 1 << 16, MaxString: 256 << 10}
}

// withDefaults fills zero fields from [DefaultLimits].
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = d.MaxNodes
	}
	if l.MaxCollection <= 0 {
		l.MaxCollection = d.MaxCollection
	}
	if l.MaxString <= 0 {
		l.MaxString = d.MaxString
	}
	return l
}

// Options control how a query payload is decoded and what it may contain.
type Options struct {
	Limits Limits
	// DenyRawSQL refuses payloads containing raw SQL: string conditions,
	// Raw, gorm.Expr, raw columns, raw joins and orders.
	DenyRawSQL bool
	// AllowedModels, when non-nil, lists the model IDs a payload may name.
	AllowedModels map[string]bool
	// AllowedFields, when non-nil, lists per model ID the Go field names
	// that may appear in conditions.
	AllowedFields map[string]map[string]bool
}
