package pickletype

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// canonicalMsgpack rewrites MessagePack bytes with every map's entries
// sorted by their encoded keys. The msgpack package sorts only a few map
// types itself (map[string]string, map[string]bool, map[string]any), so
// this pass is what makes the codec deterministic for all of them.
func canonicalMsgpack(b []byte) ([]byte, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(b))
	var out bytes.Buffer
	enc := msgpack.NewEncoder(&out)
	if err := canonicalValue(dec, enc, &out, 0); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

const maxCanonicalDepth = 10000

func canonicalValue(dec *msgpack.Decoder, enc *msgpack.Encoder, out *bytes.Buffer, depth int) error {
	if depth > maxCanonicalDepth {
		return fmt.Errorf("pickletype: value nested too deeply")
	}
	code, err := dec.PeekCode()
	if err != nil {
		return err
	}
	switch {
	case msgpcode.IsFixedMap(code) || code == msgpcode.Map16 || code == msgpcode.Map32:
		n, err := dec.DecodeMapLen()
		if err != nil {
			return err
		}
		type entry struct{ key, val []byte }
		entries := make([]entry, 0, n)
		for i := 0; i < n; i++ {
			var kb, vb bytes.Buffer
			if err := canonicalValue(dec, msgpack.NewEncoder(&kb), &kb, depth+1); err != nil {
				return err
			}
			if err := canonicalValue(dec, msgpack.NewEncoder(&vb), &vb, depth+1); err != nil {
				return err
			}
			entries = append(entries, entry{kb.Bytes(), vb.Bytes()})
		}
		sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].key, entries[j].key) < 0 })
		if err := enc.EncodeMapLen(n); err != nil {
			return err
		}
		for _, e := range entries {
			out.Write(e.key)
			out.Write(e.val)
		}
		return nil
	case msgpcode.IsFixedArray(code) || code == msgpcode.Array16 || code == msgpcode.Array32:
		n, err := dec.DecodeArrayLen()
		if err != nil {
			return err
		}
		if err := enc.EncodeArrayLen(n); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := canonicalValue(dec, enc, out, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	raw, err := dec.DecodeRaw()
	if err != nil {
		return err
	}
	out.Write(raw)
	return nil
}
