package tests

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"runtime"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/pickletype"
)

type ptBoundsRow struct {
	ID     uint
	Blob   pickletype.Type[[]byte]
	Counts pickletype.Type[map[int]int]
	Words  []string `gorm:"serializer:pickle;pickler:msgpack;compress:64"`
}

// ptBoundsBomb is a stored msgpack byte string of n zero bytes, deflated:
// about n/1000 bytes.
func ptBoundsBomb(n int) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = w.Write([]byte{0xc6, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	_, _ = w.Write(make([]byte, n))
	_ = w.Close()
	return append([]byte("PKL\x01\x01\x07msgpack"), buf.Bytes()...)
}

// ptBoundsGobMap is a stored gob map[int]int holding one entry whose count
// claims n.
func ptBoundsGobMap(n uint64) []byte {
	var buf bytes.Buffer
	_ = gob.NewEncoder(&buf).Encode(map[int]int{1: 2})
	b := buf.Bytes()
	last := len(b) - 7 // [length 6][type id ff 80][delta 00][count 01][key 02][elem 04]
	body := append([]byte{}, b[last+1:last+4]...)
	body = append(body, 0xf8)
	for shift := 56; shift >= 0; shift -= 8 {
		body = append(body, byte(n>>shift))
	}
	body = append(body, b[last+5:]...)
	stream := append(append(append([]byte{}, b[:last]...), byte(len(body))), body...)
	return append([]byte("PKL\x01\x00\x03gob"), stream...)
}

// TestPickletypeHostileCells: cells written behind the application's back
// (a deflate bomb, a gob map whose count lies, the bomb in text form) are
// refused with typed errors naming the field, and reading them allocates
// a bounded amount, not what they claim.
func TestPickletypeHostileCells(t *testing.T) {
	bomb := ptBoundsBomb(32 << 20)
	cases := []struct {
		column string
		value  any
		want   error
	}{
		{"blob", bomb, pickletype.ErrTooLarge},
		{"counts", ptBoundsGobMap(10_000_000), pickletype.ErrCorrupt},
		{"words", "pickle:" + base64.StdEncoding.EncodeToString(bomb), pickletype.ErrTooLarge},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.AutoMigrate(&ptBoundsRow{}); err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			id := uint(i + 1)
			if err := db.Create(&ptBoundsRow{ID: id, Words: []string{"ok"}}).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Model(&ptBoundsRow{}).Where("id = ?", id).UpdateColumn(c.column, c.value).Error; err != nil {
				t.Fatal(err)
			}
			var row ptBoundsRow
			var err error
			got := ptBoundsAllocated(func() { err = db.First(&row, id).Error })
			if !errors.Is(err, c.want) || !strings.Contains(strings.ToLower(err.Error()), c.column) {
				t.Errorf("%s: %v, want %v", c.column, err, c.want)
			}
			if got > 40<<20 {
				t.Errorf("%s: reading the cell allocated %d MiB", c.column, got>>20)
			}
		}
		// Within the bounds a compressed value reads back.
		ok := ptBoundsRow{ID: 9, Words: []string{strings.Repeat("compressible ", 1000)}}
		if err := db.Create(&ok).Error; err != nil {
			t.Fatal(err)
		}
		var back ptBoundsRow
		if err := db.First(&back, 9).Error; err != nil || len(back.Words) != 1 || back.Words[0] != ok.Words[0] {
			t.Fatalf("compressed value: %v", err)
		}
	})
}

// ptBoundsAllocated returns the bytes f allocates.
func ptBoundsAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
