package pickletype

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
)

// Stored layout: "PKL", format version, flags, codec name length, codec
// name, payload. The text form used for text columns is textPrefix followed
// by the same bytes in standard base64.
const (
	magic         = "PKL"
	formatVersion = 1
	flagDeflate   = 1
	textPrefix    = "pickle:"
)

// Options are the package defaults; serializer fields override them with
// tag settings (pickler:NAME, compress, compress:N, maxsize:N).
type Options struct {
	// Codec is the default codec name (Gob unless set).
	Codec string
	// CompressAbove deflates payloads larger than this many bytes; 0 (the
	// default) never compresses.
	CompressAbove int
	// MaxSize bounds an encoded payload and a decoded (decompressed) one;
	// 0 means 64 MiB.
	MaxSize int
}

const defaultMaxSize = 64 << 20

var defaults atomic.Pointer[Options]

func init() { defaults.Store(&Options{Codec: Gob, MaxSize: defaultMaxSize}) }

// SetDefaults replaces the package defaults. Zero fields get the built-in
// defaults. Call it during initialization.
func SetDefaults(o Options) error {
	if o.Codec == "" {
		o.Codec = Gob
	}
	if _, err := lookup(o.Codec); err != nil {
		return err
	}
	if o.MaxSize <= 0 {
		o.MaxSize = defaultMaxSize
	}
	defaults.Store(&o)
	return nil
}

// Defaults returns the package defaults.
func Defaults() Options { return *defaults.Load() }

// encode returns the stored bytes of v.
func encode(v any, o Options) (out []byte, err error) {
	codec, err := lookup(o.Codec)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: codec %s panicked: %v", ErrEncode, o.Codec, r)
		}
	}()
	payload, err := codec.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w with %s: %v", ErrEncode, o.Codec, err)
	}
	if len(payload) > o.MaxSize {
		return nil, fmt.Errorf("%w: %d bytes encoded, the limit is %d", ErrTooLarge, len(payload), o.MaxSize)
	}
	flags := byte(0)
	if o.CompressAbove > 0 && len(payload) > o.CompressAbove {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
		if _, err := w.Write(payload); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		payload, flags = buf.Bytes(), flagDeflate
	}
	out = make([]byte, 0, len(magic)+3+len(o.Codec)+len(payload))
	out = append(out, magic...)
	out = append(out, formatVersion, flags, byte(len(o.Codec)))
	out = append(out, o.Codec...)
	return append(out, payload...), nil
}

// decode decodes stored bytes into out, a non-nil pointer. It accepts the
// raw and the text form and never retains data.
func decode(data []byte, out any, maxSize int) (err error) {
	if bytes.HasPrefix(data, []byte(textPrefix)) {
		raw := make([]byte, base64.StdEncoding.DecodedLen(len(data)-len(textPrefix)))
		n, err := base64.StdEncoding.Decode(raw, data[len(textPrefix):])
		if err != nil {
			return fmt.Errorf("%w: bad text form: %v", ErrCorrupt, err)
		}
		data = raw[:n]
	}
	if len(data) < len(magic)+3 || string(data[:len(magic)]) != magic {
		return fmt.Errorf("%w: not a pickletype value (no header)", ErrCorrupt)
	}
	if v := data[len(magic)]; v != formatVersion {
		return fmt.Errorf("%w: format version %d, this build reads %d", ErrCorrupt, v, formatVersion)
	}
	flags, nameLen := data[len(magic)+1], int(data[len(magic)+2])
	if flags&^flagDeflate != 0 {
		return fmt.Errorf("%w: unknown flags %#x", ErrCorrupt, flags)
	}
	rest := data[len(magic)+3:]
	if nameLen == 0 || nameLen > len(rest) {
		return fmt.Errorf("%w: truncated header", ErrCorrupt)
	}
	name, payload := string(rest[:nameLen]), rest[nameLen:]
	codec, err := lookup(name)
	if err != nil {
		return err
	}
	if maxSize <= 0 {
		maxSize = defaultMaxSize
	}
	if flags&flagDeflate != 0 {
		r := flate.NewReader(bytes.NewReader(payload))
		inflated, err := io.ReadAll(io.LimitReader(r, int64(maxSize)+1))
		if err != nil {
			return fmt.Errorf("%w: bad compressed payload: %v", ErrCorrupt, err)
		}
		payload = inflated
	}
	if len(payload) > maxSize {
		return fmt.Errorf("%w: payload exceeds the limit of %d bytes", ErrTooLarge, maxSize)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: codec %s panicked: %v", ErrCorrupt, name, r)
		}
	}()
	if err := codec.Unmarshal(payload, out); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			return err
		}
		return fmt.Errorf("%w: codec %s: %v", ErrCorrupt, name, err)
	}
	return nil
}

// textForm returns the text-safe form of stored bytes.
func textForm(b []byte) string {
	return textPrefix + base64.StdEncoding.EncodeToString(b)
}
