package pickletype

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm/schema"
)

type benchPayload struct {
	Name    string
	Tags    []string
	Scores  map[string]int
	Created time.Time
	Items   []benchItem
}

type benchItem struct {
	SKU   string
	Qty   int
	Price float64
}

type benchRow struct {
	ID          uint
	GormGob     benchPayload `gorm:"serializer:gob"`
	GormJSON    benchPayload `gorm:"serializer:json"`
	Pickle      benchPayload `gorm:"serializer:pickle"`
	PickleMsgp  benchPayload `gorm:"serializer:pickle;pickler:msgpack;type:bytes"`
	PickleBytes benchPayload `gorm:"serializer:pickle;type:bytes"`
}

func benchValue() benchPayload {
	return benchPayload{
		Name: "order 1234", Tags: []string{"priority", "gift"},
		Scores:  map[string]int{"speed": 4, "care": 5},
		Created: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC),
		Items:   []benchItem{{"A-1", 2, 9.5}, {"B-7", 1, 24}},
	}
}

// BenchmarkSerializers compares a value's round trip (Value then Scan)
// through GORM's gob and json serializers and through pickle, per field.
func BenchmarkSerializers(b *testing.B) {
	s, err := schema.Parse(&benchRow{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	v := benchValue()
	for _, name := range []string{"GormGob", "GormJSON", "Pickle", "PickleMsgp", "PickleBytes"} {
		f := s.LookUpField(name)
		b.Run(name, func(b *testing.B) {
			dst := reflect.New(s.ModelType).Elem()
			stored, err := f.Serializer.Value(ctx, f, dst, v)
			if err != nil {
				b.Fatal(err)
			}
			size := len(asBytes(stored))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out, err := f.Serializer.Value(ctx, f, dst, v)
				if err != nil {
					b.Fatal(err)
				}
				if err := f.Serializer.Scan(ctx, f, dst, out); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "bytes/value")
		})
	}
	b.Run("TypeT", func(b *testing.B) {
		t := Of(v)
		stored, _ := t.Value()
		size := len(asBytes(stored))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			out, err := t.Value()
			if err != nil {
				b.Fatal(err)
			}
			var back Type[benchPayload]
			if err := back.Scan(out); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(size), "bytes/value")
	})
}

func asBytes(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}
