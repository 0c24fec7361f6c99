package gormpickle

import (
	"database/sql/driver"
	"testing"
	"time"
)

type cents int64

type money struct{ v int64 }

func (m money) Value() (driver.Value, error) { return m.v, nil }

type label string

func TestSameVarComparesWhatTheDriverIsSent(t *testing.T) {
	instant := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	paris := time.FixedZone("CET", 3600)
	seven := 7
	now := time.Now() // with a monotonic reading, which drivers never see
	tests := []struct {
		name string
		a, b any
		same bool
	}{
		{"int widths", int(7), int64(7), true},
		{"named int", cents(7), int64(7), true},
		{"uint", uint8(7), int64(7), true},
		{"other int", 7, 8, false},
		{"float widths", float32(1.5), 1.5, true},
		{"named string", label("ed"), "ed", true},
		{"string vs int", "7", 7, false},
		{"pointer", &seven, 7, true},
		{"nil pointer", (*int)(nil), nil, true},
		{"valuer", money{5}, int64(5), true},
		{"valuer differs", money{5}, int64(6), false},
		{"bytes by content", []byte("ab"), []byte("ab"), true},
		{"bytes differ", []byte("ab"), []byte("ac"), false},
		{"bytes vs string", []byte("ab"), "ab", false},
		{"time same instant and offset", instant, instant.In(time.FixedZone("Z", 0)), true},
		{"time same instant, other offset", instant, instant.In(paris), false},
		{"time monotonic reading ignored", now, now.Round(0), true},
		{"time other instant", instant, instant.Add(time.Second), false},
		{"slices element by element", []any{cents(1), "a"}, []any{int64(1), label("a")}, true},
		{"slices of other lengths", []int{1}, []int{1, 2}, false},
		{"nil", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameVar(tt.a, tt.b, 0); got != tt.same {
				t.Fatalf("sameVar(%#v, %#v) = %v, want %v", tt.a, tt.b, got, tt.same)
			}
		})
	}
}

func TestFirstDifferentVar(t *testing.T) {
	tests := []struct {
		a, b []any
		want int
	}{
		{[]any{1, "a"}, []any{int64(1), "a"}, -1},
		{[]any{1, "a"}, []any{1, "b"}, 1},
		{[]any{1}, []any{1, 2}, 1},
		{nil, nil, -1},
	}
	for _, tt := range tests {
		if got := firstDifferentVar(tt.a, tt.b); got != tt.want {
			t.Errorf("firstDifferentVar(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
