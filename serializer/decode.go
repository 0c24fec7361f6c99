package serializer

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// decoder reads query payloads. Bytes are treated as hostile: every length
// is checked against what remains and against [Limits], every reference
// against the registry, and nothing panics. A decoder is not safe for
// concurrent use; create one per payload with newDecoder, or restore in
// one call with restorePayload.
//
// A decoder holds no pointer into itself, so that restorePayload can keep
// one on its stack (see "Runtime facts" in docs/performance.md).
type decoder struct {
	reg    *Registry
	opts   *Options
	limits Limits // opts.Limits with defaults
	target *gorm.DB
	r      wire.Reader
	// The identifier table: the first entries in symBuf, the rest in
	// symMore.
	symBuf  [8]string
	symMore []string
	nsyms   int
	// The scopes of the statements being read, innermost last: the first
	// in scopeBuf, deeper ones in scopeMore.
	scopeBuf  [2]decScope
	scopeMore []*decScope
	scopes    int
	// anySlab and exprSlab back short lists of one payload (see makeAnys).
	anySlab  []any
	exprSlab []clause.Expression
	depth    int
	nodes    int
	// preloadFn is the state of the Preload function being read (see
	// decode_preload.go).
	preloadFn preloadState
	// The load policy's state (policy*.go): whether the strict policy
	// applies, the SQL that references expanded to so far, the tables of
	// allowed models (built on first use), how deep in a table
	// expression's vars the reader is, and the relation segments joined
	// and preloaded so far.
	strict      bool
	expanded    int
	tables      map[string]*schema.Schema
	inTableExpr int
	joinSegs    int
	preloadSegs int
	// hint is the model the statement read next applies to when it names
	// none: a Preload function's or a join condition's relation (see
	// relationHint).
	hint *schema.Schema
	// renames is what resolving renamed fields found (decode_rename.go),
	// made when a payload first names a field the target lacks.
	renames *renameCache
}

// newDecoder returns a decoder that resolves models in reg and rebuilds
// subqueries on target. With a nil target it decodes for display only
// (see [Describe]): models need not be registered and field references keep
// their Go names.
func newDecoder(reg *Registry, opts Options, target *gorm.DB) *decoder {
	d := &decoder{}
	d.reg, d.opts, d.limits, d.target = reg, &opts, opts.Limits.withDefaults(), target
	d.strict = opts.strict()
	return d
}

// restorePayload restores a payload as a new statement rooted in target,
// as decoder.restore does, with a decoder that lives only for the call;
// it is the codec's Restore (see internal/querycodec). With keys, the tag
// is verified before anything is decoded; without, a signed payload is
// refused rather than trusted. opts is read during the call, not kept.
func restorePayload(reg *Registry, opts *Options, keys [][]byte, target *gorm.DB, data []byte) (*gorm.DB, error) {
	if len(keys) > 0 {
		if err := Verify(data, keys); err != nil {
			return nil, err
		}
	} else if len(data) >= headerLen && data[4]&flagSigned != 0 {
		// Inspect reports a header that is wrong in other ways first.
		// Unsigned payloads have their header checked once, by begin.
		if _, err := Inspect(data); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: payload is signed but no signing key is configured (gormpickle.WithSigningKey)", ErrSignature)
	}
	var d decoder
	d.reg, d.opts, d.limits, d.target = reg, opts, opts.Limits, target
	d.limits.fill()
	d.strict = opts.strict()
	return d.restore(data)
}

// decode parses a payload. A signed payload's tag is skipped, not checked:
// verify it first (see [Verify]).
func (d *decoder) decode(data []byte) (*decodedQuery, error) {
	if err := d.begin(data); err != nil {
		return nil, err
	}
	q, err := d.statement()
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return nil, d.wrap(err)
	}
	return q, nil
}

// restore decodes a payload into a new statement rooted in the decoder's
// target (see [newSession]), writing each entry into it as it is read. The
// result is safe to branch, as after Session(&gorm.Session{}): later chain
// calls on it start from a copy of the restored statement.
func (d *decoder) restore(data []byte) (*gorm.DB, error) {
	if d.target == nil {
		return nil, errors.New("gormpickle: Restore needs a decoder with a target DB")
	}
	if err := d.begin(data); err != nil {
		return nil, err
	}
	f, tx, err := d.restoreStatement()
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return nil, d.wrap(err)
	}
	return f.handOff(tx), nil
}

