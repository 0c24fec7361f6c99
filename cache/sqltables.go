package cache

import (
	"strings"
	"sync"
	"sync/atomic"
)

// sqlKind is what a statement does, as far as the cache is concerned.
type sqlKind uint8

const (
	// sqlRead reads tables and changes nothing: SELECT, WITH without a
	// data-modifying part, VALUES.
	sqlRead sqlKind = iota
	// sqlWrite may change rows or schema: its tables are invalidated.
	sqlWrite
	// sqlOther changes neither rows nor schema (transaction control,
	// SHOW, EXPLAIN, PRAGMA reads) and is not cached.
	sqlOther
)

// sqlInfo is what [classify] learns from one SQL text.
type sqlInfo struct {
	kind sqlKind
	// tables are the tables the statement names after FROM, JOIN, INTO,
	// UPDATE, TABLE, TRUNCATE and USING, lower-cased, without their schema.
	tables []string
	// unsure is set when the tables named could not be read with
	// certainty: a read is then not cached, a write invalidates the whole
	// namespace.
	unsure bool
	// readTables are tables and the namespace pseudo-table: what an entry
	// of a cacheable read records.
	readTables []string
}

// cacheable reports whether the statement is a read the cache may serve.
func (i sqlInfo) cacheable() bool { return i.kind == sqlRead && !i.unsure && len(i.tables) > 0 }

// classified memoizes classify by SQL text: a program sends few distinct
// texts (arguments are bound apart), and each is read once. Bounded:
// past maxClassified texts, new ones are read every time.
var (
	classified  sync.Map // string -> sqlInfo
	nClassified atomic.Int64
)

const maxClassified = 4096

// maxClassifiedLen bounds the texts kept (long generated SQL is read
// every time rather than kept).
const maxClassifiedLen = 4096

// classifyCached is classify through the memo. Its result is shared: do
// not modify its slices.
func classifyCached(sql string) sqlInfo {
	if v, ok := classified.Load(sql); ok {
		return v.(sqlInfo)
	}
	info := classify(sql)
	if info.cacheable() {
		info.readTables = append(info.tables[:len(info.tables):len(info.tables)], namespaceTable)
	}
	if len(sql) <= maxClassifiedLen && nClassified.Load() < maxClassified {
		if _, loaded := classified.LoadOrStore(sql, info); !loaded {
			nClassified.Add(1)
		}
	}
	return info
}

// token is one lexical unit of SQL text.
type token struct {
	text  string
	ident bool // a bare word or a quoted identifier
	quote bool // a quoted identifier (never a keyword)
}

// lexSQL splits SQL into tokens, skipping comments, string literals and
// whitespace. unsure is set for constructs whose extent depends on the
// dialect (backslashes in string literals, dollar quoting, '#'
// comments), after which the token stream cannot be trusted.
func lexSQL(s string) (toks []token, unsure bool) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return toks, true
			}
			i += end + 4
		case c == '#':
			return toks, true
		case c == '\'':
			n, ok := quoted(s[i:], '\'')
			if !ok || strings.IndexByte(s[i:i+n], '\\') >= 0 {
				return toks, true
			}
			i += n
		case c == '"' || c == '`' || c == '[':
			closing := c
			if c == '[' {
				closing = ']'
			}
			n, ok := quoted(s[i:], closing)
			if !ok {
				return toks, true
			}
			name := strings.ReplaceAll(s[i+1:i+n-1], string([]byte{closing, closing}), string(closing))
			toks = append(toks, token{text: name, ident: true, quote: true})
			i += n
		case c == '$':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == i+1 { // $$ or $tag$: dollar quoting
				return toks, true
			}
			toks = append(toks, token{text: s[i:j]})
			i = j
		case isWordByte(c):
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] == '$' || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			toks = append(toks, token{text: s[i:j], ident: !(c >= '0' && c <= '9')})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'E') {
				j++
			}
			toks = append(toks, token{text: s[i:j]})
			i = j
		default:
			toks = append(toks, token{text: s[i : i+1]})
			i++
		}
	}
	return toks, false
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

// quoted returns the length of the quoted run at the start of s, closing
// quote included; a doubled closing quote is part of the run.
func quoted(s string, closing byte) (int, bool) {
	for i := 1; i < len(s); i++ {
		if s[i] != closing {
			continue
		}
		if i+1 < len(s) && s[i+1] == closing {
			i++
			continue
		}
		return i + 1, true
	}
	return 0, false
}

