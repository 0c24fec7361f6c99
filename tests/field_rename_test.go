package tests

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// Issue #15 item 11: a stored payload keeps loading after a field of its
// model was renamed. renameItemV1 is the model a payload was written
// with, renameItemV2 the model the application has now, registered under
// the same ID and on the same table.
const renameItemID = "rename.Item"

type renameItemV1 struct {
	ID      uint
	Name    string
	Status  string `gorm:"column:status"`  // V2: State, same column
	Code    string `gorm:"column:st_code"` // V2: ShortCode, same custom column
	Kind    string // V2: gone
	Rank    int    // V2: Priority, column priority (mapped)
	OwnerID uint
	Owner   *renameOwner // V2: Maker (mapped)
	Tags    []renameTag  `gorm:"foreignKey:ItemID"` // V2: Labels (mapped)
}

func (renameItemV1) TableName() string { return "rename_items" }

type renameItemV2 struct {
	ID        uint
	Name      string
	State     string `gorm:"column:status"`
	ShortCode string `gorm:"column:st_code"`
	Priority  int
	Secret    string
	OwnerID   uint
	Maker     *renameOwner `gorm:"foreignKey:OwnerID"`
	Labels    []renameTag  `gorm:"foreignKey:ItemID"`
}

func (renameItemV2) TableName() string { return "rename_items" }

// renameItemTwin has two fields on the column status: a payload's
// Status cannot be resolved by its column.
type renameItemTwin struct {
	ID       uint
	Name     string
	State    string `gorm:"column:status"`
	StateRaw string `gorm:"column:status;->"`
}

func (renameItemTwin) TableName() string { return "rename_items" }

type renameOwner struct {
	ID   uint
	Name string
}

type renameTag struct {
	ID     uint
	ItemID uint
	Label  string
}

// renameCanary is in the Secret column of every row: it must never come
// back from a payload the allow-list refuses.
const renameCanary = "canary-7f3a9c"

// renameSetup creates the tables of the current model (V2) with rows, and
// returns a source DB with V1 registered and a target-DB factory with V2.
func renameSetup(t *testing.T, db *gorm.DB) (src *gorm.DB, target func(...gormpickle.Option) *gorm.DB) {
	t.Helper()
	if err := db.AutoMigrate(&renameOwner{}, &renameItemV2{}, &renameTag{}); err != nil {
		t.Fatal(err)
	}
	owners := []renameOwner{{Name: "acme"}, {Name: "globex"}}
	if err := db.Create(&owners).Error; err != nil {
		t.Fatal(err)
	}
	items := []renameItemV2{
		{Name: "a", State: "open", ShortCode: "A1", Priority: 3, Secret: renameCanary, OwnerID: owners[0].ID},
		{Name: "b", State: "closed", ShortCode: "B2", Priority: 1, Secret: renameCanary, OwnerID: owners[1].ID},
		{Name: "c", State: "open", ShortCode: "C3", Priority: 2, Secret: renameCanary, OwnerID: owners[1].ID},
	}
	if err := db.Create(&items).Error; err != nil {
		t.Fatal(err)
	}
	tags := []renameTag{{ItemID: items[0].ID, Label: "x"}, {ItemID: items[0].ID, Label: "y"}, {ItemID: items[2].ID, Label: "z"}}
	if err := db.Create(&tags).Error; err != nil {
		t.Fatal(err)
	}
	src = pluginDB(t, db, gormpickle.WithModels(gormpickle.NamedModel(renameItemID, &renameItemV1{}), &renameOwner{}, &renameTag{}))
	target = func(opts ...gormpickle.Option) *gorm.DB {
		t.Helper()
		all := append([]gormpickle.Option{gormpickle.WithModels(gormpickle.NamedModel(renameItemID, &renameItemV2{}), &renameOwner{}, &renameTag{})}, opts...)
		return pluginDB(t, db, all...)
	}
	return src, target
}

func newV2Rows() any { return &[]renameItemV2{} }

// statusCol is a column of the model as a clause names it: written as a
// field reference.
func statusCol(name string) clause.Column {
	return clause.Column{Table: clause.CurrentTable, Name: name}
}

