package serializer

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
)

// Sign returns a copy of a query payload marked as signed and ending in an
// HMAC-SHA256 tag computed with key over everything before the tag.
// An empty key is refused: anyone could compute its tags.
func Sign(payload, key []byte) ([]byte, error) {
	if len(key) == 0 {
		return nil, fmt.Errorf("%w: empty signing key", ErrSignature)
	}
	info, err := Inspect(payload)
	if err != nil {
		return nil, err
	}
	if info.Signed {
		return nil, fmt.Errorf("%w: payload is already signed", ErrSignature)
	}
	out := make([]byte, len(payload), len(payload)+signatureLen)
	copy(out, payload)
	out[4] |= flagSigned
	mac := hmac.New(sha256.New, key)
	mac.Write(out)
	return mac.Sum(out), nil
}

// Verify checks a signed payload's tag against each key in turn (so keys
// can be rotated) in constant time. It fails with [ErrSignature] when the
// payload is unsigned or no key matches. Empty keys never match.
func Verify(payload []byte, keys [][]byte) error {
	info, err := Inspect(payload)
	if err != nil {
		return err
	}
	if !info.Signed {
		return fmt.Errorf("%w: payload is not signed", ErrSignature)
	}
	if len(payload) < headerLen+signatureLen {
		return fmt.Errorf("%w: payload too short to carry a tag", ErrSignature)
	}
	body, tag := payload[:len(payload)-signatureLen], payload[len(payload)-signatureLen:]
	ok := false
	for _, key := range keys {
		if len(key) == 0 {
			continue
		}
		mac := hmac.New(sha256.New, key)
		mac.Write(body)
		// Check every key, without stopping early, so timing does not tell
		// which key matched.
		if hmac.Equal(mac.Sum(nil), tag) {
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("%w: tag does not match any configured key", ErrSignature)
	}
	return nil
}
