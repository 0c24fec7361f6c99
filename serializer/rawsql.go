package serializer

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// rawSyntax is what the lexer of raw SQL must know of the dialect that
// wrote it: how it quotes identifiers and which string and comment forms
// it has, so that nothing inside a string literal or comment is taken for
// an identifier or a bind variable.
type rawSyntax struct {
	open, close byte // identifier quotes, as the dialect's QuoteTo writes them
	backslash   bool // MySQL: '...' and "..." are strings with backslash escapes; # comments
	postgres    bool // PostgreSQL: E'...' strings, $tag$...$tag$ strings, nested /* */ comments
	sqlite      bool // SQLite: "..." and [...] are identifiers of their own
}

// rawSyntaxOf asks the dialector how it quotes a name (the characters
// around a probe name), and takes the string forms from its name. ok is
// false for a dialect that quotes some other way.
func rawSyntaxOf(d gorm.Dialector) (s rawSyntax, ok bool) {
	var b strings.Builder
	d.QuoteTo(&b, "x")
	q := b.String()
	if len(q) != 3 || q[1] != 'x' || q[0] == 'x' || q[2] == 'x' {
		return s, false
	}
	s.open, s.close = q[0], q[2]
	switch d.Name() {
	case "mysql":
		s.backslash = true
	case "postgres":
		s.postgres = true
	case "sqlite":
		s.sqlite = true
	}
	return s, true
}

// rawSlot is what one '?' of rewritten raw SQL stands for, in order.
type rawSlot struct {
	bind  int    // index of the statement var, or -1
	table string // for an identifier: its qualifier ("" for none)
	name  string // for an identifier: its name
	text  string // for a '?'-holding span kept as SQL: its text
}

// isIdent reports whether the slot stands for a quoted identifier.
func (s rawSlot) isIdent() bool { return s.bind < 0 && s.name != "" }

// rawRewrite is raw SQL in portable form: bind variables and the source
// dialect's quoted identifiers turned into '?', with what each stands for.
type rawRewrite struct {
	sql   string
	slots []rawSlot
	// unbound counts the statement vars no bind variable of the text
	// stands for (GORM appends vars left over by an expression without
	// writing one); they follow the slots.
	unbound int
}

// rawEvent is one span of the source text the rewrite replaces.
type rawEvent struct {
	start, end int
	slot       rawSlot
	question   bool // a span holding '?' that is not a placeholder
}

// rewrite lexes sql, written by a dialect of syntax s whose bind variables
// for the statement's vars are binds (in order), and returns it with every
// bind variable and quoted identifier turned into a '?'. Spans holding a
// '?' that stands for nothing (inside a string, a comment, an operator)
// and that precede a placeholder become placeholders of their own text, so
// that the '?' is not taken for one when the SQL is built again. A quoted
// identifier another dialect could not quote back to the same name is an
// *UnsupportedTypeError.
func (s rawSyntax) rewrite(sql string, binds []string) (rawRewrite, error) {
	events, bound, err := s.lex(sql, binds)
	if err != nil {
		return rawRewrite{}, err
	}
	last := -1 // the last placeholder event
	for i, ev := range events {
		if !ev.question {
			last = i
		}
	}
	var b strings.Builder
	b.Grow(len(sql))
	out := rawRewrite{unbound: len(binds) - bound}
	prev := 0
	for i, ev := range events {
		if ev.question && i > last {
			continue
		}
		b.WriteString(sql[prev:ev.start])
		b.WriteByte('?')
		prev = ev.end
		out.slots = append(out.slots, ev.slot)
	}
	b.WriteString(sql[prev:])
	out.sql = b.String()
	return out, nil
}

// lex finds the events of sql in order, and how many binds it matched.
func (s rawSyntax) lex(sql string, binds []string) (events []rawEvent, bound int, err error) {
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case bound < len(binds) && matchBind(sql, i, binds[bound]):
			end := i + len(binds[bound])
			events = append(events, rawEvent{start: i, end: end, slot: rawSlot{bind: bound}})
			bound++
			i = end
		case c == s.open:
			ev, end, err := s.identifier(sql, i)
			if err != nil {
				return nil, 0, err
			}
			events = append(events, ev)
			i = end
		case c == '?':
			events = append(events, rawEvent{start: i, end: i + 1, slot: rawSlot{bind: -1, text: "?"}, question: true})
			i++
		default:
			end := s.skip(sql, i)
			if end == i {
				i++
				continue
			}
			if span := sql[i:end]; strings.IndexByte(span, '?') >= 0 {
				events = append(events, rawEvent{start: i, end: end, slot: rawSlot{bind: -1, text: span}, question: true})
			}
			i = end
		}
	}
	return events, bound, nil
}

// matchBind reports whether bind variable b starts at sql[i:]: not the
// head of a longer number ($1 in $12) or name.
func matchBind(sql string, i int, b string) bool {
	if !strings.HasPrefix(sql[i:], b) {
		return false
	}
	if b == "?" {
		return true
	}
	end := i + len(b)
	return (i == 0 || !identByte(sql[i-1])) && (end == len(sql) || !identByte(sql[end]))
}