// TestFieldRenameByColumn: a payload naming V1's Status, a field V2
// renamed to State on the same column, loads on V2 and renders and
// returns what the same chain written on V2 does, in every slot a field
// reference takes.
func TestFieldRenameByColumn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		src, target := renameSetup(t, db)
		dst := target()
		v1 := func() *gorm.DB { return src.Model(&renameItemV1{}) }
		v2 := func() *gorm.DB { return dst.Model(&renameItemV2{}) }
		cases := []struct {
			name      string
			old, want *gorm.DB
		}{
			{"struct condition", v1().Where(&renameItemV1{Status: "open"}), v2().Where(&renameItemV2{State: "open"})},
			{"clause condition and order", v1().Where(clause.Neq{Column: statusCol("status"), Value: "closed"}).
				Order(clause.OrderByColumn{Column: statusCol("status"), Desc: true}).Order("id"),
				v2().Where(clause.Neq{Column: statusCol("status"), Value: "closed"}).
					Order(clause.OrderByColumn{Column: statusCol("status"), Desc: true}).Order("id")},
			{"select", v1().Select("id", "status").Order("id"), v2().Select("id", "status").Order("id")},
			{"omit", v1().Omit("status").Order("id"), v2().Omit("status").Order("id")},
			{"IN", v1().Where(clause.IN{Column: statusCol("status"), Values: []any{"open", "gone"}}).Order("id"),
				v2().Where(clause.IN{Column: statusCol("status"), Values: []any{"open", "gone"}}).Order("id")},
			{"map condition", v1().Where(map[string]any{"status": "closed"}), v2().Where(map[string]any{"status": "closed"})},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				data := mustDump(t, c.old)
				if bytes.Contains(data, []byte("State")) {
					t.Fatalf("payload names the new field: %q", data)
				}
				got, err := gormpickle.Loads(data, dst)
				if err != nil {
					t.Fatalf("Loads: %v", err)
				}
				sameRun(t, c.want, got, newV2Rows, findInto)
			})
		}
		t.Run("pluck", func(t *testing.T) {
			got, err := gormpickle.Loads(mustDump(t, v1().Where(&renameItemV1{Status: "open"}).Order("id")), dst)
			if err != nil {
				t.Fatal(err)
			}
			var want, have []string
			if err := v2().Where(&renameItemV2{State: "open"}).Order("id").Pluck("name", &want).Error; err != nil {
				t.Fatal(err)
			}
			if err := got.Pluck("name", &have).Error; err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, have) || len(have) != 2 {
				t.Fatalf("Pluck: %v, want %v", have, want)
			}
		})
	})
}

// TestFieldRenameCustomColumn: a field whose column its name does not
// derive (Code, column st_code) records its column in the payload, and
// V2's ShortCode is found by it; payloads without such a field are
// written as before (no column, format version 2).
func TestFieldRenameCustomColumn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		src, target := renameSetup(t, db)
		dst := target()
		v1 := func() *gorm.DB { return src.Model(&renameItemV1{}) }
		v2 := func() *gorm.DB { return dst.Model(&renameItemV2{}) }

		plain := mustDump(t, v1().Where(&renameItemV1{Status: "open"}).Select("id", "status"))
		if plain[3] != 2 || bytes.Contains(plain, []byte("\xa6status")) {
			t.Fatalf("a payload without custom columns changed: version %d, %q", plain[3], plain)
		}
		cases := []struct {
			name      string
			old, want *gorm.DB
		}{
			{"struct condition", v1().Where(&renameItemV1{Code: "B2"}), v2().Where(&renameItemV2{ShortCode: "B2"})},
			{"order", v1().Order(clause.OrderByColumn{Column: statusCol("st_code"), Desc: true}),
				v2().Order(clause.OrderByColumn{Column: statusCol("st_code"), Desc: true})},
			{"select", v1().Select("id", "st_code", "status").Order("id"), v2().Select("id", "st_code", "status").Order("id")},
			{"aliased column", v1().Clauses(clause.Select{Columns: []clause.Column{{Name: "id"}, {Table: clause.CurrentTable, Name: "st_code", Alias: "short_code"}}}).Order("id"),
				v2().Clauses(clause.Select{Columns: []clause.Column{{Name: "id"}, {Table: clause.CurrentTable, Name: "st_code", Alias: "short_code"}}}).Order("id")},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				data := mustDump(t, c.old)
				if !bytes.Contains(data, []byte("st_code")) {
					t.Fatalf("payload does not record the column st_code: %q", data)
				}
				got, err := gormpickle.Loads(data, dst)
				if err != nil {
					t.Fatalf("Loads: %v", err)
				}
				sameRun(t, c.want, got, newV2Rows, findInto)
				// The source model still loads it, by name.
				if _, err := gormpickle.Loads(data, src); err != nil {
					t.Fatalf("Loads on the source model: %v", err)
				}
			})
		}
	})
}

