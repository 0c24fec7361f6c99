package serializer

import (
	"strings"
	"unicode"
)

// maxIdentifier is the longest identifier the strict policy accepts: the
// longest any of the three databases allows (MySQL, 64).
const maxIdentifier = 64

// plainIdentifier reports whether s is one or more dot-separated plain
// names (a qualified name, "table.column"): what every dialect's quoting
// writes intact. GORM's quoting splits on '.' and leaves quotes unbalanced
// for empty segments and for names that hold a quote, so nothing else may
// reach it from a payload.
func plainIdentifier(s string) bool { return identSegments(s) > 0 }

// identSegments returns how many plain names s is made of, or 0 if it is
// no plain identifier.
func identSegments(s string) int {
	// One pass that stops at the first byte no name holds: raw SQL
	// (a join's "JOIN x ON ...") is told apart within a few bytes.
	start, segs := 0, 1
	for i := 0; i < len(s); i++ {
		switch identBytes[s[i]] {
		case nameChar:
		case dotChar:
			if i == start || i-start > maxIdentifier {
				return 0
			}
			start = i + 1
			segs++
		case otherLetter:
			return plainUnicodeIdentifier(s, segs)
		default:
			return 0
		}
	}
	if len(s) == start || len(s)-start > maxIdentifier {
		return 0
	}
	return segs
}

// identBytes classes the bytes of an identifier, for plainIdentifier.
var identBytes = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case nameByte(byte(c)):
			t[c] = nameChar
		case c == '.':
			t[c] = dotChar
		case c >= 0x80:
			t[c] = otherLetter // perhaps: UTF-8 is decoded to tell
		}
	}
	return t
}()

const (
	nameChar = 1 + iota
	dotChar
	otherLetter
)

// plainUnicodeIdentifier is identSegments for names holding other
// letters, whose first segs-1 segments were checked.
func plainUnicodeIdentifier(s string, segs int) int {
	n := 0
	for seg := range strings.SplitSeq(s, ".") {
		if n++; n >= segs && !plainName(seg) {
			return 0
		}
	}
	return n
}

// plainName reports whether s is one name of letters, digits, '_' and '$',
// at most maxIdentifier bytes.
func plainName(s string) bool {
	if s == "" || len(s) > maxIdentifier {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 {
			return plainUnicodeName(s[i:]) // the ASCII fast path ends here
		} else if !nameByte(c) {
			return false
		}
	}
	return true
}

func nameByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// plainUnicodeName is plainName for a name holding other letters.
func plainUnicodeName(s string) bool {
	for _, r := range s {
		if !(r < 0x80 && nameByte(byte(r)) || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// checkIdent refuses, under the strict policy, a name that is not a plain
// identifier.
func (d *decoder) checkIdent(slot, name string) error {
	if d.strict && !plainIdentifier(name) {
		return refuse(ErrRawSQL, slot, name, "not a plain identifier")
	}
	return nil
}

// checkAlias refuses, under the strict policy, an alias that is not one
// plain name: an alias is never qualified, and GORM would write a dotted
// one as two quoted names.
func (d *decoder) checkAlias(slot, name string) error {
	if d.strict && !plainName(name) {
		return refuse(ErrRawSQL, slot, name, "not a plain name")
	}
	return nil
}
