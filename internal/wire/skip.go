package wire

// Skip consumes the next value whole, whatever its form (extension values
// and floats included), without decoding it. Every length is checked like
// the Read methods' (against the limits and the remaining bytes, each
// array element taking at least one byte and each map entry two), so a
// header claiming more than the input holds fails before anything is
// walked and the walk is linear in the input; nesting deeper than maxDepth
// arrays or maps fails too. On error the position is left where it was.
//
// It is the package's one walker over MessagePack it does not interpret:
// callers that hand bytes to a decoder trusting length prefixes (the
// msgpack package) check them with it first.
func (r *Reader) Skip(maxDepth int) error {
	start := r.pos
	if err := r.skip(maxDepth); err != nil {
		r.pos = start
		return err
	}
	return nil
}

func (r *Reader) skip(depth int) error {
	switch r.Peek() {
	case Array:
		n, err := r.ReadArrayLen()
		if err != nil {
			return err
		}
		return r.skipN(n, depth)
	case Map:
		n, err := r.ReadMapLen()
		if err != nil {
			return err
		}
		return r.skipN(2*n, depth)
	case Str:
		n, err := r.readStrLen()
		if err != nil {
			return err
		}
		_, err = r.take(n)
		return err
	case Bin:
		_, err := r.skipBin()
		return err
	}
	return r.skipScalar()
}

// skipN skips the n values of an array or map nested one level deeper.
func (r *Reader) skipN(n, depth int) error {
	if n > 0 && depth <= 0 {
		return r.limitErr("values nested too deeply")
	}
	for i := 0; i < n; i++ {
		if err := r.skip(depth - 1); err != nil {
			return err
		}
	}
	return nil
}

// skipBin skips a binary value, checked against the string limit as
// ReadBytes checks it, without copying it.
func (r *Reader) skipBin() (int, error) {
	var n int
	c, err := r.byte1()
	if err != nil {
		return 0, err
	}
	switch c {
	case 0xc4:
		n, err = r.lenPrefix(1)
	case 0xc5:
		n, err = r.lenPrefix(2)
	default: // 0xc6, the only other Bin byte
		n, err = r.lenPrefix(4)
	}
	if err != nil {
		return 0, err
	}
	if n, err = r.checkLen(n, r.limits.MaxString, "binary value"); err != nil {
		return 0, err
	}
	_, err = r.take(n)
	return n, err
}

// skipScalar skips a value of fixed size (nil, bool, integer, float,
// fixext) or an ext 8/16/32 (length, type byte, data).
func (r *Reader) skipScalar() error {
	start := r.pos
	c, err := r.byte1()
	if err != nil {
		return err
	}
	if c <= 0x7f || c >= 0xe0 {
		return nil
	}
	var size int
	switch c {
	case 0xc0, 0xc2, 0xc3:
		return nil
	case 0xcc, 0xd0:
		size = 1
	case 0xcd, 0xd1:
		size = 2
	case 0xca, 0xce, 0xd2:
		size = 4
	case 0xcb, 0xcf, 0xd3:
		size = 8
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16 after the type byte
		size = 1 + 1<<(c-0xd4)
	case 0xc7, 0xc8, 0xc9: // ext 8, 16, 32
		n, err := r.lenPrefix(1 << (c - 0xc7))
		if err != nil {
			return err
		}
		if n, err = r.checkLen(n, r.limits.MaxString, "extension value"); err != nil {
			return err
		}
		size = 1 + n
	default:
		r.pos = start
		return r.Fail("invalid MessagePack byte %#x", c)
	}
	_, err = r.take(size)
	return err
}