// identByte reports whether c may continue an unquoted identifier or
// number.
func identByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// identifier reads the quoted identifier at sql[i] (a qualified pair
// "a"."b" as one) and returns its event and end.
func (s rawSyntax) identifier(sql string, i int) (rawEvent, int, error) {
	name, end, err := s.quoted(sql, i)
	if err != nil {
		return rawEvent{}, 0, err
	}
	slot := rawSlot{bind: -1, name: name}
	if end+1 < len(sql) && sql[end] == '.' && sql[end+1] == s.open {
		second, end2, err := s.quoted(sql, end+1)
		if err != nil {
			return rawEvent{}, 0, err
		}
		slot.table, slot.name, end = name, second, end2
	}
	// PostgreSQL's U&"..." takes escapes in the name: not a plain name.
	if s.postgres && i >= 2 && sql[i-1] == '&' && (sql[i-2] == 'U' || sql[i-2] == 'u') {
		return rawEvent{}, 0, unportableIdent(sql[i:end], "a Unicode-escaped name")
	}
	return rawEvent{start: i, end: end, slot: slot}, end, nil
}

// quoted reads the identifier quoted with the source's quotes at sql[i]:
// its name, unescaped (a doubled closing quote is one), and its end. A name
// the target's QuoteTo would not write back as the same one name is
// refused.
func (s rawSyntax) quoted(sql string, i int) (string, int, error) {
	var b []byte
	start := i + 1
	for j := start; j < len(sql); j++ {
		if sql[j] != s.close {
			continue
		}
		if j+1 < len(sql) && sql[j+1] == s.close {
			b = append(b, sql[start:j+1]...)
			start = j + 2
			j++
			continue
		}
		name := sql[start:j]
		if b != nil {
			name = string(append(b, name...))
		}
		if reason := unportableName(name); reason != "" {
			return "", 0, unportableIdent(sql[i:j+1], reason)
		}
		return name, j + 1, nil
	}
	return "", 0, unportableIdent(sql[i:], "the quoted identifier is not closed")
}

// unportableName says why GORM's dialects could not quote name back as
// the one name it is, or "" when they can: they split names at dots, treat
// quotes inside them as quoting, and give some names a meaning of their own.
func unportableName(name string) string {
	switch {
	case name == "":
		return "an empty name"
	case strings.ContainsAny(name, ".\"`[]"):
		return "the name holds a dot, a quote or a bracket"
	case name == clause.CurrentTable || name == clause.PrimaryKey || name == clause.Associations:
		return "the name is one GORM reserves"
	}
	return ""
}

// unportableIdent is the error for a quoted identifier that cannot travel.
func unportableIdent(quoted, reason string) error {
	return &UnsupportedTypeError{Type: "raw SQL", Where: "Raw",
		Reason: fmt.Sprintf("quoted identifier %s cannot be quoted for another dialect (%s); write it without the dialect's quotes or use GORM's chain methods", quoted, reason)}
}

// skip returns the end of the string literal, comment or other-quoted name
// starting at sql[i], or i when none starts there.
func (s rawSyntax) skip(sql string, i int) int {
	c := sql[i]
	switch {
	case c == '\'':
		return s.literal(sql, i, '\'', s.backslash || s.postgres && escapeString(sql, i))
	case c == '"' || c == '`' && !s.postgres:
		// The source's own quote was taken before; the other one quotes
		// a string in MySQL, a name in SQLite.
		return s.literal(sql, i, c, s.backslash && c == '"')
	case c == '[' && s.sqlite:
		if j := strings.IndexByte(sql[i+1:], ']'); j >= 0 {
			return i + j + 2
		}
		return len(sql)
	case c == '-' && strings.HasPrefix(sql[i:], "--") && (!s.backslash || i+2 == len(sql) || sql[i+2] <= ' '),
		c == '#' && s.backslash:
		if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
			return i + j
		}
		return len(sql)
	case c == '/' && strings.HasPrefix(sql[i:], "/*"):
		return s.blockComment(sql, i)
	case c == '$' && s.postgres:
		return dollarQuoted(sql, i)
	}
	return i
}

// literal returns the end of the text quoted with q at sql[i]: a doubled
// q is one, and with backslash a backslash escapes the next byte.
func (s rawSyntax) literal(sql string, i int, q byte, backslash bool) int {
	for j := i + 1; j < len(sql); j++ {
		switch sql[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(sql)
}

// escapeString reports whether the string at sql[i] is PostgreSQL's
// E'...', which takes backslash escapes.
func escapeString(sql string, i int) bool {
	return i >= 1 && (sql[i-1] == 'E' || sql[i-1] == 'e') && (i == 1 || !identByte(sql[i-2]))
}

// blockComment returns the end of the /* */ comment at sql[i]; PostgreSQL's
// nest.
func (s rawSyntax) blockComment(sql string, i int) int {
	depth := 0
	for j := i; j+1 < len(sql); j++ {
		switch {
		case sql[j] == '/' && sql[j+1] == '*':
			if depth == 0 || s.postgres {
				depth++
			}
			j++
		case sql[j] == '*' && sql[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(sql)
}

// dollarQuoted returns the end of PostgreSQL's $tag$...$tag$ string at
// sql[i], or i when none starts there ($1, a name holding $).
func dollarQuoted(sql string, i int) int {
	if i > 0 && identByte(sql[i-1]) {
		return i
	}
	j := i + 1
	for j < len(sql) && sql[j] != '$' {
		if c := sql[j]; !identByte(c) || c == '$' || (j == i+1 && '0' <= c && c <= '9') {
			return i
		}
		j++
	}
	if j == len(sql) {
		return i
	}
	tag := sql[i : j+1]
	if k := strings.Index(sql[j+1:], tag); k >= 0 {
		return j + 1 + k + len(tag)
	}
	return len(sql)
}
