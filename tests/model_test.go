package tests

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/modelcodec"
	"github.com/gormpickle/gormpickle/pickletype"
	"github.com/gormpickle/gormpickle/serializer"
)

// uuidLike is a UUID-shaped [16]byte with a Valuer/Scanner pair, as
// github.com/google/uuid's UUID is.
type uuidLike [16]byte

func (u uuidLike) Value() (driver.Value, error) { return u[:], nil }

func (u *uuidLike) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok || len(b) != 16 {
		return fmt.Errorf("uuidLike: cannot scan %T", src)
	}
	copy(u[:], b)
	return nil
}

// money keeps its state private behind a Valuer/Scanner pair: the model
// codec stores its database value.
type money struct{ cents int64 }

func (m money) Value() (driver.Value, error) { return m.cents, nil }

func (m *money) Scan(src any) error {
	c, ok := src.(int64)
	if !ok {
		return fmt.Errorf("money: cannot scan %T", src)
	}
	m.cents = c
	return nil
}

type audit struct {
	CreatedBy string
	Revision  int
}

type tag struct {
	ID        uint
	Name      string
	ProductID uint
}

type profile struct {
	ID        uint
	ProductID uint
	Bio       string
}

// ProductExtra is embedded through a pointer.
type ProductExtra struct {
	Label string
}

type category struct {
	ID   uint
	Name string
}

// product has a column of every kind the model codec handles, plus one
// relationship of each kind.
type product struct {
	ID       uint
	Code     uuidLike `gorm:"type:bytes"`
	Name     string   `gorm:"column:product_name"`
	Price    float64
	Cost     money
	Weight   float32
	Stock    int16
	Serial   uint64
	Active   bool
	Note     *string
	Missing  *string
	Raw      []byte
	At       time.Time
	Nullable sql.NullString
	NullTime sql.NullTime
	Meta     map[string]int `gorm:"serializer:json"`
	Prefs    pickletype.Type[prefs]
	Audit    audit `gorm:"embedded;embeddedPrefix:audit_"`
	*ProductExtra
	Count     sql.NullInt64
	Local     time.Time
	SeenAt    int64 `gorm:"serializer:unixtime;type:timestamp"`
	DeletedAt gorm.DeletedAt

	Tags       []tag       // has many
	Profile    *profile    // has one
	CategoryID *uint       // belongs to
	Category   *category   // belongs to
	Related    []*category `gorm:"many2many:product_related"`
}

func TestModelCacheRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.AutoMigrate(&category{}, &product{}, &tag{}, &profile{}); err != nil {
			t.Fatal(err)
		}
		note := "fragile"
		catID := uint(1)
		at := time.Date(2025, 7, 8, 9, 10, 11, 123456000, time.UTC)
		want := product{
			ID: 1, Code: uuidLike{1, 2, 3, 15: 255}, Name: "lamp", Price: 19.99, Cost: money{cents: 1250}, Weight: 1.5, Stock: -3,
			Serial: math.MaxUint64 / 3, Active: true, Note: &note, Raw: []byte{0, 1, 2},
			At: at, Nullable: sql.NullString{String: "x", Valid: true}, NullTime: sql.NullTime{Time: at, Valid: true},
			Meta: map[string]int{"a": 1}, Prefs: pickletype.Of(prefs{Theme: "dark"}),
			Audit: audit{CreatedBy: "ann", Revision: 2}, CategoryID: &catID,
			ProductExtra: &ProductExtra{Label: "new"}, Count: sql.NullInt64{Int64: -5, Valid: true},
			Local: time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("", 5*3600+1800)), SeenAt: 1700000000,
			Tags: []tag{{ID: 1, Name: "new"}}, Profile: &profile{ID: 1, Bio: "bio"},
			Category: &category{ID: 1, Name: "home"}, Related: []*category{{ID: 2, Name: "garden"}},
		}
		if backendName(db) == dbtest.MySQL {
			// MySQL keeps microseconds; compare what it stores.
			want.At, want.NullTime.Time = at.Truncate(time.Microsecond), at.Truncate(time.Microsecond)
		}
		if err := db.Create(&want).Error; err != nil {
			t.Fatal(err)
		}
		var loaded product
		if err := db.Preload("Tags").Preload("Profile").Preload("Category").Preload("Related").First(&loaded, 1).Error; err != nil {
			t.Fatal(err)
		}
		if len(loaded.Tags) != 1 || loaded.Profile == nil || loaded.Category == nil || len(loaded.Related) != 1 {
			t.Fatalf("relationships not loaded before encoding: %+v", loaded)
		}
		data, err := modelcodec.Encode(&loaded)
		if err != nil {
			t.Fatal(err)
		}
		var got product
		if err := modelcodec.Decode(data, &got); err != nil {
			t.Fatal(err)
		}
		if got.Tags != nil || got.Profile != nil || got.Category != nil || got.Related != nil {
			t.Fatalf("relationships came back: %+v", got)
		}
		expect := loaded
		expect.Tags, expect.Profile, expect.Category, expect.Related = nil, nil, nil, nil
		if got.ProductExtra == nil || got.Label != "new" {
			t.Fatalf("embedded pointer: %+v", got.ProductExtra)
		}
		sameTime(t, "At", &got.At, expect.At)
		sameTime(t, "NullTime", &got.NullTime.Time, expect.NullTime.Time)
		sameTime(t, "Local", &got.Local, expect.Local)
		sameTime(t, "DeletedAt", &got.DeletedAt.Time, expect.DeletedAt.Time)
		if !reflect.DeepEqual(got, expect) {
			t.Fatalf("decoded row differs\ngot  %+v\nwant %+v", got, expect)
		}
		again, _ := modelcodec.Encode(&loaded)
		if string(again) != string(data) {
			t.Fatal("encoding the same row twice gave different bytes")
		}
		// A list of rows.
		var rows []product
		if err := db.Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		list, err := modelcodec.EncodeMany(rows)
		if err != nil {
			t.Fatal(err)
		}
		var back []*product
		if err := modelcodec.DecodeMany(list, &back); err != nil || len(back) != 1 || back[0].Name != "lamp" {
			t.Fatalf("list: %v, %v", back, err)
		}
		if err := modelcodec.Decode(list, &got); !errors.Is(err, modelcodec.ErrModelMismatch) {
			t.Fatalf("list decoded as one row: %v", err)
		}
	})
}