// TestFieldRenameModelValue: a model value's fields (Model(&v1{...}))
// travel by Go name and land in V2's renamed fields.
func TestFieldRenameModelValue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		src, target := renameSetup(t, db)
		dst := target(gormpickle.WithRenamedFields(renameItemID, map[string]string{"Rank": "Priority"}))
		data := mustDump(t, src.Model(&renameItemV1{ID: 2, Status: "closed", Code: "B2", Rank: 1}).Where("name = ?", "b"))
		got, err := gormpickle.Loads(data, dst)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := got.Statement.Model.(*renameItemV2)
		if !ok {
			t.Fatalf("model %T, want *renameItemV2", got.Statement.Model)
		}
		if want := (renameItemV2{ID: 2, State: "closed", ShortCode: "B2", Priority: 1}); !reflect.DeepEqual(*m, want) {
			t.Fatalf("model value %+v, want %+v", *m, want)
		}
		want := dst.Model(&renameItemV2{ID: 2, State: "closed", ShortCode: "B2", Priority: 1}).Where("name = ?", "b")
		sameRun(t, want, got, newV2Rows, findInto)
	})
}

// TestFieldRenameUnresolved: a name that neither the mapping nor its
// column resolves is ErrUnknownField saying why and pointing at the
// mapping: a field removed, a column two fields share. The mapping
// resolves the shared column.
func TestFieldRenameUnresolved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		src, target := renameSetup(t, db)
		removed := mustDump(t, src.Model(&renameItemV1{}).Where(&renameItemV1{Kind: "k"}))
		_, err := gormpickle.Loads(removed, target())
		expectErr(t, err, gormpickle.ErrUnknownField, `"Kind"`, `no field has its column "kind"`, "WithRenamedFields")

		status := src.Model(&renameItemV1{}).Where(&renameItemV1{Status: "open"}).Order("id")
		twinModels := gormpickle.WithModels(gormpickle.NamedModel(renameItemID, &renameItemTwin{}))
		_, err = gormpickle.Loads(mustDump(t, status), pluginDB(t, db, twinModels))
		expectErr(t, err, gormpickle.ErrUnknownField, `"Status"`, `several fields have its column "status"`, "WithRenamedFields")

		twin := pluginDB(t, db, twinModels, gormpickle.WithRenamedFields(renameItemID, map[string]string{"Status": "State"}))
		got, err := gormpickle.Loads(mustDump(t, status), twin)
		if err != nil {
			t.Fatalf("with the mapping: %v", err)
		}
		sameRun(t, twin.Model(&renameItemTwin{}).Where(&renameItemTwin{State: "open"}).Order("id"), got,
			func() any { return &[]renameItemTwin{} }, findInto)
	})
}

