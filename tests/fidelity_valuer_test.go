package tests

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/datatypes"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// valPair is the document of a datatypes.JSONType column.
type valPair struct {
	A int
	B string
}

// valRow has a column of each well-known scalar type (issue #15 item 5).
// WithModels registers the named types of its fields, as it does for an
// application's models.
type valRow struct {
	ID       uint            `gorm:"primaryKey;autoIncrement:false"`
	ParentID *uint           // Children: a relation to preload with conditions
	Price    decimal.Decimal `gorm:"type:decimal(12,4)"`
	Ref      uuid.UUID       `gorm:"type:varchar(36)"`
	Day      datatypes.Date
	Attrs    datatypes.JSON
	Meta     datatypes.JSONMap
	Pair     datatypes.JSONType[valPair]
	Tags     datatypes.JSONSlice[string]
	Clock    datatypes.Time
	Link     datatypes.URL
	Bin      datatypes.BinUUID
	Opt      datatypes.Null[string] `gorm:"type:varchar(40)"`
	Raw      json.RawMessage
	Note     sql.NullString
	At       time.Time
	Children []valRow `gorm:"foreignKey:ParentID"`
}

var (
	valRef  = uuid.MustParse("6f1c2a4e-8d1b-4c3a-9e5f-0a1b2c3d4e5f")
	valLink = func() datatypes.URL {
		u, err := url.Parse("https://example.org/a?b=1")
		if err != nil {
			panic(err)
		}
		return datatypes.URL(*u)
	}()
	valAt = time.Date(2024, 3, 10, 12, 30, 0, 0, time.UTC)
)

// valValues are a row's values, one per column, of row 2 (the child of
// row 1), which every condition below matches.
func valValues() map[string]any {
	return map[string]any{
		"price": decimal.RequireFromString("2.5"),
		"ref":   valRef,
		"day":   datatypes.Date(time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)),
		"attrs": datatypes.JSON(`{"a":1}`),
		"meta":  datatypes.JSONMap{"k": "v"},
		"pair":  datatypes.NewJSONType(valPair{A: 1, B: "x"}),
		"tags":  datatypes.JSONSlice[string]{"x", "y"},
		"clock": datatypes.NewTime(9, 30, 0, 0),
		"link":  valLink,
		"bin":   datatypes.BinUUID(valRef),
		"opt":   datatypes.NewNull("opt"),
		"raw":   json.RawMessage(`{"r":1}`),
		"note":  sql.NullString{String: "n", Valid: true},
		"at":    valAt,
	}
}

func openValDB(t *testing.T, db *gorm.DB, opts ...gormpickle.Option) *gorm.DB {
	t.Helper()
	if err := db.Use(shadowtest.New(t, append([]gormpickle.Option{gormpickle.WithModels(&valRow{})}, opts...)...)); err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(&valRow{}); err != nil {
		t.Fatal(err)
	}
	v := valValues()
	one := uint(1)
	full := valRow{ID: 2, ParentID: &one, Price: v["price"].(decimal.Decimal), Ref: valRef, Day: v["day"].(datatypes.Date),
		Attrs: v["attrs"].(datatypes.JSON), Meta: v["meta"].(datatypes.JSONMap), Pair: v["pair"].(datatypes.JSONType[valPair]),
		Tags: v["tags"].(datatypes.JSONSlice[string]), Clock: v["clock"].(datatypes.Time), Link: valLink,
		Bin: v["bin"].(datatypes.BinUUID), Opt: v["opt"].(datatypes.Null[string]), Raw: v["raw"].(json.RawMessage),
		Note: v["note"].(sql.NullString), At: valAt}
	empty := valRow{ID: 1, Price: decimal.RequireFromString("1"), Day: datatypes.Date(valAt), Attrs: datatypes.JSON(`{}`),
		Meta: datatypes.JSONMap{}, Tags: datatypes.JSONSlice[string]{}, Raw: json.RawMessage(`{}`), At: valAt}
	if err := db.Create(&[]valRow{empty, full}).Error; err != nil {
		t.Fatal(err)
	}
	return db
}

// rows starts a chain on valRow.
func rows(db *gorm.DB) *gorm.DB { return db.Model(&valRow{}) }

