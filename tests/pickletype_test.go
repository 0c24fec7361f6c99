package tests

import (
	"bytes"
	"crypto/rand"
	"encoding/gob"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/pickletype"
)

type prefs struct {
	Theme  string
	Tags   []string
	When   time.Time
	Nested [][]int
	Ptr    *int
}

// shape is an interface whose implementations are gob-registered.
type shape interface{ Area() float64 }

type square struct{ Side float64 }

func (s square) Area() float64 { return s.Side * s.Side }

type circle struct{ R float64 }

func (c circle) Area() float64 { return 3 * c.R * c.R }

func init() {
	gob.Register(square{})
	gob.Register(circle{})
	if err := pickletype.Register("reversed-json", reversedJSON{}); err != nil {
		panic(err)
	}
}

// reversedJSON is a custom codec: JSON with its bytes reversed.
type reversedJSON struct{}

func reverse(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[len(b)-1-i] = c
	}
	return out
}

func (reversedJSON) Marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	return reverse(b), err
}

func (reversedJSON) Unmarshal(data []byte, v any) error { return json.Unmarshal(reverse(data), v) }

type pickleRow struct {
	ID       uint
	Typed    pickletype.Type[prefs]
	Counts   pickletype.Type[map[string]int]
	Shape    pickletype.Type[shape]
	Blob     pickletype.Type[[]byte]
	Settings prefs          `gorm:"serializer:pickle"`
	Optional *prefs         `gorm:"serializer:pickle"`
	Labels   map[string]int `gorm:"serializer:pickle;pickler:msgpack"`
	List     []string       `gorm:"serializer:pickle;pickler:json"`
	Custom   []int          `gorm:"serializer:pickle;pickler:reversed-json"`
	Packed   []string       `gorm:"serializer:pickle;pickler:msgpack;compress:64;type:bytes"`
}

func pickleDB(t *testing.T, db *gorm.DB) *gorm.DB {
	t.Helper()
	if err := db.AutoMigrate(&pickleRow{}); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestPickletypeRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pickleDB(t, db)
		seven := 7
		when := time.Date(2025, 1, 2, 3, 4, 5, 600000000, time.FixedZone("X", 3600))
		full := pickleRow{
			ID:       1,
			Typed:    pickletype.Of(prefs{Theme: "dark", Tags: []string{"a", "b"}, When: when, Nested: [][]int{{1}, {2, 3}}, Ptr: &seven}),
			Counts:   pickletype.Of(map[string]int{"x": 1, "y": 2}),
			Shape:    pickletype.Of[shape](circle{R: 2}),
			Blob:     pickletype.Of([]byte{0, 1, 2, 255}),
			Settings: prefs{Theme: "light", When: when},
			Optional: &prefs{Theme: "opt"},
			Labels:   map[string]int{"k": 9},
			List:     []string{"p", "q"},
			Custom:   []int{3, 2, 1},
			Packed:   []string{strings.Repeat("compressible ", 40)},
		}
		empty := pickleRow{
			ID:     2,
			Counts: pickletype.Of(map[string]int{}),
			Labels: map[string]int{},
			List:   []string{},
		}
		if err := db.Create(&[]pickleRow{full, empty, {ID: 3}}).Error; err != nil {
			t.Fatal(err)
		}
		var got []pickleRow
		if err := db.Order("id").Find(&got).Error; err != nil {
			t.Fatal(err)
		}
		if !got[0].Typed.Data.When.Equal(when) {
			t.Fatalf("time: %v, want %v", got[0].Typed.Data.When, when)
		}
		got[0].Typed.Data.When, got[0].Settings.When = when, when
		if !reflect.DeepEqual(got[0], full) {
			t.Fatalf("full row:\ngot  %+v\nwant %+v", got[0], full)
		}
		if got[0].Shape.Data.Area() != 12 {
			t.Fatalf("interface value: %#v", got[0].Shape.Data)
		}
		if got[1].Counts.Data == nil || len(got[1].Counts.Data) != 0 || got[1].Labels == nil || got[1].List == nil {
			t.Fatalf("empty non-nil values came back nil: %+v", got[1])
		}
		if !reflect.DeepEqual(got[2], pickleRow{ID: 3}) {
			t.Fatalf("zero row: %+v", got[2])
		}
		// nil-like values are NULL; empty ones are not.
		for _, c := range []struct {
			column string
			nulls  int64
		}{{"typed", 0}, {"counts", 1}, {"shape", 2}, {"optional", 2}, {"labels", 1}, {"list", 1}, {"custom", 2}} {
			var n int64
			if err := db.Model(&pickleRow{}).Where(c.column + " IS NULL").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != c.nulls {
				t.Errorf("%s: %d NULL rows, want %d", c.column, n, c.nulls)
			}
		}
		// Equality lookups work with a deterministic codec.
		var byLabels []pickleRow
		if err := db.Where(&pickleRow{Labels: map[string]int{"k": 9}}).Find(&byLabels).Error; err != nil || len(byLabels) != 1 || byLabels[0].ID != 1 {
			t.Fatalf("lookup by msgpack value: %d rows, %v", len(byLabels), err)
		}
	})
}