// TestFieldRenameMapping: the explicit mapping renames a field whose
// column changed too (Rank, now Priority on column priority), and
// relations in Joins and Preload paths (Owner, now Maker; Tags, now
// Labels).
func TestFieldRenameMapping(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		src, target := renameSetup(t, db)
		dst := target(gormpickle.WithRenamedFields(renameItemID, map[string]string{"Rank": "Priority", "Owner": "Maker", "Tags": "Labels"}))
		v1 := func() *gorm.DB { return src.Model(&renameItemV1{}) }
		v2 := func() *gorm.DB { return dst.Model(&renameItemV2{}) }

		_, err := gormpickle.Loads(mustDump(t, v1().Where(&renameItemV1{Rank: 3})), target())
		expectErr(t, err, gormpickle.ErrUnknownField, `"Rank"`, `"rank"`)

		t.Run("mapping wins over the column", func(t *testing.T) {
			// Status's column is State's, but the mapping says ShortCode.
			other := target(gormpickle.WithRenamedFields(renameItemID, map[string]string{"Status": "ShortCode"}))
			got, err := gormpickle.Loads(mustDump(t, v1().Where(&renameItemV1{Status: "B2"})), other)
			if err != nil {
				t.Fatal(err)
			}
			sameRun(t, other.Model(&renameItemV2{}).Where(&renameItemV2{ShortCode: "B2"}), got, newV2Rows, findInto)
		})

		cases := []struct {
			name      string
			old, want *gorm.DB
		}{
			{"column", v1().Where(&renameItemV1{Rank: 3}).Order(clause.OrderByColumn{Column: statusCol("rank")}),
				v2().Where(&renameItemV2{Priority: 3}).Order(clause.OrderByColumn{Column: statusCol("priority")})},
			{"joins", v1().Joins("Owner").Order("rename_items.id"), v2().Joins("Maker").Order("rename_items.id")},
			{"inner joins with condition", v1().InnerJoins("Owner", src.Where(&renameOwner{Name: "globex"})).Order("rename_items.id"),
				v2().InnerJoins("Maker", dst.Where(&renameOwner{Name: "globex"})).Order("rename_items.id")},
			{"preload", v1().Preload("Tags").Preload("Owner").Order("id"), v2().Preload("Labels").Preload("Maker").Order("id")},
			{"preload with condition", v1().Preload("Tags", "label <> ?", "y").Order("id"), v2().Preload("Labels", "label <> ?", "y").Order("id")},
			{"everything", v1().Joins("Owner").Preload("Tags").Where(&renameItemV1{Status: "open", Code: "C3"}).Order("rename_items.id"),
				v2().Joins("Maker").Preload("Labels").Where(&renameItemV2{State: "open", ShortCode: "C3"}).Order("rename_items.id")},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := gormpickle.Loads(mustDump(t, c.old), dst)
				if err != nil {
					t.Fatalf("Loads: %v", err)
				}
				sameRun(t, c.want, got, newV2Rows, findInto)
			})
		}
	})
}

// TestFieldRenameMappingChecked: a mapping that does not fit the
// registered models fails db.Use with a typed error.
func TestFieldRenameMappingChecked(t *testing.T) {
	db := dbtest.Open(t, dbtest.SQLite)
	models := gormpickle.WithModels(gormpickle.NamedModel(renameItemID, &renameItemV2{}), &renameOwner{}, &renameTag{})
	cases := []struct {
		name     string
		id       string
		m        map[string]string
		want     error
		mentions []string
	}{
		{"unknown model", "rename.Nothing", map[string]string{"A": "Name"}, gormpickle.ErrUnknownModel, []string{`"rename.Nothing"`}},
		{"new name no field", renameItemID, map[string]string{"Status": "Stat"}, gormpickle.ErrUnknownField, []string{`"Stat"`}},
		{"old name still a field", renameItemID, map[string]string{"Name": "State"}, gormpickle.ErrUnknownField, []string{`"Name"`}},
		{"empty old name", renameItemID, map[string]string{"": "State"}, gormpickle.ErrUnknownField, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := dbtest.Reopen(t, db).Use(shadowtest.New(t, models, gormpickle.WithRenamedFields(c.id, c.m)))
			expectErr(t, err, c.want, c.mentions...)
		})
	}
	ok := gormpickle.WithRenamedFields(renameItemID, map[string]string{"Status": "State", "Owner": "Maker", "Tags": "Labels"})
	if err := dbtest.Reopen(t, db).Use(shadowtest.New(t, models, ok)); err != nil {
		t.Fatalf("a fitting mapping: %v", err)
	}
}