// valClauses place a value v compared with column col in each clause a
// value can reach.
var valClauses = []struct {
	name  string
	build func(db *gorm.DB, col string, v any) *gorm.DB
}{
	{"Where", func(db *gorm.DB, col string, v any) *gorm.DB { return rows(db).Where(col+" = ?", v) }},
	{"Not", func(db *gorm.DB, col string, v any) *gorm.DB { return rows(db).Not(col+" = ?", v) }},
	{"Or", func(db *gorm.DB, col string, v any) *gorm.DB { return rows(db).Where("id < 0").Or(col+" = ?", v) }},
	{"Having", func(db *gorm.DB, col string, v any) *gorm.DB {
		return rows(db).Select("id").Group("id, "+col).Having(col+" = ?", v)
	}},
	{"Joins", func(db *gorm.DB, col string, v any) *gorm.DB {
		return rows(db).Joins("JOIN val_rows p2 ON p2.id = val_rows.id AND p2."+col+" = ?", v)
	}},
	{"Select", func(db *gorm.DB, col string, v any) *gorm.DB {
		return rows(db).Select("id, CASE WHEN "+col+" = ? THEN 1 ELSE 0 END AS hit", v)
	}},
	{"Order", func(db *gorm.DB, col string, v any) *gorm.DB {
		return rows(db).Order(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN " + col + " = ? THEN 0 ELSE 1 END, id", Vars: []any{v}, WithoutParentheses: true}})
	}},
	{"Subquery", func(db *gorm.DB, col string, v any) *gorm.DB {
		return rows(db).Where("id IN (?)", rows(db).Select("id").Where(col+" = ?", v))
	}},
	{"Table", func(db *gorm.DB, col string, v any) *gorm.DB {
		return rows(db).Table("(?) AS val_rows", rows(db).Where(col+" = ?", v))
	}},
	{"Preload", func(db *gorm.DB, col string, v any) *gorm.DB { return rows(db).Preload("Children", col+" = ?", v) }},
}

// TestWellKnownValues is issue #15 item 5: values of well-known scalar
// types (decimal, uuid, sql.Null*, time.Time, json.RawMessage and
// go-gorm/datatypes) travel in every clause, by value and by pointer,
// registered (as WithModels registers a model's field types) or not.
func TestWellKnownValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openValDB(t, db)
		for col, v := range valValues() {
			for _, byPtr := range []bool{false, true} {
				val, kind := v, "value"
				if byPtr {
					val, kind = pointerTo(v), "pointer"
				}
				for _, cl := range valClauses {
					t.Run(col+"/"+kind+"/"+cl.name, func(t *testing.T) {
						checkFidelity(t, db, fidelityCase{dest: func() any { return &[]valRow{} }, build: func(db *gorm.DB) *gorm.DB {
							return cl.build(db, col, val).Order("id")
						}})
					})
				}
			}
			t.Run(col+"/IN", func(t *testing.T) {
				checkFidelity(t, db, fidelityCase{dest: func() any { return &[]valRow{} }, build: func(db *gorm.DB) *gorm.DB {
					return rows(db).Where(col+" IN ?", sliceOf(v)).Order("id")
				}})
			})
		}
		v := valValues()
		for _, c := range []fidelityCase{
			{name: "struct condition", build: func(db *gorm.DB) *gorm.DB {
				return db.Where(&valRow{Price: v["price"].(decimal.Decimal), Pair: v["pair"].(datatypes.JSONType[valPair])})
			}},
			{name: "named arguments", build: func(db *gorm.DB) *gorm.DB {
				return rows(db).Where("price = @p OR day = @d OR pair = @j", map[string]any{"p": v["price"], "d": v["day"], "j": v["pair"]})
			}},
			{name: "model value", build: func(db *gorm.DB) *gorm.DB {
				return db.Model(&valRow{ID: 2, Price: v["price"].(decimal.Decimal), Day: v["day"].(datatypes.Date), Pair: v["pair"].(datatypes.JSONType[valPair])})
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.dest = func() any { return &[]valRow{} }
				checkFidelity(t, db, c)
			})
		}
	})
}

// TestWellKnownValuesStrict: under the strict policy the values travel in
// structured conditions (the tag a registered Valuer is written with is
// read through the policy's check of registered types).
func TestWellKnownValuesStrict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openValDB(t, db)
		strict := pluginDB(t, db, gormpickle.WithModels(&valRow{}), gormpickle.WithoutRawSQL())
		for col, v := range valValues() {
			for _, val := range []any{v, pointerTo(v)} {
				c := fidelityCase{dest: func() any { return &[]valRow{} }, build: func(db *gorm.DB) *gorm.DB {
					return rows(db).Where(clause.Eq{Column: clause.Column{Name: col}, Value: val}).
						Or(clause.IN{Column: clause.Column{Name: col}, Values: []any{val}}).Order("id")
				}}
				loaded, err := gormpickle.Loads(mustDump(t, c.build(db)), strict)
				if err != nil {
					t.Fatalf("%s %T: %v", col, val, err)
				}
				sameStatement(t, c, c.build(strict), loaded)
			}
		}
	})
}

// TestWellKnownValuesUnregistered: on a DB where no model registers these
// types, the values that are driver.Valuers travel as the driver value
// they return (GORM binds them the same); a gorm.Valuer (the datatypes
// JSON types), whose GormValue writes SQL on the target, must be
// registered, and Dumps says so.
func TestWellKnownValuesUnregistered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		openValDB(t, dbtest.Reopen(t, db))
		bare := pluginDB(t, db, gormpickle.WithModels(gormpickle.NamedModel("other", &cpMember{})))
		for col, v := range valValues() {
			for _, val := range []any{v, pointerTo(v), sliceOf(v)} {
				cond := col + " = ?"
				if reflect.TypeOf(val).Kind() == reflect.Slice && reflect.TypeOf(val).Elem() == reflect.TypeOf(v) {
					cond = col + " IN ?"
				}
				c := fidelityCase{dest: func() any { return &[]valRow{} }, build: func(db *gorm.DB) *gorm.DB {
					return db.Table("val_rows").Where(cond, val).Order("id")
				}}
				if _, gv := reflect.TypeOf(v).MethodByName("GormValue"); gv {
					_, err := gormpickle.Dumps(c.build(bare))
					expectErr(t, err, gormpickle.ErrNotSerializable, "gorm.Valuer", "WithTypes")
					continue
				}
				t.Run(fmt.Sprintf("%s/%T", col, val), func(t *testing.T) { checkFidelity(t, bare, c) })
			}
		}
		// GORM keeps Having in the GROUP BY clause; the error names Having.
		_, err := gormpickle.Dumps(bare.Table("val_rows").Group("id").Having("MAX(id) > ?", datatypes.JSONMap{}))
		expectErr(t, err, gormpickle.ErrNotSerializable, "in Having")
	})
}
