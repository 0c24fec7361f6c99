// Package shadowtest installs gormpickle in the project's own tests, with
// the shadow check on when the environment asks for it: with
// GORMPICKLE_SHADOW=1 every statement a test runs is also dumped, loaded
// and rendered, and a statement that does not come back as it was fails
// the test that installed the plugin, printing the statement and both SQL
// texts. .ci/run runs the whole suite so.
//
// Statements that cannot travel (gormpickle.DivergenceUnsupported: values
// of unregistered types, models the test did not register, payloads over
// the test's limits) are loud refusals of Dumps or Loads, not fidelity
// bugs, and tests run such statements on purpose: they do not fail
// (GORMPICKLE_SHADOW_LOG=1 prints them to standard error).
package shadowtest

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/gormpickle/gormpickle"
)

// Env is the environment variable that turns the shadow check on ("1").
const Env = "GORMPICKLE_SHADOW"

// LogEnv is the environment variable that makes the check print the
// statements that cannot travel ("1").
const LogEnv = "GORMPICKLE_SHADOW_LOG"

// Enabled reports whether Env asks for the shadow check.
func Enabled() bool { return os.Getenv(Env) == "1" }

// New returns gormpickle.New(opts...), with the shadow check reporting to
// t added when [Enabled]. t may be nil (examples, fuzz targets sharing one
// DB): a divergence then panics, which fails the package.
func New(t testing.TB, opts ...gormpickle.Option) *gormpickle.Plugin {
	return gormpickle.New(Options(t, opts...)...)
}

// Options returns opts, plus the shadow check reporting to t when
// [Enabled] (see [New]).
func Options(t testing.TB, opts ...gormpickle.Option) []gormpickle.Option {
	if !Enabled() {
		return opts
	}
	out := append([]gormpickle.Option(nil), opts...)
	return append(out, gormpickle.WithShadowCheck(Reporter(t)))
}

// Reporter returns a report function for gormpickle.WithShadowCheck that
// fails t on every divergence but DivergenceUnsupported. After t has
// ended (a DB outliving its test), or with a nil t, it panics instead, so
// that the divergence still fails the package.
func Reporter(t testing.TB) func(gormpickle.Divergence) {
	var ended atomic.Bool
	if t != nil {
		t.Cleanup(func() { ended.Store(true) })
	}
	return func(d gormpickle.Divergence) {
		if d.Kind == gormpickle.DivergenceUnsupported {
			if os.Getenv(LogEnv) == "1" {
				fmt.Fprintf(os.Stderr, "%s\n", d)
			}
			return
		}
		if t == nil || ended.Load() {
			panic(d.String())
		}
		t.Errorf("%s", d)
	}
}