// begin checks a payload's header and points the decoder at its body.
func (d *decoder) begin(data []byte) error {
	body, err := payloadBody(data, d.limits)
	if err != nil {
		return err
	}
	d.r.Reset(body, wire.Limits{MaxCollection: d.limits.MaxCollection, MaxString: d.limits.MaxString})
	if len(body) <= maxSharedBody {
		d.r.ShareStrings()
	}
	// Drop what the last payload handed out, if this decoder had one; a
	// decoder on the stack starts empty, and needs no writes.
	d.nsyms = 0
	if d.symMore != nil || d.anySlab != nil || d.exprSlab != nil {
		d.symMore, d.anySlab, d.exprSlab = nil, nil, nil
	}
	return nil
}

// end checks that the statement read was the whole body.
func (d *decoder) end() error {
	if d.r.Remaining() != 0 {
		return d.trailing()
	}
	return nil
}

// trailing is end's error, out of line so that end inlines.
func (d *decoder) trailing() error {
	return d.corrupt("%d trailing bytes after the statement", d.r.Remaining())
}

// maxSharedBody is the largest payload whose strings are cut from one
// copy of it (see wire.Reader.ShareStrings); bigger payloads copy each
// string, so a kept string does not pin a large payload.
const maxSharedBody = 64 << 10

// PayloadInfo describes a payload's header.
type PayloadInfo struct {
	Version int
	Signed  bool
}

// Inspect reads a query payload's header without decoding its body.
func Inspect(data []byte) (PayloadInfo, error) {
	if len(data) < headerLen || string(data[:len(queryMagic)]) != queryMagic {
		return PayloadInfo{}, &CorruptError{Offset: 0, Reason: "not a gormpickle query payload (bad magic)"}
	}
	if data[3] < oldestFormatVersion || data[3] > formatVersion {
		return PayloadInfo{}, fmt.Errorf("%w: payload has version %d, this build reads versions %d to %d", ErrVersion, data[3], oldestFormatVersion, formatVersion)
	}
	flags := data[4]
	if flags&^flagSigned != 0 {
		return PayloadInfo{}, &CorruptError{Offset: 4, Reason: fmt.Sprintf("unknown header flags %#x", flags)}
	}
	return PayloadInfo{Version: int(data[3]), Signed: flags&flagSigned != 0}, nil
}

// payloadBody checks the header and size and returns the statement bytes.
func payloadBody(data []byte, limits Limits) ([]byte, error) {
	if len(data) > limits.MaxBytes {
		return nil, fmt.Errorf("%w: payload of %d bytes exceeds the limit of %d", ErrLimit, len(data), limits.MaxBytes)
	}
	if len(data) >= headerLen && data[0] == queryMagic[0] && data[1] == queryMagic[1] && data[2] == queryMagic[2] &&
		(data[3] == baseFormatVersion || data[3] == formatVersion) && data[4] == 0 {
		return data[headerLen:], nil // the common headers: unsigned, version 2 or 3
	}
	info, err := Inspect(data)
	if err != nil {
		return nil, err
	}
	body := data[headerLen:]
	if info.Signed {
		if len(body) < signatureLen {
			return nil, &CorruptError{Offset: len(data), Reason: "signed payload shorter than its tag"}
		}
		body = body[:len(body)-signatureLen]
	}
	return body, nil
}

// wrap turns reader errors into the package's typed errors.
func (d *decoder) wrap(err error) error {
	var we *wire.Error
	if errors.As(err, &we) {
		if we.Limit {
			return fmt.Errorf("%w: %s (at byte %d)", ErrLimit, we.Msg, we.Offset+headerLen)
		}
		return &CorruptError{Offset: we.Offset + headerLen, Reason: we.Msg}
	}
	return err
}

func (d *decoder) corrupt(format string, args ...any) error {
	return &CorruptError{Offset: d.r.Offset() + headerLen, Reason: fmt.Sprintf(format, args...)}
}

// enter counts one level of nesting against the depth limit.
func (d *decoder) enter() error {
	d.depth++
	if d.depth > d.limits.MaxDepth {
		return d.tooDeep()
	}
	return nil
}

// tooDeep is enter's error, out of line so that enter inlines.
func (d *decoder) tooDeep() error {
	return fmt.Errorf("%w: nesting deeper than %d", ErrLimit, d.limits.MaxDepth)
}

func (d *decoder) leave() { d.depth-- }
