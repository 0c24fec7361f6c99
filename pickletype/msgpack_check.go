package pickletype

import (
	"encoding/binary"
	"errors"
)

// checkMsgpack walks MessagePack bytes without decoding them and fails if
// any length prefix promises more than the bytes that remain, nesting goes
// deeper than maxMsgpackDepth, or bytes are left over. The msgpack package
// trusts length prefixes (a map header claiming billions of entries keeps
// it busy for minutes), so stored values are checked before it sees them.
// The walk is linear in len(b).
func checkMsgpack(b []byte) error {
	rest, err := skipMsgpack(b, 0)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("trailing bytes after the value")
	}
	return nil
}

const maxMsgpackDepth = 1000

var errTruncated = errors.New("truncated MessagePack value")

func skipMsgpack(b []byte, depth int) ([]byte, error) {
	if depth > maxMsgpackDepth {
		return nil, errors.New("MessagePack value nested too deeply")
	}
	if len(b) == 0 {
		return nil, errTruncated
	}
	c, b := b[0], b[1:]
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		return b, nil
	case c >= 0x80 && c <= 0x8f:
		return skipItems(b, 2*int(c&0x0f), depth)
	case c >= 0x90 && c <= 0x9f:
		return skipItems(b, int(c&0x0f), depth)
	case c >= 0xa0 && c <= 0xbf:
		return skipBytes(b, int(c&0x1f))
	}
	switch c {
	case 0xcc, 0xd0:
		return skipBytes(b, 1)
	case 0xcd, 0xd1:
		return skipBytes(b, 2)
	case 0xca, 0xce, 0xd2:
		return skipBytes(b, 4)
	case 0xcb, 0xcf, 0xd3:
		return skipBytes(b, 8)
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16 plus the type byte
		return skipBytes(b, 1+(1<<(c-0xd4)))
	case 0xc4, 0xd9, 0xc5, 0xda, 0xc6, 0xdb:
		n, rest, err := length(b, c)
		if err != nil {
			return nil, err
		}
		return skipBytes(rest, n)
	case 0xc7, 0xc8, 0xc9: // ext 8, 16, 32: length, type byte, data
		n, rest, err := length(b, c)
		if err != nil {
			return nil, err
		}
		return skipBytes(rest, n+1)
	case 0xdc, 0xdd:
		n, rest, err := length(b, c)
		if err != nil {
			return nil, err
		}
		return skipItems(rest, n, depth)
	case 0xde, 0xdf:
		n, rest, err := length(b, c)
		if err != nil {
			return nil, err
		}
		return skipItems(rest, 2*n, depth)
	}
	return nil, errors.New("invalid MessagePack byte")
}

// length reads the 1-, 2- or 4-byte length that follows format byte c.
func length(b []byte, c byte) (int, []byte, error) {
	size := 4
	switch c {
	case 0xc4, 0xd9, 0xc7:
		size = 1
	case 0xc5, 0xda, 0xc8, 0xdc, 0xde:
		size = 2
	}
	if len(b) < size {
		return 0, nil, errTruncated
	}
	switch size {
	case 1:
		return int(b[0]), b[1:], nil
	case 2:
		return int(binary.BigEndian.Uint16(b)), b[2:], nil
	}
	return int(binary.BigEndian.Uint32(b)), b[4:], nil
}

func skipBytes(b []byte, n int) ([]byte, error) {
	if n < 0 || n > len(b) {
		return nil, errTruncated
	}
	return b[n:], nil
}

// skipItems skips n values; each takes at least one byte, so a count
// larger than the remaining bytes fails before any is read.
func skipItems(b []byte, n int, depth int) ([]byte, error) {
	if n < 0 || n > len(b) {
		return nil, errTruncated
	}
	var err error
	for i := 0; i < n; i++ {
		if b, err = skipMsgpack(b, depth+1); err != nil {
			return nil, err
		}
	}
	return b, nil
}
