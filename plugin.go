// Package gormpickle serializes unfinished GORM query chains to compact bytes
// and restores them against another *gorm.DB: another process, another
// dialect, another naming strategy, or the caller's current transaction.
//
// Install the plugin with db.Use(gormpickle.New(gormpickle.WithModels(...))),
// then call [Dumps] on a chain and [Loads] on the bytes. Models, tables and
// columns travel as references and are re-resolved against the target; the
// database, dialect, connection, context and transaction never travel.
//
// # Security
//
// A payload can carry raw SQL fragments (string conditions, Raw, gorm.Expr).
// Whoever can alter a payload can inject SQL, so sign payloads that leave
// your process ([WithSigningKey]) or refuse raw SQL on load ([WithoutRawSQL]).
package gormpickle

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/capture"
	"github.com/gormpickle/gormpickle/serializer"
)

// PluginName is the name under which the plugin registers itself in
// gorm.Config.Plugins.
const PluginName = "gormpickle"

// Plugin is the gormpickle GORM plugin. Create it with [New] and install it
// with db.Use. A Plugin is safe for concurrent use once installed.
type Plugin struct {
	registry *serializer.Registry
	options  serializer.Options
	keys     [][]byte
	shadow   *shadowCheck // set by WithShadowCheck
	err      error        // the first setup error of an Option, returned by Initialize
}

// setupErr records an Option's error for Initialize (Options cannot
// return one).
func (p *Plugin) setupErr(err error) {
	if p.err == nil {
		p.err = err
	}
}

var _ gorm.Plugin = (*Plugin)(nil)

// Option configures a [Plugin].
type Option func(*Plugin)

// New returns a plugin configured by opts. By default no model is registered,
// payloads are unsigned, raw SQL is accepted and decoding uses
// [serializer.DefaultLimits].
func New(opts ...Option) *Plugin {
	p := &Plugin{
		registry: serializer.NewRegistry(),
		options:  serializer.Options{Limits: serializer.DefaultLimits()},
	}
	for _, opt := range opts {
		opt(p)
	}
	return p
}

// WithModels registers the models that serialized queries may reference.
// Each model is a struct value or pointer (&User{}) or the result of
// [NamedModel]. A model's ID defaults to its package and type name as Go
// prints them ("models.User"); both sides of a Dumps/Loads exchange must
// register the same IDs. Two models whose packages share a name need
// [NamedModel] for one of them.
func WithModels(models ...any) Option {
	return func(p *Plugin) {
		for _, m := range models {
			p.registry.MustRegisterModel(m)
		}
	}
}

// NamedModel gives a model an explicit, stable ID that survives renaming its
// Go type or package. Pass the result to [WithModels].
func NamedModel(id string, model any) any {
	return serializer.NamedModel(id, model)
}

// WithTypes registers named Go types (custom scalars, structs used as named
// arguments, clause.Expression implementations) that may appear as values in
// serialized queries. Types are identified by package and type name, as
// models are.
func WithTypes(samples ...any) Option {
	return func(p *Plugin) {
		for _, s := range samples {
			p.registry.MustRegisterType(s)
		}
	}
}

// WithReferencer makes values that ref claims travel as references: Dumps
// writes ref.Reference(v)'s ID, and Loads calls Resolve on the referencer
// registered under the same name on the loading side (pickle's
// persistent_id/persistent_load).
func WithReferencer(name string, ref serializer.Referencer) Option {
	return func(p *Plugin) {
		if err := p.registry.RegisterReferencer(name, ref); err != nil {
			panic(err)
		}
	}
}

// Name returns "gormpickle". It implements gorm.Plugin.
func (p *Plugin) Name() string { return PluginName }

// Initialize installs the capture on db: gorm:query, gorm:row and gorm:raw
// are replaced by capture points that pass every statement but a Dumps
// capture on to the callback they replace (see package callbacks). It
// implements gorm.Plugin and is idempotent: processors that hold a capture
// point already are left alone, so calling it again, or installing one
// plugin on several DBs, is safe. Install it after plugins that replace
// gorm:query themselves (caching plugins do): replacing it removes the
// capture, and Dumps then fails with ErrNoPlugin saying so.
//
// It returns the first error of the plugin's options (an empty signing
// key, say, or a [WithRenamedFields] mapping that does not fit the
// registered models), so db.Use fails at setup instead of the plugin
// running misconfigured.
func (p *Plugin) Initialize(db *gorm.DB) error {
	if p.err != nil {
		return p.err
	}
	if err := codec.CheckRenamedFields(p.registry, db, p.options.RenamedFields); err != nil {
		return err
	}
	if err := capture.Register(db); err != nil {
		return fmt.Errorf("gormpickle: initialize: %w", err)
	}
	if p.shadow != nil {
		if err := capture.SetShadow(db, p.shadow.check); err != nil {
			return fmt.Errorf("gormpickle: initialize the shadow check: %w", err)
		}
	}
	return nil
}

// Registry returns the plugin's model and type registry.
func (p *Plugin) Registry() *serializer.Registry { return p.registry }

// pluginOf returns the gormpickle plugin installed on db.
func pluginOf(db *gorm.DB) (*Plugin, error) {
	if db == nil || db.Config == nil {
		return nil, fmt.Errorf("%w: nil *gorm.DB", ErrNoPlugin)
	}
	if p, ok := db.Config.Plugins[PluginName].(*Plugin); ok {
		return p, p.err // set only if the plugin was installed without db.Use
	}
	return nil, fmt.Errorf("%w: install it with db.Use(gormpickle.New(...))", ErrNoPlugin)
}
