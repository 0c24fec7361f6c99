package cache

import (
	"bytes"
	"testing"
)

// TestDecodedEntries pins what the decoded-entry memo may serve: only the
// entry decoded from the very bytes stored under the same key.
func TestDecodedEntries(t *testing.T) {
	d := newDecodedEntries()
	raw := []byte("stored value")
	e := &entry{}
	d.put("k", raw, e)
	if got := d.get("k", raw); got != e {
		t.Fatalf("same slice: got %p, want %p", got, e)
	}
	if got := d.get("k", bytes.Clone(raw)); got != e {
		t.Fatalf("equal copy (a Redis reply): got %p, want %p", got, e)
	}
	if got := d.get("k", []byte("stored valuf")); got != nil {
		t.Fatal("other bytes under the same key were served the old entry")
	}
	if got := d.get("k", raw[:5]); got != nil {
		t.Fatal("a prefix of the bytes was served the entry")
	}
	if got := d.get("other", raw); got != nil {
		t.Fatal("another key was served the entry")
	}
	big := make([]byte, maxDecodedBytes+1)
	d.put("big", big, &entry{})
	if got := d.get("big", big); got != nil {
		t.Fatal("an entry over maxDecodedBytes was remembered")
	}
}
