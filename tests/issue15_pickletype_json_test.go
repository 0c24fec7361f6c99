package tests

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/pickletype"
)

// apiRow is a model an API returns as JSON (issue #15, item 13).
type apiRow struct {
	ID     uint
	Prefs  pickletype.Type[prefs]
	Opt    pickletype.Type[*prefs]
	Counts pickletype.Type[map[string]int]
}

// apiPlain is apiRow with plain fields: the JSON an API should return for
// it, as go-gorm/datatypes' JSONType[T] gives.
type apiPlain struct {
	ID     uint
	Prefs  prefs
	Opt    *prefs
	Counts map[string]int
}

func plainOf(r apiRow) apiPlain {
	return apiPlain{ID: r.ID, Prefs: r.Prefs.Data, Opt: r.Opt.Data, Counts: r.Counts.Data}
}

// TestPickletypeJSON: rows read from each database marshal to JSON with
// each Type as its value (null for NULL), and that JSON read back and
// written again stores the same values.
func TestPickletypeJSON(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.AutoMigrate(&apiRow{}); err != nil {
			t.Fatal(err)
		}
		seven := 7
		when := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
		rows := []apiRow{
			{ID: 1, Prefs: pickletype.Of(prefs{Theme: "dark", Tags: []string{"a"}, When: when, Nested: [][]int{{1}}, Ptr: &seven}),
				Opt: pickletype.Of(&prefs{Theme: "opt", When: when}), Counts: pickletype.Of(map[string]int{"x": 1})},
			{ID: 2},
		}
		if err := db.Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
		var stored []apiRow
		if err := db.Order("id").Find(&stored).Error; err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(stored)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal([]apiPlain{plainOf(stored[0]), plainOf(stored[1])})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("JSON of the rows:\ngot  %s\nwant %s", got, want)
		}
		var back []apiRow
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		for i := range back {
			back[i].ID += 10
		}
		if err := db.Create(&back).Error; err != nil {
			t.Fatal(err)
		}
		var again []apiRow
		if err := db.Where("id > ?", 10).Order("id").Find(&again).Error; err != nil {
			t.Fatal(err)
		}
		for i := range again {
			again[i].ID -= 10
			a, s := plainOf(again[i]), plainOf(stored[i])
			a.Prefs.When, s.Prefs.When = a.Prefs.When.UTC(), s.Prefs.When.UTC()
			if a.Opt != nil && s.Opt != nil {
				a.Opt.When, s.Opt.When = a.Opt.When.UTC(), s.Opt.When.UTC()
			}
			if !reflect.DeepEqual(a, s) {
				t.Fatalf("row %d written back from JSON:\ngot  %+v\nwant %+v", s.ID, a, s)
			}
		}
	})
}
