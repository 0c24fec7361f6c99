package cache

import (
	"bytes"
	"encoding/gob"
	"strconv"
	"testing"
)

type benchUser struct {
	ID   int64
	Name string
}

// BenchmarkCodec compares the entry codec (rows as driver values, the
// form entries take) with encoding/gob of the same rows as structs, for
// 1, 10, 100 and 1000 rows: encode then decode, and the bytes written.
func BenchmarkCodec(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000} {
		e := &entry{cols: []column{{name: "id", scan: 5}, {name: "name", scan: 12}}}
		users := make([]benchUser, n)
		for i := range n {
			users[i] = benchUser{ID: int64(i), Name: "user " + strconv.Itoa(i)}
			e.rows = append(e.rows, []any{users[i].ID, users[i].Name})
		}
		b.Run(strconv.Itoa(n)+"/entry", func(b *testing.B) {
			var size int
			for b.Loop() {
				data, err := encodeEntry(e)
				if err != nil {
					b.Fatal(err)
				}
				size = len(data)
				got, r, err := decodeHeader(data)
				if err != nil || decodeBody(got, r) != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "bytes")
		})
		b.Run(strconv.Itoa(n)+"/gob", func(b *testing.B) {
			var buf bytes.Buffer
			var size int
			for b.Loop() {
				buf.Reset()
				if err := gob.NewEncoder(&buf).Encode(users); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
				var out []benchUser
				if err := gob.NewDecoder(&buf).Decode(&out); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
