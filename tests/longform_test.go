package tests

import (
	"encoding/binary"
	"reflect"
	"testing"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// TestLongFormPayloads: MessagePack allows longer encodings than the
// shortest, and the decoder reads the short ones through fast paths. Every
// corpus payload re-encoded with long forms only (int8/uint8 for fixints,
// str32 for fixstr, array16 and map16 for fixarray and fixmap) must load
// and render exactly as written.
func TestLongFormPayloads(t *testing.T) {
	db := openCorpusDB(t, dbtest.Open(t, dbtest.SQLite))
	for _, c := range conformance {
		if _, skip := c.skip[dbtest.SQLite]; skip {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			data := mustDump(t, c.build(db))
			const header = 5
			var long []byte
			long = append(long, data[:header]...)
			long, rest := widen(t, long, data[header:])
			if len(rest) != 0 {
				t.Fatalf("%d bytes left after the statement", len(rest))
			}
			want := render(t, c, mustLoad(t, data, db))
			if got := render(t, c, mustLoad(t, long, db)); want.SQL != got.SQL || !reflect.DeepEqual(want.Vars, got.Vars) {
				t.Fatalf("long-form payload renders differently\nshort: %s %v\nlong:  %s %v", want.SQL, want.Vars, got.SQL, got.Vars)
			}
		})
	}
}

// widen appends the first MessagePack value of in to out in its long form
// and returns out and the rest of in.
func widen(t *testing.T, out, in []byte) ([]byte, []byte) {
	t.Helper()
	c := in[0]
	in = in[1:]
	items := 0
	switch {
	case c <= 0x7f:
		return append(out, 0xcc, c), in
	case c >= 0xe0:
		return append(out, 0xd0, c), in
	case c&0xe0 == 0xa0:
		n := int(c & 0x1f)
		out = binary.BigEndian.AppendUint32(append(out, 0xdb), uint32(n))
		return append(out, in[:n]...), in[n:]
	case c&0xf0 == 0x90:
		out = binary.BigEndian.AppendUint16(append(out, 0xdc), uint16(c&0x0f))
		items = int(c & 0x0f)
	case c&0xf0 == 0x80:
		out = binary.BigEndian.AppendUint16(append(out, 0xde), uint16(c&0x0f))
		items = 2 * int(c&0x0f)
	case c == 0xc0 || c == 0xc2 || c == 0xc3:
		return append(out, c), in
	case c == 0xcc || c == 0xd0:
		return append(append(out, c), in[:1]...), in[1:]
	case c == 0xcd || c == 0xd1:
		return append(append(out, c), in[:2]...), in[2:]
	case c == 0xca || c == 0xce || c == 0xd2:
		return append(append(out, c), in[:4]...), in[4:]
	case c == 0xcb || c == 0xcf || c == 0xd3:
		return append(append(out, c), in[:8]...), in[8:]
	case c == 0xd9 || c == 0xc4:
		n := int(in[0])
		return append(append(out, c), in[:1+n]...), in[1+n:]
	case c == 0xda || c == 0xc5:
		n := int(binary.BigEndian.Uint16(in))
		return append(append(out, c), in[:2+n]...), in[2+n:]
	case c == 0xdb || c == 0xc6:
		n := int(binary.BigEndian.Uint32(in))
		return append(append(out, c), in[:4+n]...), in[4+n:]
	case c == 0xdc:
		items = int(binary.BigEndian.Uint16(in))
		out, in = append(append(out, c), in[:2]...), in[2:]
	case c == 0xde:
		items = 2 * int(binary.BigEndian.Uint16(in))
		out, in = append(append(out, c), in[:2]...), in[2:]
	default:
		t.Fatalf("widen: format byte %#x not handled", c)
	}
	for range items {
		out, in = widen(t, out, in)
	}
	return out, in
}
