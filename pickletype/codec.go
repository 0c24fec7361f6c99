package pickletype

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
)

// Codec turns Go values into bytes and back: the "pickler" of a column.
// Unmarshal must not retain data.
type Codec interface {
	Marshal(v any) ([]byte, error)
	// Unmarshal decodes data into v, a non-nil pointer.
	Unmarshal(data []byte, v any) error
}

// Built-in codec names.
const (
	Gob     = "gob"
	MsgPack = "msgpack"
	JSON    = "json"
)

var codecs sync.Map // name -> Codec

func init() {
	codecs.Store(Gob, gobCodec{})
	codecs.Store(MsgPack, msgpackCodec{})
	codecs.Store(JSON, jsonCodec{})
}

// Register adds a codec under name, for the pickler: tag setting and
// SetTypeCodec. Names are 1 to 32 bytes and stored in every value's header,
// so they must stay stable. Registering a name twice is an error: stored
// values must keep decoding with the codec that wrote them.
func Register(name string, c Codec) error {
	if name == "" || len(name) > 32 || c == nil {
		return fmt.Errorf("pickletype: register %q: name must be 1 to 32 bytes and the codec non-nil", name)
	}
	if _, loaded := codecs.LoadOrStore(name, c); loaded {
		return fmt.Errorf("pickletype: register %q: a codec with this name is already registered", name)
	}
	return nil
}

// lookup returns the codec registered under name.
func lookup(name string) (Codec, error) {
	if c, ok := codecs.Load(name); ok {
		return c.(Codec), nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownCodec, name)
}

// gobCodec is encoding/gob. It is not deterministic for maps.
type gobCodec struct{}

func (gobCodec) Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (gobCodec) Unmarshal(data []byte, v any) error {
	if err := checkGob(data); err != nil {
		return err
	}
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
}

// msgpackCodec is MessagePack with every map's keys sorted: deterministic.
type msgpackCodec struct{}

func (msgpackCodec) Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.UseCompactInts(true)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return canonicalMsgpack(buf.Bytes())
}

func (msgpackCodec) Unmarshal(data []byte, v any) error {
	if err := checkMsgpack(data); err != nil {
		return err
	}
	return msgpack.Unmarshal(data, v)
}

// jsonCodec is encoding/json: deterministic (sorted map keys), readable,
// but it loses Go types behind interfaces.
type jsonCodec struct{}

func (jsonCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (jsonCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
