package tests

import (
	"database/sql/driver"
	"reflect"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/fixture"
)

// item has a soft-delete column and typed columns for value round trips.
type item struct {
	ID        uint
	Name      string
	Price     float64
	Qty       int16
	Blob      []byte
	Status    status
	CreatedAt time.Time
	DeletedAt gorm.DeletedAt
}

// status is a registered user type (gormpickle.WithTypes).
type status string

// upper is an unregistered driver.Valuer: it travels as its Value().
type upper string

func (u upper) Value() (driver.Value, error) { return strings.ToUpper(string(u)), nil }

// contact is embedded with a prefix into person.
type contact struct {
	Email string
	Phone string
}

type person struct {
	ID      uint
	Name    string
	Contact contact `gorm:"embedded;embeddedPrefix:contact_"`
}

// unicodeRow is SQLAlchemy's test_unicode table.
type unicodeRow struct {
	ID uint `gorm:"column:測試_id;primaryKey;autoIncrement:false"`
}

func (unicodeRow) TableName() string { return "測試" }

// optimizerHint is a registered clause.Expression written after SELECT.
type optimizerHint struct{ Text string }

func (h optimizerHint) Build(b clause.Builder) { b.WriteString("/* " + h.Text + " */") }

// ModifyStatement places the hint in the SELECT clause's after-name slot,
// as hint plugins do.
func (h optimizerHint) ModifyStatement(stmt *gorm.Statement) {
	c := stmt.Clauses["SELECT"]
	c.Name = "SELECT"
	c.AfterNameExpression = h
	stmt.Clauses["SELECT"] = c
}

// pairRow is a row of the self-join scenario.
type pairRow struct {
	ID      uint
	Name    string
	OtherID uint
}

type nameCount struct {
	Name string
	N    int
}

var baseTime = time.Date(2024, 3, 10, 12, 30, 0, 123456000, time.UTC)

// extraModels are the models the corpus uses beyond the fixture.
func extraModels() []any { return []any{&item{}, &person{}, &unicodeRow{}} }

func allModels() []any { return append(fixture.Models(), extraModels()...) }

// seedExtra creates and fills the extra models' tables.
func seedExtra(db *gorm.DB) error {
	if err := db.AutoMigrate(extraModels()...); err != nil {
		return err
	}
	items := []item{
		{ID: 1, Name: "apple", Price: 1.5, Qty: 3, Blob: []byte{1, 2}, Status: "fresh", CreatedAt: baseTime},
		{ID: 2, Name: "pear", Price: 2.25, Qty: 5, Blob: []byte{3}, Status: "fresh", CreatedAt: baseTime.Add(time.Hour)},
		{ID: 3, Name: "plum", Price: 0.75, Qty: 8, Blob: []byte{4}, Status: "old", CreatedAt: baseTime.Add(48 * time.Hour)},
	}
	if err := db.Create(&items).Error; err != nil {
		return err
	}
	if err := db.Delete(&item{}, 2).Error; err != nil {
		return err
	}
	people := []person{{ID: 1, Name: "ann", Contact: contact{Email: "ann@x.org", Phone: "1"}}, {ID: 2, Name: "bob", Contact: contact{Email: "bob@y.org"}}}
	if err := db.Create(&people).Error; err != nil {
		return err
	}
	return db.Create(&[]unicodeRow{{ID: 5}, {ID: 6}}).Error
}

func reflectType(v any) reflect.Type { return reflect.TypeOf(v) }
