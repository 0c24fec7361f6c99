package serializer

import (
	"testing"
	"unsafe"
)

// TestFrameSizeClass: a restored chain's DB, statement and first short
// lists share one allocation (frame), sized to stay in Go's 576-byte size
// class once the runtime adds the 8-byte header it gives objects over 512
// bytes that hold pointers (docs/performance.md). A field GORM adds to
// gorm.Statement, or one added here, that pushes it into the next class
// costs every Loads 64 bytes; this says so instead of letting it pass.
func TestFrameSizeClass(t *testing.T) {
	const sizeClass, mallocHeader = 576, 8
	if n := unsafe.Sizeof(frame{}) + mallocHeader; n > sizeClass {
		t.Errorf("frame takes %d bytes with its header, over the %d-byte size class: shrink frame.lists (maxSlabList) or update docs/performance.md", n, sizeClass)
	}
}
