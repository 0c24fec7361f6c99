package modelcodec_test

import (
	"bytes"
	"database/sql"
	"encoding/gob"
	"encoding/json"
	"testing"
	"time"

	"github.com/gormpickle/gormpickle/modelcodec"
	"gorm.io/gorm"
)

// benchRow is a typical cached row that encoding/json and encoding/gob
// can also handle (no private state, no serializer-only types).
type benchRow struct {
	ID        uint64
	Name      string
	Email     *string
	Score     float64
	Active    bool
	Balance   int64
	Code      [16]byte
	Avatar    []byte
	Note      sql.NullString
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt gorm.DeletedAt
	Tags      []string    `gorm:"serializer:json"`
	Posts     []kindChild `gorm:"-"` // a relationship in real models; empty here
}

func sampleBenchRow(i int) benchRow {
	email := "ann@example.com"
	at := time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC)
	return benchRow{ID: uint64(i), Name: "Ann Example", Email: &email, Score: 4.5, Active: true, Balance: -12050,
		Code: [16]byte{0xde, 0xad, 15: byte(i)}, Avatar: bytes.Repeat([]byte{7}, 32),
		Note: sql.NullString{String: "vip", Valid: true}, CreatedAt: at, UpdatedAt: at.Add(time.Hour),
		Tags: []string{"a", "b"}}
}

type benchCodec struct {
	name   string
	encode func(v any) ([]byte, error)
	decode func(data []byte, dst any) error
}

var benchCodecs = []benchCodec{
	{"gormpickle",
		func(v any) ([]byte, error) {
			if rows, ok := v.(*[]benchRow); ok {
				return modelcodec.EncodeMany(*rows)
			}
			return modelcodec.Encode(v)
		},
		func(data []byte, dst any) error {
			if rows, ok := dst.(*[]benchRow); ok {
				return modelcodec.DecodeMany(data, rows)
			}
			return modelcodec.Decode(data, dst)
		}},
	{"json", json.Marshal, json.Unmarshal},
	{"gob",
		func(v any) ([]byte, error) {
			var buf bytes.Buffer
			err := gob.NewEncoder(&buf).Encode(v)
			return buf.Bytes(), err
		},
		func(data []byte, dst any) error { return gob.NewDecoder(bytes.NewReader(data)).Decode(dst) }},
}

// benchModel runs encode and decode of value (a *benchRow or *[]benchRow)
// with each codec, reporting the payload size.
func benchModel(b *testing.B, value any, fresh func() any) {
	for _, c := range benchCodecs {
		data, err := c.encode(value)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name+"/encode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.encode(value); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data)), "payload-bytes")
		})
		b.Run(c.name+"/decode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.decode(data, fresh()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data)), "payload-bytes")
		})
	}
}

// BenchmarkModelRow compares one row's encoding and decoding with
// encoding/json and encoding/gob of the same struct. A gob payload carries
// its type descriptors, which a stream of rows would send once.
func BenchmarkModelRow(b *testing.B) {
	row := sampleBenchRow(1)
	benchModel(b, &row, func() any { return new(benchRow) })
}

// BenchmarkModelRows100 does the same for a result set of 100 rows.
func BenchmarkModelRows100(b *testing.B) {
	rows := make([]benchRow, 100)
	for i := range rows {
		rows[i] = sampleBenchRow(i)
	}
	benchModel(b, &rows, func() any { return new([]benchRow) })
}
