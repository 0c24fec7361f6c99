package callbacks

import (
	"fmt"

	"gorm.io/gorm"
)

// CaptureName is the name of the capture callback in every processor it is
// registered in.
const CaptureName = "gormpickle:capture"

// registrar is the part of GORM's (unexported) callback processor type that
// registration needs.
type registrar interface {
	Register(name string, fn func(*gorm.DB)) error
}

// registration is one row of the callback table.
type registration struct {
	processor string
	before    string
	target    func(db *gorm.DB) registrar
}

var registrations = []registration{
	{"query", "gorm:query", func(db *gorm.DB) registrar { return db.Callback().Query().Before("gorm:query") }},
	{"row", "gorm:row", func(db *gorm.DB) registrar { return db.Callback().Row().Before("gorm:row") }},
	{"raw", "gorm:raw", func(db *gorm.DB) registrar { return db.Callback().Raw().Before("gorm:raw") }},
}

// Register installs the capture callback in the query, row and raw
// processors of db. It is safe to call more than once on the same DB: a
// callback that is already present is left alone. The first registration
// error is returned, wrapped with the processor's name.
func Register(db *gorm.DB) error {
	for _, r := range registrations {
		if registered(db, r.processor) {
			continue
		}
		if err := r.target(db).Register(CaptureName, captureCallback); err != nil {
			return fmt.Errorf("register %s before %s: %w", CaptureName, r.before, err)
		}
	}
	return nil
}

// Registered reports whether the capture callback is installed on db.
func Registered(db *gorm.DB) bool {
	return registered(db, "query")
}

func registered(db *gorm.DB, processor string) bool {
	cb := db.Callback()
	switch processor {
	case "query":
		return cb.Query().Get(CaptureName) != nil
	case "row":
		return cb.Row().Get(CaptureName) != nil
	default:
		return cb.Raw().Get(CaptureName) != nil
	}
}
