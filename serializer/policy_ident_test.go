package serializer

import (
	"strings"
	"testing"
)

// TestIdentSegments pins the identifier grammar of the strict policy and
// its ASCII fast path against the general one.
func TestIdentSegments(t *testing.T) {
	long := strings.Repeat("a", maxIdentifier)
	for s, want := range map[string]int{
		"": 0, "a": 1, "users.name": 2, "s.t.c": 3, "$x_1": 1, "1a": 1,
		".": 0, ".a": 0, "a.": 0, "a..b": 0, "a b": 0, `a"b`: 0, "a`b": 0, "a'b": 0, "a;b": 0, "a-b": 0,
		"a(b)": 0, "[a]": 0, "\xff": 0, "a\x00": 0,
		"名前": 1, "テーブル.列": 2, "a.名前": 2, "名前.": 0, "名 前": 0, "a.b\xff": 0,
		long: 1, long + "a": 0, long + "." + long: 2, long + "a.b": 0, "b." + long + "a": 0,
		"名" + long: 0,
	} {
		if got := identSegments(s); got != want {
			t.Errorf("identSegments(%q) = %d, want %d", s, got, want)
		}
		single := want == 1
		if got := plainName(s); got != single {
			t.Errorf("plainName(%q) = %v, want %v", s, got, single)
		}
	}
}
