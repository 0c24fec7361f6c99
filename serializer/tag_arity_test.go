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