// TestFieldRenameAllowList: resolution and the mapping run before the
// allow-list, which sees the target's field: a payload naming an old
// field that resolves or maps to a field outside WithAllowedFields is
// refused under the strict policy, even when the allow-list lists the
// old name, and the canary in that column never comes back.
func TestFieldRenameAllowList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		src, target := renameSetup(t, db)
		// The old names are listed, the fields they now resolve to are not.
		strict := target(gormpickle.WithAllowedModels(renameItemID),
			gormpickle.WithAllowedFields(renameItemID, "ID", "Name", "Status", "Code", "Kind"),
			gormpickle.WithRenamedFields(renameItemID, map[string]string{"Kind": "Secret"}))
		v1 := func() *gorm.DB { return src.Model(&renameItemV1{}) }
		canary := func(v string) clause.Eq { return clause.Eq{Column: statusCol("kind"), Value: v} }
		cases := []struct {
			name  string
			chain *gorm.DB
			field string
		}{
			{"resolved by derived column", v1().Where(&renameItemV1{Status: "open"}), `"State"`},
			{"resolved by recorded column", v1().Select("id", "st_code"), `"ShortCode"`},
			{"mapped", v1().Where(canary(renameCanary)), `"Secret"`},
			{"mapped in order", v1().Order(clause.OrderByColumn{Column: statusCol("kind")}), `"Secret"`},
			{"mapped in a model value", src.Model(&renameItemV1{Kind: renameCanary}), `"Secret"`},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := gormpickle.Loads(mustDump(t, c.chain), strict)
				expectErr(t, err, gormpickle.ErrNotAllowed, c.field)
				if got != nil {
					t.Fatalf("Loads returned a chain with the error")
				}
			})
		}
		// Allowing the target's field lets the same payload load.
		allowed := target(gormpickle.WithAllowedModels(renameItemID), gormpickle.WithAllowedFields(renameItemID, "ID", "Name", "State"))
		got, err := gormpickle.Loads(mustDump(t, v1().Where(&renameItemV1{Status: "open"}).Select("id", "name", "status").Order("id")), allowed)
		if err != nil {
			t.Fatalf("allowed target field: %v", err)
		}
		var rows []renameItemV2
		if err := got.Find(&rows).Error; err != nil || len(rows) != 2 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		for _, r := range rows {
			if strings.Contains(r.Secret, "canary") {
				t.Fatalf("the canary came back: %+v", r)
			}
		}
	})
}

// TestFieldRenameRows: a model holding rows (Model(&items) after a Find)
// travels with each row's columns and loaded associations by Go name;
// they land in V2's renamed fields and relations.
func TestFieldRenameRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		src, target := renameSetup(t, db)
		dst := target(gormpickle.WithRenamedFields(renameItemID, map[string]string{"Tags": "Labels", "Owner": "Maker"}))
		var items []renameItemV1
		if err := src.Preload("Tags", func(tx *gorm.DB) *gorm.DB { return tx.Order("id") }).Order("id").Find(&items).Error; err != nil {
			t.Fatal(err)
		}
		got, err := gormpickle.Loads(mustDump(t, src.Model(&items).Where("name <> ?", "zz")), dst)
		if err != nil {
			t.Fatal(err)
		}
		rows, ok := got.Statement.Model.(*[]renameItemV2)
		if !ok || len(*rows) != len(items) {
			t.Fatalf("model %T, want *[]renameItemV2 of %d", got.Statement.Model, len(items))
		}
		var want []renameItemV2
		if err := dst.Preload("Labels", func(tx *gorm.DB) *gorm.DB { return tx.Order("id") }).Order("id").Find(&want).Error; err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i].Secret, want[i].Priority = "", 0 // not in V1: not in the payload
			if want[i].Labels == nil {
				want[i].Labels = []renameTag{}
			}
		}
		for i := range *rows {
			if (*rows)[i].Labels == nil {
				(*rows)[i].Labels = []renameTag{}
			}
		}
		if !reflect.DeepEqual(*rows, want) {
			t.Fatalf("rows\n got %+v\nwant %+v", *rows, want)
		}
	})
}