func TestPickletypeColumnTypes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pickleDB(t, db)
		var query string
		var want map[string]string
		switch backendName(db) {
		case dbtest.Postgres:
			query = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'pickle_rows'"
			want = map[string]string{"typed": "bytea", "blob": "bytea", "settings": "text", "packed": "bytea"}
		case dbtest.MySQL:
			query = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'pickle_rows'"
			want = map[string]string{"typed": "longblob", "blob": "longblob", "settings": "longtext", "packed": "longblob"}
		default:
			query = "SELECT name, type FROM pragma_table_info('pickle_rows')"
			want = map[string]string{"typed": "blob", "blob": "blob", "settings": "text", "packed": "blob"}
		}
		rows, err := db.Raw(query).Rows()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string]string{}
		for rows.Next() {
			var name, typ string
			if err := rows.Scan(&name, &typ); err != nil {
				t.Fatal(err)
			}
			got[strings.ToLower(name)] = strings.ToLower(typ)
		}
		for col, typ := range want {
			if got[col] != typ {
				t.Errorf("column %s is %q, want %q", col, got[col], typ)
			}
		}
	})
}

func TestPickletypeCorruptBytesGiveErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pickleDB(t, db)
		if err := db.Create(&pickleRow{ID: 1, Settings: prefs{Theme: "x"}, Typed: pickletype.Of(prefs{Theme: "y"})}).Error; err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			column, value, mention string
		}{
			{"settings", "not a pickle", "pickleRow.Settings"},
			{"settings", "pickle:@@@", "pickleRow.Settings"},
		} {
			if err := db.Exec("UPDATE pickle_rows SET "+c.column+" = ? WHERE id = 1", c.value).Error; err != nil {
				t.Fatal(err)
			}
			var row pickleRow
			err := db.First(&row, 1).Error
			if !errors.Is(err, pickletype.ErrCorrupt) || !strings.Contains(err.Error(), c.mention) {
				t.Fatalf("%s = %q: error %v", c.column, c.value, err)
			}
		}
		for _, value := range [][]byte{{1, 2, 3}, []byte("PKL\x01\x00\x03gob\xff\xff")} {
			if err := db.Exec("UPDATE pickle_rows SET settings = NULL, typed = ? WHERE id = 1", value).Error; err != nil {
				t.Fatal(err)
			}
			var row pickleRow
			err := db.First(&row, 1).Error
			if !errors.Is(err, pickletype.ErrCorrupt) || !strings.Contains(err.Error(), "pickletype.Type[tests.prefs]") {
				t.Fatalf("typed = %q: error %v", value, err)
			}
		}
	})
}

func TestPickletypeLargeValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pickleDB(t, db)
		big := make([]byte, 200<<10)
		if _, err := rand.Read(big); err != nil {
			t.Fatal(err)
		}
		long := []string{strings.Repeat("large and compressible ", 8<<10)}
		if err := db.Create(&pickleRow{ID: 1, Blob: pickletype.Of(big), Packed: long}).Error; err != nil {
			t.Fatal(err)
		}
		var row pickleRow
		if err := db.First(&row, 1).Error; err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(row.Blob.Data, big) || !reflect.DeepEqual(row.Packed, long) {
			t.Fatalf("large values truncated: %d bytes, %d strings", len(row.Blob.Data), len(row.Packed))
		}
		var stored int64
		if err := db.Raw("SELECT LENGTH(packed) FROM pickle_rows WHERE id = 1").Scan(&stored).Error; err != nil {
			t.Fatal(err)
		}
		if stored >= int64(len(long[0])/4) {
			t.Fatalf("compress setting ignored: %d bytes stored for %d", stored, len(long[0]))
		}
	})
}

// trackedDoc records, in its BeforeUpdate hook, whether an update changes
// its pickled body according to pickletype.Changed.
type trackedDoc struct {
	ID      uint
	Body    pickletype.Type[prefs]
	changed *bool
}

func (d *trackedDoc) BeforeUpdate(tx *gorm.DB) error {
	if d.changed != nil {
		*d.changed = pickletype.Changed(tx, "Body")
	}
	return nil
}

func TestPickletypeChangedInHooks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.AutoMigrate(&trackedDoc{}); err != nil {
			t.Fatal(err)
		}
		doc := trackedDoc{ID: 1, Body: pickletype.Of(prefs{Theme: "dark", Tags: []string{"a"}})}
		if err := db.Create(&doc).Error; err != nil {
			t.Fatal(err)
		}
		var changed bool
		doc.changed = &changed
		same := pickletype.Of(prefs{Theme: "dark", Tags: []string{"a"}})
		if err := db.Model(&doc).Updates(map[string]any{"Body": same}).Error; err != nil {
			t.Fatal(err)
		}
		if changed {
			t.Fatal("an equal value reported as changed")
		}
		if err := db.Model(&doc).Updates(map[string]any{"Body": pickletype.Of(prefs{Theme: "light"})}).Error; err != nil {
			t.Fatal(err)
		}
		if !changed {
			t.Fatal("a different value reported as unchanged")
		}
	})
}
