package wire

// Inlined fast paths. Each reads the most common form of a value and
// reports false, consuming nothing, for anything else; the caller then
// calls the full reader (ReadArrayLen, ReadInt, ReadString), which also
// reports the error. They call nothing, so that Go inlines them: a hot
// decoder pays for a call only on the rarer forms.

// FixArray consumes a fixarray header (fewer than 16 elements) within the
// collection limit and the remaining bytes.
func (r *Reader) FixArray() (int, bool) {
	if p := r.pos; uint(p) < uint(len(r.data)) {
		if n := int(r.data[p]) - 0x90; uint(n) < 16 && n < len(r.data)-p && n <= r.limits.MaxCollection {
			r.pos = p + 1
			return n, true
		}
	}
	return 0, false
}

// FixMap consumes a fixmap header (fewer than 16 entries) within the
// collection limit and the remaining bytes (two per entry).
func (r *Reader) FixMap() (int, bool) {
	if p := r.pos; uint(p) < uint(len(r.data)) {
		if n := int(r.data[p]) - 0x80; uint(n) < 16 && 2*n < len(r.data)-p && n <= r.limits.MaxCollection {
			r.pos = p + 1
			return n, true
		}
	}
	return 0, false
}

// FixInt consumes a non-negative fixint (0 to 127).
func (r *Reader) FixInt() (int64, bool) {
	if p := r.pos; uint(p) < uint(len(r.data)) && r.data[p] < 0x80 {
		r.pos = p + 1
		return int64(r.data[p]), true
	}
	return 0, false
}

// FixStr consumes a fixstr (up to 31 bytes) cut from the shared copy of the
// input, once ShareStrings is on and a string was read.
func (r *Reader) FixStr() (string, bool) {
	if p := r.pos; r.text != "" && uint(p) < uint(len(r.data)) {
		if n := int(r.data[p]) - 0xa0; uint(n) < 32 && n < len(r.data)-p && n <= r.limits.MaxString {
			r.pos = p + 1 + n
			return r.text[p+1 : r.pos], true
		}
	}
	return "", false
}

// Unread steps back n bytes, to read a value again after a fast path
// consumed part of it.
func (r *Reader) Unread(n int) { r.pos -= n }