// kw reports whether t is the bare keyword k (k upper-case).
func (t token) kw(k string) bool { return t.ident && !t.quote && strings.EqualFold(t.text, k) }

// classify reads what a SQL text does and which tables it names. It errs
// on the safe side: everything it cannot read is a write of unknown
// tables, or a read that is not cached.
func classify(sql string) sqlInfo {
	toks, unsure := lexSQL(sql)
	info := sqlInfo{unsure: unsure}
	if len(toks) == 0 {
		info.kind, info.unsure = sqlOther, true
		return info
	}
	info.kind = kindOf(toks)
	if info.kind == sqlOther {
		info.unsure = true
		return info
	}
	t := tableScan{toks: toks}
	t.scan(info.kind == sqlWrite)
	info.tables = t.tables
	info.unsure = info.unsure || t.unsure
	if info.kind == sqlWrite && len(t.tables) == 0 {
		info.unsure = true
	}
	return info
}

// kindOf classifies a statement by its leading keyword, looking inside
// reads for anything that writes.
func kindOf(toks []token) sqlKind {
	first := firstWord(toks)
	switch first {
	case "SELECT", "WITH", "VALUES", "TABLE":
		for i, t := range toks {
			switch {
			case t.kw("INSERT"), t.kw("UPDATE") && !(i > 0 && toks[i-1].kw("FOR")), t.kw("DELETE"), t.kw("MERGE"),
				t.kw("INTO"), t.kw("TRUNCATE"), t.kw("CALL"):
				return sqlWrite
			case t.text == ";" && i < len(toks)-1:
				return sqlWrite // several statements: treated as a write of unknown tables
			}
		}
		if locking(toks) {
			return sqlOther // its point is the lock it takes: never served from the cache
		}
		return sqlRead
	case "BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW", "DESCRIBE", "DESC", "EXPLAIN":
		if first == "EXPLAIN" && containsWord(toks, "ANALYZE") {
			return sqlWrite
		}
		if (first == "ROLLBACK" || first == "COMMIT" || first == "RELEASE" || first == "SAVEPOINT") && containsWord(toks, "PREPARED") {
			return sqlWrite
		}
		return sqlOther
	case "PRAGMA":
		for _, t := range toks {
			if t.text == "=" {
				return sqlWrite
			}
		}
		return sqlOther
	}
	return sqlWrite
}

// locking reports whether a read takes row locks: FOR UPDATE, FOR SHARE,
// FOR NO KEY UPDATE, FOR KEY SHARE, LOCK IN SHARE MODE.
func locking(toks []token) bool {
	for i := 0; i+1 < len(toks); i++ {
		next := toks[i+1]
		if toks[i].kw("FOR") && (next.kw("UPDATE") || next.kw("SHARE") || next.kw("NO") || next.kw("KEY")) {
			return true
		}
		if toks[i].kw("LOCK") && next.kw("IN") {
			return true
		}
	}
	return false
}

func firstWord(toks []token) string {
	for _, t := range toks {
		if t.text == "(" {
			continue
		}
		if t.ident && !t.quote {
			return strings.ToUpper(t.text)
		}
		return ""
	}
	return ""
}

func containsWord(toks []token, w string) bool {
	for _, t := range toks {
		if t.kw(w) {
			return true
		}
	}
	return false
}

// tableScan collects the tables a token stream names.
type tableScan struct {
	toks   []token
	tables []string
	unsure bool
	seen   map[string]bool
}

// scan walks every token; subqueries need no recursion, as their FROM
// and JOIN are found by the same walk.
func (s *tableScan) scan(write bool) {
	index := write && containsWord(s.toks, "INDEX")
	for i := 0; i < len(s.toks); i++ {
		t := s.toks[i]
		switch {
		case t.kw("FROM"), t.kw("JOIN"), t.kw("STRAIGHT_JOIN"):
			s.refList(i+1, t.kw("FROM"), true)
		case i == 0 && t.kw("TABLE"):
			s.refList(i+1, false, true)
		case !write:
			continue
		case t.kw("INTO"), t.kw("UPDATE"), t.kw("TABLE"), t.kw("TRUNCATE"), t.kw("USING"), index && t.kw("ON"):
			s.refList(i+1, true, false)
		}
	}
}

