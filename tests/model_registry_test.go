package tests

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/modelcodec"
)

// regOrder is registered under the explicit ID "order": its payloads must
// name "order", not its Go name.
type regOrder struct {
	ID        uint
	Number    string
	Total     int64
	Note      *string
	CreatedAt time.Time
}

// regOrderOptions are the plugin options of every DB in these tests.
func regOrderOptions() []gormpickle.Option {
	return []gormpickle.Option{gormpickle.WithModels(gormpickle.NamedModel("order", &regOrder{}))}
}

// regOrderDB installs the plugin with regOrderOptions on db and fills
// the table with three orders.
func regOrderDB(t *testing.T, db *gorm.DB) {
	t.Helper()
	if err := db.Use(shadowtest.New(t, regOrderOptions()...)); err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(&regOrder{}); err != nil {
		t.Fatal(err)
	}
	note := "gift"
	rows := []regOrder{{Number: "A-1", Total: 1250, Note: &note}, {Number: "A-2", Total: -3}, {Number: "A-3"}}
	if err := db.Create(&rows).Error; err != nil {
		t.Fatal(err)
	}
}

// describeModelID returns the model ID a model payload names.
func describeModelID(t *testing.T, data []byte) string {
	t.Helper()
	desc, err := modelcodec.Describe(data)
	if err != nil {
		t.Fatal(err)
	}
	return desc.Model
}

func TestModelRegistryNamedModelRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		regOrderDB(t, db)
		var row regOrder
		if err := db.Where("number = ?", "A-1").First(&row).Error; err != nil {
			t.Fatal(err)
		}
		data, err := gormpickle.EncodeModel(db, &row)
		if err != nil {
			t.Fatal(err)
		}
		if id := describeModelID(t, data); id != "order" {
			t.Fatalf("payload names model %q, want %q (the plugin's NamedModel ID)", id, "order")
		}
		var got regOrder
		if err := gormpickle.DecodeModel(db, data, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, row) {
			t.Fatalf("decoded %+v, want %+v", got, row)
		}
		// Sessions and transactions share the plugin of the DB they come from.
		err = db.Transaction(func(tx *gorm.DB) error {
			again, err := gormpickle.EncodeModel(tx.WithContext(t.Context()), &row)
			if err == nil && !bytes.Equal(again, data) {
				t.Errorf("encoding in a transaction gave other bytes")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestModelRegistryUsesThePluginRegistry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		p := shadowtest.New(t, regOrderOptions()...)
		if err := db.Use(p); err != nil {
			t.Fatal(err)
		}
		reg, err := gormpickle.RegistryOf(db)
		if err != nil {
			t.Fatal(err)
		}
		if reg != p.Registry() {
			t.Fatal("RegistryOf(db) is not the installed plugin's registry")
		}
		if id, ok := reg.ModelID(reflect.TypeFor[regOrder]()); !ok || id != "order" {
			t.Fatalf("RegistryOf(db).ModelID = %q, %v", id, ok)
		}
		// modelcodec.Default knows nothing of the plugin: its payload names
		// the Go type, and the plugin's decoder refuses it loudly.
		row := regOrder{ID: 1, Number: "A-1"}
		viaDefault, err := modelcodec.Encode(&row)
		if err != nil {
			t.Fatal(err)
		}
		if id := describeModelID(t, viaDefault); id == "order" {
			t.Fatalf("modelcodec.Default unexpectedly names %q", id)
		}
		var got regOrder
		if err := gormpickle.DecodeModel(db, viaDefault, &got); !errors.Is(err, gormpickle.ErrModelMismatch) {
			t.Fatalf("decoding a Default payload through the plugin: %v, want ErrModelMismatch", err)
		}
		if !reflect.DeepEqual(got, regOrder{}) {
			t.Fatalf("dst changed on error: %+v", got)
		}
	})
}

func TestModelRegistryAcrossDBs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		regOrderDB(t, db)
		other := dbtest.Reopen(t, db)
		if err := other.Use(shadowtest.New(t, regOrderOptions()...)); err != nil {
			t.Fatal(err)
		}
		var rows []regOrder
		if err := db.Order("id").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		data, err := gormpickle.EncodeModels(db, rows)
		if err != nil {
			t.Fatal(err)
		}
		if id := describeModelID(t, data); id != "order" {
			t.Fatalf("payload names model %q, want %q", id, "order")
		}
		var got []regOrder
		if err := gormpickle.DecodeModels(other, data, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, rows) {
			t.Fatalf("decoded through another DB:\n got %+v\nwant %+v", got, rows)
		}
		// The other DB reads the same rows and writes the same bytes.
		var theirs []*regOrder
		if err := other.Order("id").Find(&theirs).Error; err != nil {
			t.Fatal(err)
		}
		again, err := gormpickle.EncodeModels(other, theirs)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, data) {
			t.Fatal("the same rows encoded through another DB gave other bytes")
		}
		var ptrs []*regOrder
		if err := gormpickle.DecodeModels(db, again, &ptrs); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ptrs, theirs) {
			t.Fatalf("decoded []*regOrder differs from the rows read")
		}
	})
}

func TestModelRegistryNoPlugin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := db.AutoMigrate(&regOrder{}); err != nil {
			t.Fatal(err)
		}
		row := regOrder{ID: 1, Number: "A-1"}
		data, err := modelcodec.Encode(&row)
		if err != nil {
			t.Fatal(err)
		}
		rows := []regOrder{row}
		var got regOrder
		var gotRows []regOrder
		for _, db := range []*gorm.DB{db, nil} {
			checks := map[string]error{}
			_, checks["RegistryOf"] = gormpickle.RegistryOf(db)
			_, checks["EncodeModel"] = gormpickle.EncodeModel(db, &row)
			_, checks["EncodeModels"] = gormpickle.EncodeModels(db, rows)
			checks["DecodeModel"] = gormpickle.DecodeModel(db, data, &got)
			checks["DecodeModels"] = gormpickle.DecodeModels(db, data, &gotRows)
			for name, err := range checks {
				if !errors.Is(err, gormpickle.ErrNoPlugin) {
					t.Errorf("%s without the plugin (db nil: %v): %v, want ErrNoPlugin", name, db == nil, err)
				}
			}
		}
		if !reflect.DeepEqual(got, regOrder{}) || gotRows != nil {
			t.Fatalf("dst changed without the plugin: %+v %+v", got, gotRows)
		}
	})
}
