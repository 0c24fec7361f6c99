package wire

// Since returns a copy of the input from offset start (an earlier
// Offset) to the current position: the bytes of the values read since.
func (r *Reader) Since(start int) []byte {
	if start < 0 || start > r.pos {
		return nil
	}
	return append([]byte(nil), r.data[start:r.pos]...)
}
