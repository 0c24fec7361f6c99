package tests

import (
	"slices"
	"strings"
)

// fzSQLProblem reports a statement that reads outside the policy: one that
// reads admin_tokens or fz_vaults (tables no allowed model has), or names
// the password column anywhere but as a plain item of the top-level select
// list, where GORM's own projection of an allowed model names it and
// checkCell watches its values. Password in a condition, an order, a
// group, a join or a subquery is a yes/no oracle on it even when no row
// shows it. Aliases that happen to spell these names are not reads.
func fzSQLProblem(sql string) string {
	toks := fzTokens(sql)
	inSelect := len(toks) > 0 && toks[0].is("select")
	for i, t := range toks {
		if t.kind == 'w' && t.depth == 0 && t.text == "from" {
			inSelect = false
		}
		if !t.name() || i+1 < len(toks) && toks[i+1].is(".") {
			continue // not a name, or a qualifier ("x".y)
		}
		prev := fzPrevious(toks, i)
		switch t.text {
		case "admin_tokens", "fz_vaults":
			if prev.is("from") || prev.is("join") || prev.is(",") || prev.is("into") || prev.is("update") {
				return "reads table " + t.text
			}
		case "password":
			alias := prev.is("as") || prev.name()
			if !alias && !(inSelect && t.depth == 0 && fzItemEnd(toks, i+1)) {
				return "names column password outside the select list"
			}
		}
	}
	return ""
}

// fzToken is a token of a statement: a quoted identifier ('i'), a bare
// word ('w') or a punctuation byte ('p'), with its parenthesis depth.
type fzToken struct {
	kind  byte
	text  string // lower-cased
	depth int
}

func (t fzToken) is(text string) bool { return t.kind != 'i' && t.text == text }

// name reports whether the token names something: a quoted identifier or
// a bare word that is not a keyword.
func (t fzToken) name() bool {
	return t.kind == 'i' || t.kind == 'w' && !slices.Contains(fzKeywords, t.text)
}

var fzKeywords = []string{"select", "from", "where", "and", "or", "not", "on", "join", "left", "right", "inner",
	"cross", "full", "outer", "order", "group", "by", "having", "limit", "offset", "union", "all", "as", "in",
	"like", "is", "null", "asc", "desc", "distinct", "case", "when", "then", "else", "end", "exists", "set",
	"values", "update", "into", "for", "returning", "between", "using", "count"}

// fzPrevious returns the token before toks[i] and its qualifiers ("a"."b"
// counts as one name), or an empty token.
func fzPrevious(toks []fzToken, i int) fzToken {
	for i >= 2 && toks[i-1].is(".") {
		i -= 2
	}
	if i == 0 {
		return fzToken{}
	}
	return toks[i-1]
}

// fzItemEnd reports whether a select-list item ends at toks[i]: a comma,
// AS, FROM or the end.
func fzItemEnd(toks []fzToken, i int) bool {
	return i == len(toks) || toks[i].is(",") || toks[i].is("as") || toks[i].is("from")
}

// fzTokens splits a statement into tokens; string literals are dropped.
func fzTokens(sql string) []fzToken {
	var toks []fzToken
	depth := 0
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '\'':
			i = fzClosing(sql, '\'', i+1)
		case c == '`' || c == '"' || c == '[':
			end := c
			if c == '[' {
				end = ']'
			}
			stop := fzClosing(sql, end, i+1)
			toks = append(toks, fzToken{'i', strings.ToLower(sql[i+1 : max(stop-1, i+1)]), depth})
			i = stop
		case fzWordByte(c):
			start := i
			for i < len(sql) && fzWordByte(sql[i]) {
				i++
			}
			toks = append(toks, fzToken{'w', strings.ToLower(sql[start:i]), depth})
		default:
			if c == ')' {
				depth--
			}
			toks = append(toks, fzToken{'p', string(c), depth})
			if c == '(' {
				depth++
			}
			i++
		}
	}
	return toks
}

// fzClosing returns the index after the quote that closes one opened
// before from (a doubled quote is an escaped one), or the end of the text.
func fzClosing(sql string, quote byte, from int) int {
	for i := from; i < len(sql); i++ {
		if sql[i] != quote {
			continue
		}
		if i+1 < len(sql) && sql[i+1] == quote && quote != ']' {
			i++
			continue
		}
		return i + 1
	}
	return len(sql)
}

func fzWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