// sameTime fails unless got is the instant want is, in a zone with the
// same name and offset, then sets *got = want (locations are pointers,
// which reflect.DeepEqual compares).
func sameTime(t *testing.T, name string, got *time.Time, want time.Time) {
	t.Helper()
	gn, goff := got.Zone()
	wn, woff := want.Zone()
	if !got.Equal(want) || gn != wn || goff != woff || got.Location().String() != want.Location().String() {
		t.Fatalf("%s: got %v (%s), want %v (%s)", name, *got, got.Location(), want, want.Location())
	}
	*got = want
}

// productV0 is an older deploy's view of the products table.
type productV0 struct {
	ID    uint
	Name  string `gorm:"column:product_name"`
	Price float64
}

func (productV0) TableName() string { return "products" }

func TestModelCacheDriftMismatchTruncation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.AutoMigrate(&category{}, &product{}); err != nil {
			t.Fatal(err)
		}
		if err := db.Create(&product{ID: 1, Name: "lamp", Price: 2.5, At: time.Now().UTC(), SeenAt: 1700000000}).Error; err != nil {
			t.Fatal(err)
		}
		// A payload cached by the older deploy.
		var old productV0
		if err := db.First(&old, 1).Error; err != nil {
			t.Fatal(err)
		}
		before := serializer.NewRegistry()
		before.MustRegisterModel(serializer.NamedModel("product", &productV0{}))
		stale, err := modelcodec.EncodeWith(before, &old)
		if err != nil {
			t.Fatal(err)
		}
		now := serializer.NewRegistry()
		now.MustRegisterModel(serializer.NamedModel("product", &product{}))
		var p product
		if err := modelcodec.DecodeWith(now, stale, &p); !errors.Is(err, modelcodec.ErrSchemaChanged) {
			t.Fatalf("payload of the older struct: got %v, want ErrSchemaChanged", err)
		}
		var back productV0
		if err := modelcodec.DecodeWith(before, stale, &back); err != nil || back != old {
			t.Fatalf("same deploy: %+v, %v", back, err)
		}
		// Another model.
		var loaded product
		if err := db.First(&loaded, 1).Error; err != nil {
			t.Fatal(err)
		}
		data, err := modelcodec.Encode(&loaded)
		if err != nil {
			t.Fatal(err)
		}
		var c category
		if err := modelcodec.Decode(data, &c); !errors.Is(err, modelcodec.ErrModelMismatch) {
			t.Fatalf("another model: got %v, want ErrModelMismatch", err)
		}
		// Every truncation.
		for i := range data {
			if err := modelcodec.Decode(data[:i], &p); !errors.Is(err, serializer.ErrCorrupt) {
				t.Fatalf("truncated to %d of %d bytes: got %v, want ErrCorrupt", i, len(data), err)
			}
		}
		if p.ID != 0 {
			t.Fatal("destination changed on error")
		}
	})
}
