package tests

import (
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
)

// What the exhaustive identifier test expects of a name a slot accepts:
// GORM's rendering of the slot's placeholder, with the name in its place,
// quoted intact.

// identQuote is the quote character of db's dialect.
func identQuote(db *gorm.DB) byte {
	var b strings.Builder
	db.Dialector.QuoteTo(&b, "a")
	return b.String()[0]
}

// verifier says what is wrong with the rendering of an accepted name, or
// "".
type verifier func(name string, got rendering) string

// expect returns the slot's verifier. An accepted name must render as the
// placeholder does, with the placeholder replaced by the name quoted as the
// dialect quotes one identifier (or, in a qualified slot, each
// dot-separated part), embedded quotes doubled; a name that cannot be
// written so (an empty part, a dot in an unqualified slot) must be
// refused. The empty name may also stand for no name at all (no alias, no
// qualifier), so it only has to leave every quote balanced and no empty
// identifier.
func (s identSlot) expect(t *testing.T, reference *gorm.DB, quote byte) verifier {
	t.Helper()
	q, err := gormpickle.Loads(s.payload(s.placeholder), reference)
	if err != nil {
		t.Fatalf("the placeholder payload does not load: %v", err)
	}
	base := renderDry(q)
	if base.err != nil {
		t.Fatalf("the placeholder payload does not render: %v", base.err)
	}
	return func(name string, got rendering) string {
		if got.err != nil {
			return fmt.Sprintf("accepted, and rendering fails: %v", got.err)
		}
		if name == "" {
			if !cleanIdents(got.sql, quote) {
				return "accepted and rendered with an empty or unbalanced quoted name: " + got.sql
			}
			return ""
		}
		wants, ok := s.renderings(base, name, quote)
		if !ok {
			return fmt.Sprintf("accepted although no quoting writes it intact: rendered %s %s", got.sql, got.vars)
		}
		for _, w := range wants {
			if got == w {
				return ""
			}
		}
		return fmt.Sprintf("accepted and rendered\n  %s %s\nwant\n  %s %s", got.sql, got.vars, wants[0].sql, wants[0].vars)
	}
}

// renderings are the renderings the slot may give name, derived from the
// placeholder's rendering base; ok is false when name cannot be written
// intact.
func (s identSlot) renderings(base rendering, name string, quote byte) (wants []rendering, ok bool) {
	if !s.qualified {
		if strings.Contains(name, ".") {
			return nil, false
		}
		return []rendering{{sql: replaceInIdents(base.sql, s.placeholder, name, quote), vars: base.vars}}, true
	}
	quoted, ok := quoteQualified(name, quote)
	if !ok {
		return nil, false
	}
	qph := quoteIdent(s.placeholder, quote)
	for i := 0; i+len(qph) <= len(base.sql); i++ {
		if base.sql[i:i+len(qph)] == qph {
			wants = append(wants, rendering{sql: base.sql[:i] + quoted + base.sql[i+len(qph):], vars: base.vars})
		}
	}
	if len(wants) == 0 { // the dialect leaves the slot out (SQLite has no row locks)
		wants = append(wants, base)
	}
	return wants, true
}

// cleanIdents reports whether every quoted identifier of sql is closed and
// not empty.
func cleanIdents(sql string, quote byte) bool {
	for i := 0; i < len(sql); i++ {
		if sql[i] != quote {
			continue
		}
		end := strings.IndexByte(sql[i+1:], quote)
		if end <= 0 {
			return false
		}
		i += 1 + end
	}
	return true
}

// quoteIdent quotes one identifier, doubling embedded quotes.
func quoteIdent(s string, quote byte) string {
	q := string(quote)
	return q + strings.ReplaceAll(s, q, q+q) + q
}

// quoteQualified quotes each dot-separated part; an empty part cannot be
// written intact.
func quoteQualified(s string, quote byte) (string, bool) {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		if p == "" {
			return "", false
		}
		parts[i] = quoteIdent(p, quote)
	}
	return strings.Join(parts, "."), true
}

// replaceInIdents rewrites every quoted identifier of sql that holds
// placeholder with name in its place, re-quoted (GORM builds join column
// aliases as alias__column).
func replaceInIdents(sql, placeholder, name string, quote byte) string {
	var out strings.Builder
	for i := 0; i < len(sql); i++ {
		if sql[i] != quote {
			out.WriteByte(sql[i])
			continue
		}
		end := i + 1
		for end < len(sql) && sql[end] != quote {
			end++
		}
		ident := sql[i+1 : end]
		if strings.Contains(ident, placeholder) {
			out.WriteString(quoteIdent(strings.ReplaceAll(ident, placeholder, name), quote))
		} else {
			out.WriteString(sql[i : end+1])
		}
		i = end
	}
	return out.String()
}
