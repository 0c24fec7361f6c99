package pickletype

import (
	"errors"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// checkMsgpack walks MessagePack bytes without decoding them and fails if
// any length prefix promises more than the bytes that remain, nesting goes
// deeper than maxMsgpackDepth, or bytes are left over. The msgpack package
// trusts length prefixes (a map header claiming billions of entries keeps
// it busy for minutes), so stored values are checked before it sees them.
// The walk is the wire package's, linear in len(b).
func checkMsgpack(b []byte) error {
	r := wire.NewReader(b, wire.Limits{})
	if err := r.Skip(maxMsgpackDepth); err != nil {
		return err
	}
	if r.Remaining() != 0 {
		return errors.New("trailing bytes after the value")
	}
	return nil
}

const maxMsgpackDepth = 1000
