package gormpickle_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/serializer"
)

// TestSigningKeySetupErrors: a plugin that would sign with a key anyone can
// guess, or that was asked to sign but given no key, fails at db.Use.
func TestSigningKeySetupErrors(t *testing.T) {
	for name, opt := range map[string]gormpickle.Option{
		"no key":    gormpickle.WithSigningKey(),
		"nil key":   gormpickle.WithSigningKey(nil),
		"empty key": gormpickle.WithSigningKey([]byte{}),
		"short key": gormpickle.WithSigningKey([]byte("0123456789abcdef"), []byte("short")),
	} {
		t.Run(name, func(t *testing.T) {
			db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
			if err != nil {
				t.Fatal(err)
			}
			err = db.Use(shadowtest.New(t, opt))
			if !errors.Is(err, gormpickle.ErrSigningKey) {
				t.Fatalf("db.Use = %v, want ErrSigningKey", err)
			}
			if _, err := gormpickle.Dumps(db.Model(&User{})); err == nil {
				t.Fatal("Dumps works on a plugin whose setup failed")
			}
		})
	}
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Use(shadowtest.New(t, gormpickle.WithSigningKey([]byte("0123456789abcdef")))); err != nil {
		t.Fatalf("a 16-byte key: %v", err)
	}
}

// TestEmptyKeysNeverSign: the serializer's own Sign refuses an empty key,
// and Verify never accepts a tag made with one.
func TestEmptyKeysNeverSign(t *testing.T) {
	data := []byte("GPQ\x02\x00\x80")
	if _, err := serializer.Sign(data, nil); !errors.Is(err, serializer.ErrSignature) {
		t.Fatalf("Sign with an empty key = %v, want ErrSignature", err)
	}
	signed, err := serializer.Sign(data, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	forged := append([]byte(nil), signed...)
	emptyTag, _ := signEmpty(data)
	copy(forged[len(forged)-tagLen:], emptyTag[len(emptyTag)-tagLen:])
	if err := serializer.Verify(forged, [][]byte{{}, nil}); !errors.Is(err, serializer.ErrSignature) {
		t.Fatalf("Verify with only empty keys = %v, want ErrSignature", err)
	}
}

// The header's signed flag and the tag's length, from docs/format.md.
const (
	flagSigned = 0x01
	tagLen     = 32
)

// signEmpty signs data as Sign would with an empty key.
func signEmpty(data []byte) ([]byte, error) {
	out := append([]byte(nil), data...)
	out[4] |= flagSigned
	mac := hmac.New(sha256.New, nil)
	mac.Write(out)
	return mac.Sum(out), nil
}
