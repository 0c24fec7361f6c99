package modelcodec_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"
	_ "time/tzdata" // zones for the time round trips on any machine

	"gorm.io/gorm"
)

// secret keeps its state private behind a Valuer/Scanner pair (Value on the
// pointer receiver), so model payloads store its database value. Scan
// panics on "boom", standing for a Scanner that misbehaves on bad input.
type secret struct{ v string }

func (s *secret) Value() (driver.Value, error) { return "enc:" + s.v, nil }

func (s *secret) Scan(src any) error {
	str, ok := src.(string)
	if !ok || len(str) < 4 || str[:4] != "enc:" {
		return fmt.Errorf("secret: cannot scan %v", src)
	}
	if str == "enc:boom" {
		panic("secret: boom")
	}
	s.v = str[4:]
	return nil
}

// box is a JSON column type with an exported field: model payloads walk
// its value, typed, instead of storing its JSON.
type box[T any] struct{ Data T }

func (b box[T]) Value() (driver.Value, error) { return json.Marshal(b.Data) }

func (b *box[T]) Scan(src any) error {
	s, ok := src.([]byte)
	if !ok {
		return fmt.Errorf("box: cannot scan %T", src)
	}
	return json.Unmarshal(s, &b.Data)
}

// GormDataType makes box a bytes column.
func (box[T]) GormDataType() string { return "bytes" }

// level is a named integer column.
type level int16

type KindBase struct {
	CreatedBy string
	Revision  int
}

type kindAudit struct {
	Reviewer string
	At       *time.Time
}

type KindExtra struct {
	Extra string
}

type kindChild struct {
	ID        uint
	KindRowID uint64
	Name      string
}

type kindParent struct {
	ID   uint
	Name string
}

// kindRow has a column of every kind model payloads handle and one
// relationship of each kind.
type kindRow struct {
	ID uint64 `gorm:"primaryKey"`
	KindBase
	*KindExtra
	Audit     kindAudit `gorm:"embedded;embeddedPrefix:audit_"`
	Name      string    `gorm:"column:display_name"`
	I8        int8
	I64       int64
	U8        uint8
	U64       uint64
	F32       float32
	F64       float64
	On        bool
	Level     level
	Nick      *string
	Missing   *int
	Raw       []byte
	Empty     []byte
	NoBytes   []byte
	Code      [16]byte
	At        time.Time
	AtUTC     time.Time
	AtFixed   time.Time
	AtZero    time.Time
	NString   sql.NullString
	NInt      sql.NullInt64
	NTime     sql.NullTime
	DeletedAt gorm.DeletedAt
	Secret    secret
	NoSecret  *secret
	Doc       box[map[string][]*int]
	Tags      []string       `gorm:"serializer:json"`
	Limits    map[string]int `gorm:"serializer:json"`
	Seen      int64          `gorm:"serializer:unixtime;type:time"`

	Children []kindChild   // has many
	Only     *kindChild    `gorm:"foreignKey:KindRowID"` // has one
	ParentID *uint         // belongs to (its foreign key is a column)
	Parent   *kindParent   // belongs to
	Peers    []*kindParent `gorm:"many2many:kind_peers"`
}

func mustZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// sampleKindRow returns a row with every column set to an edge value and
// every relationship populated.
func sampleKindRow(tb testing.TB) *kindRow {
	tb.Helper()
	nick, one, parent := "", 1, uint(3)
	reviewed := time.Date(2024, 2, 29, 23, 59, 59, 999999999, mustZone(tb, "Asia/Kolkata"))
	return &kindRow{
		ID:        math.MaxUint64,
		KindBase:  KindBase{CreatedBy: "ann", Revision: -2},
		KindExtra: &KindExtra{Extra: "x"},
		Audit:     kindAudit{Reviewer: "bob", At: &reviewed},
		Name:      "lamp ✓", I8: math.MinInt8, I64: math.MinInt64, U8: math.MaxUint8, U64: math.MaxUint64,
		F32: math.SmallestNonzeroFloat32, F64: math.Inf(-1), On: true, Level: -7,
		Nick: &nick, Raw: []byte{0, 1, 0xff}, Empty: []byte{}, Code: [16]byte{1, 2, 3, 15: 0xff},
		At:      time.Date(2025, 3, 9, 1, 30, 0, 123456789, mustZone(tb, "America/New_York")),
		AtUTC:   time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC),
		AtFixed: time.Date(2030, 1, 1, 0, 0, 0, 0, time.FixedZone("ZZT", -(3*3600+1800))),
		NString: sql.NullString{String: "", Valid: true}, NInt: sql.NullInt64{Int64: 5},
		NTime:     sql.NullTime{Time: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), Valid: true},
		DeletedAt: gorm.DeletedAt{Time: time.Date(2002, 2, 2, 2, 2, 2, 2, time.UTC), Valid: true},
		Secret:    secret{v: "s3cret"},
		Doc:       box[map[string][]*int]{Data: map[string][]*int{"a": {&one, nil}, "b": nil, "c": {}}},
		Tags:      []string{"b", "a"}, Limits: map[string]int{"x": 1, "y": 2, "z": 3, "w": 4},
		Seen:     1700000000,
		Children: []kindChild{{ID: 1, Name: "c"}}, Only: &kindChild{ID: 2},
		ParentID: &parent, Parent: &kindParent{ID: 3, Name: "p"}, Peers: []*kindParent{{ID: 4}},
	}
}

// sameTime fails unless got and want are the same instant, wall clock,
// zone abbreviation, offset and location name, then makes *got == *want
// so the rest of a row can be compared with reflect.DeepEqual (locations
// are pointers).
func sameTime(tb testing.TB, name string, got *time.Time, want time.Time) {
	tb.Helper()
	gn, goff := got.Zone()
	wn, woff := want.Zone()
	if !got.Equal(want) || got.Format(time.RFC3339Nano) != want.Format(time.RFC3339Nano) ||
		gn != wn || goff != woff || got.Location().String() != want.Location().String() {
		tb.Fatalf("%s: got %v (%s), want %v (%s)", name, *got, got.Location(), want, want.Location())
	}
	*got = want
}
