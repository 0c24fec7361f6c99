package serializer

import "fmt"

// The load policy. Every slot of a payload that can reach SQL text passes
// through one of the checks in policy*.go (docs/security.md lists the slots).
// Under the strict policy (Options.strict: WithoutRawSQL or an allow-list)
// identifiers must be field references or plain names, and every table and
// column must belong to an allowed model. The bounds on relation paths and
// on identifier expansion hold in every mode.

// PolicyError reports a payload slot the load policy refuses. It unwraps to
// [ErrRawSQL] (text GORM would write into SQL as it is), [ErrNotAllowed]
// (a model, table or field outside the allow-lists) or [ErrLimit].
type PolicyError struct {
	Slot   string // the slot, as docs/security.md names it: "column alias", "Joins", ...
	Value  string // the refused text, shortened to 60 bytes
	Reason string
	Err    error
}

// Error names the sentinel, the slot, the value and the reason.
func (e *PolicyError) Error() string {
	msg := fmt.Sprintf("%v: %s %q", e.Err, e.Slot, e.Value)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns the sentinel.
func (e *PolicyError) Unwrap() error { return e.Err }

func refuse(sentinel error, slot, value, reason string) error {
	if len(value) > 60 {
		value = value[:60] + "..."
	}
	return &PolicyError{Slot: slot, Value: value, Reason: reason, Err: sentinel}
}

// rawRefused refuses text GORM would write into SQL as it is.
func (d *decoder) rawRefused(slot, sql string) error { return refuse(ErrRawSQL, slot, sql, "") }
