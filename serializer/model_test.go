package serializer_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gormpickle/gormpickle/serializer"
)

type cachedUser struct {
	ID      uint
	Name    string
	Email   *string
	Score   float64
	Tags    []string       `gorm:"serializer:json"`
	Limits  map[string]int `gorm:"serializer:json"`
	Created time.Time
	Orders  []cachedOrder // has many: not cached
}

type cachedOrder struct {
	ID           uint
	CachedUserID uint
}

type otherModel struct {
	ID   uint
	Name string
}

func sampleUser() *cachedUser {
	email := "ann@example.com"
	return &cachedUser{ID: 7, Name: "ann", Email: &email, Score: 4.5, Tags: []string{"a", "b"},
		Limits:  map[string]int{"x": 1, "y": 2, "z": 3, "w": 4},
		Created: time.Date(2025, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600)),
		Orders:  []cachedOrder{{ID: 1, CachedUserID: 7}}}
}

func TestModelRoundTripAndDeterminism(t *testing.T) {
	u := sampleUser()
	data, err := serializer.EncodeModel(u)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		again, _ := serializer.EncodeModel(sampleUser())
		if !bytes.Equal(again, data) {
			t.Fatal("equal models gave different bytes")
		}
	}
	var got cachedUser
	if err := serializer.DecodeModel(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Orders != nil {
		t.Fatalf("relationship came back: %v", got.Orders)
	}
	if !got.Created.Equal(u.Created) || got.Created.Format(time.RFC3339Nano) != u.Created.Format(time.RFC3339Nano) {
		t.Fatalf("time: %v, want %v", got.Created, u.Created)
	}
	if got.Name != "ann" || *got.Email != *u.Email || got.Limits["z"] != 3 || len(got.Tags) != 2 {
		t.Fatalf("decoded %+v", got)
	}
}

func TestModelMismatchAndDrift(t *testing.T) {
	data, _ := serializer.EncodeModel(sampleUser())
	var other otherModel
	if err := serializer.DecodeModel(data, &other); !errors.Is(err, serializer.ErrModelMismatch) {
		t.Fatalf("other model: %v", err)
	}
	// The same ID for an older shape of the struct: a registry maps it.
	type cachedUserV1 struct {
		ID   uint
		Name string
	}
	old := serializer.NewRegistry()
	old.MustRegisterModel(serializer.NamedModel("user", &cachedUserV1{}))
	current := serializer.NewRegistry()
	current.MustRegisterModel(serializer.NamedModel("user", &cachedUser{}))
	stale, err := serializer.EncodeModelWith(old, &cachedUserV1{ID: 1, Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var u cachedUser
	if err := serializer.DecodeModelWith(current, stale, &u); !errors.Is(err, serializer.ErrSchemaChanged) {
		t.Fatalf("schema drift: %v", err)
	}
	if u.ID != 0 {
		t.Fatal("destination changed on error")
	}
}

func TestModelEveryTruncationFails(t *testing.T) {
	data, err := serializer.EncodeModel(sampleUser())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(data); i++ {
		var u cachedUser
		if err := serializer.DecodeModel(data[:i], &u); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", i, len(data))
		}
	}
	flipped := append([]byte(nil), data...)
	flipped[3] = 9
	var u cachedUser
	if err := serializer.DecodeModel(flipped, &u); !errors.Is(err, serializer.ErrVersion) {
		t.Fatalf("version: %v", err)
	}
}

func TestDescribeModel(t *testing.T) {
	data, _ := serializer.EncodeModels([]*cachedUser{sampleUser(), sampleUser()})
	d, err := serializer.DescribeModel(data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != "rows" || d.Model != "github.com/gormpickle/gormpickle/serializer_test.cachedUser" {
		t.Fatalf("%+v", d)
	}
	if _, err := json.Marshal(d); err != nil {
		t.Fatalf("not JSON-encodable: %v", err)
	}
}

func FuzzDecodeModel(f *testing.F) {
	one, _ := serializer.EncodeModel(sampleUser())
	many, _ := serializer.EncodeModels([]cachedUser{*sampleUser(), {ID: 2}})
	f.Add(one)
	f.Add(many)
	f.Fuzz(func(t *testing.T, data []byte) {
		var u cachedUser
		if err := serializer.DecodeModel(data, &u); err == nil {
			again, err := serializer.EncodeModel(&u)
			if err != nil {
				t.Fatalf("decoded model does not encode: %v", err)
			}
			var w cachedUser
			if err := serializer.DecodeModel(again, &w); err != nil {
				t.Fatalf("re-encoded model does not decode: %v", err)
			}
		}
		var us []cachedUser
		_ = serializer.DecodeModels(data, &us)
		_, _ = serializer.DescribeModel(data)
	})
}

// BenchmarkModelCodec compares one row's encode+decode with encoding/json
// and encoding/gob of the same struct.
func BenchmarkModelCodec(b *testing.B) {
	u := sampleUser()
	u.Orders = nil
	codecs := []struct {
		name   string
		encode func() ([]byte, error)
		decode func([]byte) error
	}{
		{"gormpickle", func() ([]byte, error) { return serializer.EncodeModel(u) },
			func(d []byte) error { var v cachedUser; return serializer.DecodeModel(d, &v) }},
		{"json", func() ([]byte, error) { return json.Marshal(u) },
			func(d []byte) error { var v cachedUser; return json.Unmarshal(d, &v) }},
		{"gob", func() ([]byte, error) {
			var buf bytes.Buffer
			err := gob.NewEncoder(&buf).Encode(u)
			return buf.Bytes(), err
		}, func(d []byte) error { var v cachedUser; return gob.NewDecoder(bytes.NewReader(d)).Decode(&v) }},
	}
	for _, c := range codecs {
		b.Run(c.name, func(b *testing.B) {
			data, err := c.encode()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				d, err := c.encode()
				if err != nil {
					b.Fatal(err)
				}
				if err := c.decode(d); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data)), "bytes/row")
		})
	}
}

func ExampleEncodeModel() {
	type Product struct {
		ID    uint
		Name  string
		Price float64
	}
	data, err := serializer.EncodeModel(&Product{ID: 1, Name: "lamp", Price: 19.99})
	if err != nil {
		panic(err)
	}
	var cached Product
	if err := serializer.DecodeModel(data, &cached); err != nil {
		panic(err) // ErrModelMismatch or ErrSchemaChanged: treat as a cache miss
	}
	fmt.Println(cached.Name, cached.Price, len(data) < 100)
	// Output: lamp 19.99 true
}
