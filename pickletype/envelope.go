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
// tag settings (pickler:NAME, compress, compress:N, maxsize:N,
// maxdecompressed:N).
type Options struct {
	// Codec is the default codec name (Gob unless set).
	Codec string
	// CompressAbove deflates payloads larger than this many bytes; 0 (the
	// default) never compresses.
	CompressAbove int
	// MaxSize bounds an encoded payload, as stored; 0 means 64 MiB.
	MaxSize int
	// MaxDecompressed bounds a compressed payload once inflated (MaxSize
	// bounds it too); 0 means 16 MiB. Stored bytes cost their own size,
	// but deflate expands them up to 1032 times, so this bound, not
	// MaxSize, is what a small compressed value can make a reader
	// allocate. A payload larger than this is stored uncompressed, so
	// what this process writes it can read back.
	MaxDecompressed int
}

const (
	defaultMaxSize         = 64 << 20
	defaultMaxDecompressed = 16 << 20
)

var defaults atomic.Pointer[Options]

func init() {
	defaults.Store(&Options{Codec: Gob, MaxSize: defaultMaxSize, MaxDecompressed: defaultMaxDecompressed})
}

// SetDefaults replaces the package defaults. Zero fields get the built-in
// defaults. Call it during initialization.
func SetDefaults(o Options) error {
	if o.Codec == "" {
		o.Codec = Gob
	}
	if _, err := lookup(o.Codec); err != nil {
		return err
	}
	o = o.withLimits()
	defaults.Store(&o)
	return nil
}

// withLimits fills unset (zero or negative) size bounds with the built-in
// defaults.
func (o Options) withLimits() Options {
	if o.MaxSize <= 0 {
		o.MaxSize = defaultMaxSize
	}
	if o.MaxDecompressed <= 0 {
		o.MaxDecompressed = defaultMaxDecompressed
	}
	return o
}

// Defaults returns the package defaults.
func Defaults() Options { return *defaults.Load() }

// encode returns the stored bytes of v.
func encode(v any, o Options) (out []byte, err error) {
	o = o.withLimits()
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
	if o.CompressAbove > 0 && len(payload) > o.CompressAbove && len(payload) <= o.MaxDecompressed {
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

// maxHeader is the longest header: magic, version, flags, name length and
// a 32-byte codec name.
const maxHeader = len(magic) + 3 + 32

// decode decodes stored bytes into out, a non-nil pointer, within o's size
// bounds. It accepts the raw and the text form and never retains data.
func decode(data []byte, out any, o Options) (err error) {
	o = o.withLimits()
	if bytes.HasPrefix(data, []byte(textPrefix)) {
		if data, err = fromText(data[len(textPrefix):], o.MaxSize); err != nil {
			return err
		}
	}
	name, flags, payload, err := splitHeader(data)
	if err != nil {
		return err
	}
	codec, err := lookup(name)
	if err != nil {
		return err
	}
	if flags&flagDeflate != 0 {
		if payload, err = inflate(payload, min(o.MaxDecompressed, o.MaxSize)); err != nil {
			return err
		}
	} else if len(payload) > o.MaxSize {
		return fmt.Errorf("%w: payload of %d bytes exceeds the limit of %d", ErrTooLarge, len(payload), o.MaxSize)
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

// fromText decodes the base64 of the text form, refusing before it
// allocates anything a value of maxSize bytes could not need.
func fromText(b64 []byte, maxSize int) ([]byte, error) {
	n := base64.StdEncoding.DecodedLen(len(b64))
	if n > maxSize+maxHeader {
		return nil, fmt.Errorf("%w: text form of %d bytes exceeds the limit of %d", ErrTooLarge, len(b64), maxSize)
	}
	raw := make([]byte, n)
	n, err := base64.StdEncoding.Decode(raw, b64)
	if err != nil {
		return nil, fmt.Errorf("%w: bad text form: %v", ErrCorrupt, err)
	}
	return raw[:n], nil
}

// splitHeader checks a stored value's header and returns its codec name,
// flags and payload.
func splitHeader(data []byte) (name string, flags byte, payload []byte, err error) {
	if len(data) < len(magic)+3 || string(data[:len(magic)]) != magic {
		return "", 0, nil, fmt.Errorf("%w: not a pickletype value (no header)", ErrCorrupt)
	}
	if v := data[len(magic)]; v != formatVersion {
		return "", 0, nil, fmt.Errorf("%w: format version %d, this build reads %d", ErrCorrupt, v, formatVersion)
	}
	flags, nameLen := data[len(magic)+1], int(data[len(magic)+2])
	if flags&^flagDeflate != 0 {
		return "", 0, nil, fmt.Errorf("%w: unknown flags %#x", ErrCorrupt, flags)
	}
	rest := data[len(magic)+3:]
	if nameLen == 0 || nameLen > len(rest) {
		return "", 0, nil, fmt.Errorf("%w: truncated header", ErrCorrupt)
	}
	return string(rest[:nameLen]), flags, rest[nameLen:], nil
}

// inflate decompresses a payload into at most max bytes: a payload that
// would inflate past max is refused whole, never truncated. The buffer
// doubles as it fills but never past max, so inflating n bytes allocates
// under 2n in all (io.ReadAll's smaller steps allocate several times n).
func inflate(payload []byte, max int) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(payload))
	buf := make([]byte, 0, min(4*len(payload)+512, max))
	for {
		if len(buf) == cap(buf) {
			if len(buf) == max {
				return buf, inflatedAll(r, len(payload), max)
			}
			buf = append(make([]byte, 0, grown(cap(buf), max)), buf...)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: bad compressed payload: %v", ErrCorrupt, err)
		}
	}
}

// grown is the capacity after c: twice c, or max when the step after
// that would pass max (rather than a last step just short of it).
func grown(c, max int) int {
	if 4*c > max {
		return max
	}
	return 2 * c
}

// inflatedAll checks that r, having given max bytes, has no more.
func inflatedAll(r io.Reader, size, max int) error {
	var probe [1]byte
	n, err := io.ReadFull(r, probe[:])
	switch {
	case n > 0:
		return fmt.Errorf("%w: compressed payload of %d bytes inflates past the limit of %d", ErrTooLarge, size, max)
	case err == io.EOF:
		return nil
	}
	return fmt.Errorf("%w: bad compressed payload: %v", ErrCorrupt, err)
}

// textForm returns the text-safe form of stored bytes.
func textForm(b []byte) string {
	return textPrefix + base64.StdEncoding.EncodeToString(b)
}
