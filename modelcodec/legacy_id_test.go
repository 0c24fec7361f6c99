package modelcodec_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/wire"
	"github.com/gormpickle/gormpickle/modelcodec"
)

// TestModelPayloadWithLegacyID: a cached row written by an earlier release
// (its header names the model by package path) still decodes.
func TestModelPayloadWithLegacyID(t *testing.T) {
	in := fixture.User{ID: 8, Name: "ed"}
	data, err := modelcodec.Encode(&in)
	if err != nil {
		t.Fatal(err)
	}
	var short, long wire.Writer
	short.String("fixture.User")
	long.String("github.com/gormpickle/gormpickle/internal/fixture.User")
	if !bytes.Contains(data, short.Buf) {
		t.Fatalf("payload % x does not name fixture.User", data)
	}
	old := bytes.Replace(data, short.Buf, long.Buf, 1)
	var out fixture.User
	if err := modelcodec.Decode(old, &out); err != nil {
		t.Fatalf("decoding a payload with the legacy ID: %v", err)
	}
	if out.ID != 8 || out.Name != "ed" {
		t.Fatalf("decoded %+v", out)
	}
	other := bytes.Replace(data, short.Buf, func() []byte { var w wire.Writer; w.String("fixture.Other"); return w.Buf }(), 1)
	if err := modelcodec.Decode(other, &out); !errors.Is(err, modelcodec.ErrModelMismatch) {
		t.Fatalf("decoding a payload for another model: %v, want ErrModelMismatch", err)
	}
}
