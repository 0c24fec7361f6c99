package tests

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// Class 7 of issue #14, memory: what one payload makes the process keep or
// allocate must not grow with what payloads name.

// heapAfterGC is the live heap once garbage is collected.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// retained is the heap still held after loading payload(i) for i in
// [n, 2n), once payload(i) for i in [0, n) has filled whatever bounded
// caches the first payloads may fill: what each further distinct payload
// leaves behind for good (cache entries, runtime type descriptors).
func retained(t *testing.T, db *gorm.DB, n int, payload func(i int) []byte) int64 {
	t.Helper()
	load := func(from int) {
		for i := from; i < from+n; i++ {
			_, _ = secLoads(t, payload(i), db)
		}
	}
	load(0)
	before := heapAfterGC()
	load(n)
	return int64(heapAfterGC()) - int64(before)
}

// arrayTypes gives each payload a distinct array type: an empty slice of
// [20000+i]T, T the run-th integer type (code 3 on), so that runs do not
// share types.
func arrayTypes(run int) func(i int) []byte {
	return func(i int) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseWhere, pWhere(pEq(pField("ID"),
			pTag(tagSlice, pArr(pInt(2), pInt(int64(20000+i)), pInt(int64(3+run))))))))))
	}
}

// zones gives each payload a distinct time zone name.
func zones(run int) func(i int) []byte {
	return func(i int) []byte {
		return secPayload(pStmt(eModel("user"), eClauses(pClause(clauseWhere, pWhere(pEq(pField("ID"),
			pTag(12, pInt(0), pInt(0), pStr(fmt.Sprintf("Sec/Zone%d_%06d", run, i)), pStr("SZ"), pInt(3600))))))))
	}
}

// TestSecurityRetainedMemory: after 5000 payloads naming distinct types or
// time zones, 5000 more leave at most 64 KiB behind.
func TestSecurityRetainedMemory(t *testing.T) {
	const n, most = 5000, 64 << 10
	e := secSetup(t, dbtest.Open(t, dbtest.SQLite))
	for name, payloads := range map[string]func(run int) func(int) []byte{"array types": arrayTypes, "time zones": zones} {
		for run, p := range e.everyPolicy() {
			t.Run(name+"/"+p.name, func(t *testing.T) {
				if kept := retained(t, p.db, n, payloads(run)); kept > most {
					t.Errorf("%d payloads with distinct %s keep %d bytes (%d per payload)", n, name, kept, kept/n)
				}
			})
		}
	}
}

// TestSecurityPreallocation: a short payload declaring a slice of 32
// elements of 512 KiB each, which its 32 nil bytes cannot fill, must not
// make Loads allocate megabytes before refusing it.
func TestSecurityPreallocation(t *testing.T) {
	items := []pv{pArr(pInt(2), pInt(1<<16), pInt(6))} // [65536]int64
	for range 32 {
		items = append(items, pNil)
	}
	data := secPayload(pStmt(eModel("user"), eClauses(pClause(clauseWhere, pWhere(pEq(pField("ID"), pTag(tagSlice, items...)))))))
	e := secSetup(t, dbtest.Open(t, dbtest.SQLite))
	for _, p := range e.everyPolicy() {
		t.Run(p.name, func(t *testing.T) {
			// TotalAlloc counts every goroutine's allocations: goroutines
			// earlier tests left running (connection pools, a result
			// cache's maintenance) can allocate during one measurement, not
			// during all three, so the smallest is Loads's own.
			n := uint64(math.MaxUint64)
			for range 3 {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				_, _ = secLoads(t, data, p.db)
				runtime.ReadMemStats(&after)
				n = min(n, after.TotalAlloc-before.TotalAlloc)
			}
			if bound := uint64(64*len(data) + 1<<20); n > bound {
				t.Errorf("Loads of a %d-byte payload allocated %d bytes (bound %d)", len(data), n, bound)
			}
		})
	}
}