// reserved words that end a table reference rather than alias it.
var reserved = map[string]bool{
	"WHERE": true, "JOIN": true, "INNER": true, "LEFT": true, "RIGHT": true, "FULL": true, "CROSS": true,
	"NATURAL": true, "OUTER": true, "ON": true, "USING": true, "GROUP": true, "ORDER": true, "LIMIT": true,
	"OFFSET": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "HAVING": true, "WINDOW": true,
	"FOR": true, "SET": true, "VALUES": true, "SELECT": true, "RETURNING": true, "LOCK": true, "FETCH": true,
	"WITH": true, "STRAIGHT_JOIN": true, "FORCE": true, "USE": true, "IGNORE": true, "PARTITION": true,
	"DEFAULT": true, "WHEN": true, "THEN": true, "TABLESAMPLE": true, "AS": true, "IF": true, "ONLY": true,
	"DO": true, "DUPLICATE": true, "ADD": true, "DROP": true, "ALTER": true, "RENAME": true, "MODIFY": true,
	"CHANGE": true, "CASCADE": true, "RESTRICT": true, "OVERRIDING": true, "SELECT_": true, "LATERAL": true,
	"KEY": true, "TO": true, "LOW_PRIORITY": true, "HIGH_PRIORITY": true, "DELAYED": true, "QUICK": true,
}

// refList reads the table references from toks[i]: a name, an optional
// alias, and more after commas when list is set. A parenthesis or a
// function call where a table would be is unsure when strict.
func (s *tableScan) refList(i int, list, strict bool) {
	for i < len(s.toks) {
		for i < len(s.toks) && (s.toks[i].kw("ONLY") || s.toks[i].kw("IF") || s.toks[i].kw("NOT") ||
			s.toks[i].kw("EXISTS") || s.toks[i].kw("TABLE") || s.toks[i].kw("LOW_PRIORITY") || s.toks[i].kw("IGNORE") ||
			s.toks[i].kw("QUICK")) {
			i++
		}
		if i >= len(s.toks) {
			s.unsure = s.unsure || strict
			return
		}
		t := s.toks[i]
		if t.text == "(" {
			if i+1 < len(s.toks) && (s.toks[i+1].kw("SELECT") || s.toks[i+1].kw("WITH") || s.toks[i+1].kw("VALUES")) {
				return // a subquery: its own FROM is scanned
			}
			s.unsure = s.unsure || strict
			return
		}
		if !t.ident || (!t.quote && reserved[strings.ToUpper(t.text)]) {
			s.unsure = s.unsure || (strict && !t.ident)
			return
		}
		i = s.name(i, strict)
		if i < 0 {
			return
		}
		i = skipAlias(s.toks, i)
		if !list || i >= len(s.toks) || s.toks[i].text != "," {
			return
		}
		i++
	}
}

// name reads a possibly qualified name at toks[i] and records it. It
// returns the index after it, or -1 when it is a function call.
func (s *tableScan) name(i int, strict bool) int {
	parts := []token{s.toks[i]}
	i++
	for i+1 < len(s.toks) && s.toks[i].text == "." && s.toks[i+1].ident {
		parts = append(parts, s.toks[i+1])
		i += 2
	}
	if strict && i < len(s.toks) && s.toks[i].text == "(" {
		s.unsure = true // a table function: what it reads is unknown
		return -1
	}
	last := strings.ToLower(parts[len(parts)-1].text)
	if catalogName(parts) {
		s.unsure = true // schema changes do not announce themselves here
	}
	s.add(last)
	return i
}

// catalogName reports whether a name is one of the databases' catalogs,
// which change without a write the cache sees.
func catalogName(parts []token) bool {
	for _, p := range parts {
		l := strings.ToLower(p.text)
		switch l {
		case "information_schema", "pg_catalog", "mysql", "performance_schema", "sys", "sqlite_master", "sqlite_schema",
			"sqlite_temp_master", "dual":
			return true
		}
		if strings.HasPrefix(l, "pg_") || strings.HasPrefix(l, "sqlite_") {
			return true
		}
	}
	return false
}

func (s *tableScan) add(name string) {
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if !s.seen[name] {
		s.seen[name] = true
		s.tables = append(s.tables, name)
	}
}

// skipAlias skips "[AS] alias" after a table name.
func skipAlias(toks []token, i int) int {
	if i < len(toks) && toks[i].kw("AS") {
		i++
	}
	if i < len(toks) && toks[i].ident && (toks[i].quote || !reserved[strings.ToUpper(toks[i].text)]) {
		i++
	}
	return i
}
