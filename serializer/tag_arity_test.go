package serializer

import "testing"

// TestTagFitsMatchesArity: the precomputed bounds allow exactly the
// element counts tagArity and tagMaxArity describe.
func TestTagFitsMatchesArity(t *testing.T) {
	for tag := int64(-1); tag <= tagCount; tag++ {
		for n := 0; n <= 12; n++ {
			want := tag > 0 && tag < tagCount
			if want {
				arity := tagArity[tag]
				want = !(arity > 0 && n != arity || arity < 0 && n < -arity || tagMaxArity[tag] > 0 && n > tagMaxArity[tag])
			}
			if got := tagFits(tag, n); got != want {
				t.Errorf("tagFits(%d, %d) = %v, want %v", tag, n, got, want)
			}
		}
	}
}

// TestPreloadTxTagNumbers pins the value tags tests/preload_context_test.go
// writes into hand-built payloads: a tag's number is part of the format.
func TestPreloadTxTagNumbers(t *testing.T) {
	if tSubquery != 19 || tPreloadFunc != 20 || tPreloadTx != 57 || tagArity[tPreloadTx] != 2 {
		t.Fatalf("tSubquery = %d, tPreloadFunc = %d, tPreloadTx = %d (arity %d); want 19, 20, 57 (arity 2)",
			tSubquery, tPreloadFunc, tPreloadTx, tagArity[tPreloadTx])
	}
}
