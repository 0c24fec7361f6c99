package tests

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
	"github.com/gormpickle/gormpickle/serializer"
)

// A Preload function is captured in the context GORM runs it in: on the
// relation's model, with the relation's key condition (issue #15, item
// 3). One that builds on that DB inside a new statement (a top-N per
// parent window subquery, GORM generics' LimitPerRecord) is restored
// around the DB GORM passes at run time; one that cannot be restored is
// refused at Dumps.

type pcParent struct {
	ID       uint
	Name     string
	Children []pcChild `gorm:"foreignKey:ParentID"`
	Toys     []pcToy   `gorm:"polymorphic:Owner"`
}

// pcToy belongs to a parent or, under another owner type, to anything.
type pcToy struct {
	ID        uint
	OwnerID   uint
	OwnerType string
	Name      string
}

type pcChild struct {
	ID       uint
	ParentID uint
	Name     string
}

// pcChildren is how many children each seeded parent has.
var pcChildren = []int{4, 3, 1}

// pcSetup migrates and seeds db and installs the plugin with opts (the
// two models registered, plus opts).
func pcSetup(t *testing.T, db *gorm.DB, opts ...gormpickle.Option) *gorm.DB {
	t.Helper()
	if err := db.AutoMigrate(&pcParent{}, &pcChild{}, &pcToy{}); err != nil {
		t.Fatal(err)
	}
	for i, n := range pcChildren {
		p := pcParent{Name: string(rune('a' + i))}
		for j := 0; j < n; j++ {
			p.Children = append(p.Children, pcChild{Name: p.Name + string(rune('0'+j))})
		}
		if err := db.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
	}
	all := append([]gormpickle.Option{gormpickle.WithModels(gormpickle.NamedModel("pcparent", &pcParent{}),
		gormpickle.NamedModel("pcchild", &pcChild{}), gormpickle.NamedModel("pctoy", &pcToy{}))}, opts...)
	if err := db.Use(shadowtest.New(t, all...)); err != nil {
		t.Fatal(err)
	}
	return db
}

// pcTopTwo is a top-N per parent preload written as a traditional Preload
// function: the children of each parent numbered newest first in a
// window subquery over the DB GORM passes, the first two kept.
func pcTopTwo(tx *gorm.DB) *gorm.DB {
	numbered := tx.Select("*, ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY id DESC) AS pc_rn")
	return tx.Session(&gorm.Session{NewDB: true}).Unscoped().Table("(?) t", numbered).Where("pc_rn <= ?", 2)
}

// pcRoundTrip dumps chain and loads it back on db.
func pcRoundTrip(t *testing.T, db, chain *gorm.DB) *gorm.DB {
	t.Helper()
	data, err := gormpickle.Dumps(chain)
	if err != nil {
		t.Fatalf("Dumps: %v", err)
	}
	restored, err := gormpickle.Loads(data, db)
	if err != nil {
		t.Fatalf("Loads: %v", err)
	}
	return restored
}

// pcRun finds the parents of chain, recording the SQL it runs.
func pcRun(t *testing.T, chain *gorm.DB) ([]pcParent, []string) {
	t.Helper()
	log := &pcSQLLog{Interface: logger.Discard}
	var parents []pcParent
	if err := chain.Session(&gorm.Session{Logger: log}).Find(&parents).Error; err != nil {
		t.Fatalf("Find: %v", err)
	}
	return parents, log.stmts
}

// pcSQLLog records the SQL GORM runs.
type pcSQLLog struct {
	logger.Interface
	stmts []string
}

func (l *pcSQLLog) LogMode(logger.LogLevel) logger.Interface { return l }

func (l *pcSQLLog) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	l.stmts = append(l.stmts, sql)
}

// pcSame checks that the restored chain reads the same rows with the same
// SQL as the original, and returns the rows.
func pcSame(t *testing.T, db, chain *gorm.DB) []pcParent {
	t.Helper()
	restored := pcRoundTrip(t, db, chain)
	want, wantSQL := pcRun(t, chain)
	got, gotSQL := pcRun(t, restored)
	if !reflect.DeepEqual(wantSQL, gotSQL) {
		t.Fatalf("SQL differs\noriginal: %q\nrestored: %q", wantSQL, gotSQL)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("rows differ\noriginal: %+v\nrestored: %+v", want, got)
	}
	return got
}

// pcNewestTwo checks that each parent holds its two newest children.
func pcNewestTwo(t *testing.T, db *gorm.DB, parents []pcParent) {
	t.Helper()
	if len(parents) != len(pcChildren) {
		t.Fatalf("%d parents, want %d", len(parents), len(pcChildren))
	}
	for _, p := range parents {
		var want []uint
		if err := db.Model(&pcChild{}).Where("parent_id = ?", p.ID).Order("id desc").Limit(2).Pluck("id", &want).Error; err != nil {
			t.Fatal(err)
		}
		got := childIDs(p.Children)
		if !sameIDs(got, want) {
			t.Fatalf("parent %d has children %v, want its two newest %v", p.ID, got, want)
		}
	}
}

func childIDs(cs []pcChild) []uint {
	ids := make([]uint, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// sameIDs compares two ID lists as sets of distinct IDs.
func sameIDs(a, b []uint) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[uint]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return len(seen) == len(a)
}

func TestPreloadContextPlainFunction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pcSetup(t, db)
		chain := db.Model(&pcParent{}).Order("id").Preload("Children", func(tx *gorm.DB) *gorm.DB {
			return tx.Where("name <> ?", "a1").Order("id desc").Limit(5)
		})
		n := 0
		for _, p := range pcSame(t, db, chain) {
			for _, c := range p.Children {
				if c.Name == "a1" {
					t.Fatalf("child a1 preloaded despite the condition")
				}
			}
			n += len(p.Children)
		}
		if n != 5 {
			t.Fatalf("%d children preloaded, want 5 (the limit)", n)
		}
		// The payload is what a function captured on a bare session gave
		// before: the preload's context is not written. Its statement is
		// the last entry, byte for byte that of the same conditions dumped
		// as a chain of their own (they intern no identifier).
		cond := func(tx *gorm.DB) *gorm.DB { return tx.Where("name <> ?", "a1").Order("id desc") }
		plain, err := gormpickle.Dumps(db.Model(&pcParent{}).Preload("Children", cond))
		if err != nil {
			t.Fatal(err)
		}
		alone, err := gormpickle.Dumps(cond(db.Session(&gorm.Session{NewDB: true})))
		if err != nil {
			t.Fatal(err)
		}
		if want := append([]byte{0x92, pcTagPreloadFunc}, alone[5:]...); plain[3] != 2 || !bytes.HasSuffix(plain, want) {
			t.Fatalf("payload %x\ndoes not end with the function's bare statement %x", plain, want)
		}
	})
}

func TestPreloadContextWindowSubquery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pcSetup(t, db)
		chain := db.Model(&pcParent{}).Order("id").Preload("Children", pcTopTwo)
		want := pcSame(t, db, chain)
		pcNewestTwo(t, db, want)
		// The restored function decodes its query on each run: runs at
		// once share nothing (go test -race).
		restored := pcRoundTrip(t, db, chain)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				var got []pcParent
				err := restored.Session(&gorm.Session{}).Find(&got).Error
				if err == nil && !reflect.DeepEqual(got, want) {
					err = errors.New("concurrent run read other rows")
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestPreloadContextPolymorphic: GORM opens a polymorphic relation's
// query with its type condition before the keys; the restored top-N query
// keeps it where GORM puts it, inside the window subquery.
func TestPreloadContextPolymorphic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pcSetup(t, db)
		var parents []pcParent
		if err := db.Order("id").Find(&parents).Error; err != nil {
			t.Fatal(err)
		}
		for _, p := range parents {
			for i := 0; i < 3; i++ {
				// Another owner type with the same IDs, newer: only the
				// type condition keeps these out.
				for _, typ := range []string{"pc_parents", "pc_other"} {
					if err := db.Create(&pcToy{OwnerID: p.ID, OwnerType: typ, Name: typ}).Error; err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		got := pcSame(t, db, db.Model(&pcParent{}).Order("id").Preload("Toys", func(tx *gorm.DB) *gorm.DB {
			numbered := tx.Select("*, ROW_NUMBER() OVER (PARTITION BY owner_id ORDER BY id DESC) AS pc_rn")
			return tx.Session(&gorm.Session{NewDB: true}).Unscoped().Table("(?) t", numbered).Where("pc_rn <= ?", 2)
		}))
		for _, p := range got {
			if len(p.Toys) != 2 || p.Toys[0].OwnerType != "pc_parents" || p.Toys[1].OwnerType != "pc_parents" {
				t.Fatalf("parent %d has toys %+v, want two of its own", p.ID, p.Toys)
			}
		}
	})
}

// TestPreloadContextSemiJoin: the DB GORM passes nested as a subquery in
// a condition of the new statement, not in its FROM.
func TestPreloadContextSemiJoin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pcSetup(t, db)
		got := pcSame(t, db, db.Model(&pcParent{}).Order("id").Preload("Children", func(tx *gorm.DB) *gorm.DB {
			return tx.Session(&gorm.Session{NewDB: true}).Where("id IN (?)", tx.Select("id").Where("name LIKE ?", "%0"))
		}))
		for _, p := range got {
			if len(p.Children) != 1 || p.Children[0].Name != p.Name+"0" {
				t.Fatalf("parent %s has children %+v, want only %s0", p.Name, p.Children, p.Name)
			}
		}
	})
}

// TestPreloadContextGenericsLimitPerRecord dumps the Preload function GORM
// generics build for LimitPerRecord: the chain's traditional *gorm.DB is
// taken from a scope, once the generics chain ran (its function reads the
// schema the run parsed).
func TestPreloadContextGenericsLimitPerRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pcSetup(t, db)
		ctx := context.Background()
		var chain *gorm.DB
		want, err := gorm.G[pcParent](db).Preload("Children", func(pb gorm.PreloadBuilder) error {
			pb.Order("id desc").LimitPerRecord(2)
			return nil
		}).Order("id").Scopes(func(s *gorm.Statement) {
			chain = s.DB.Session(&gorm.Session{}).Clauses() // a copy, before the run changes it
		}).Find(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pcNewestTwo(t, db, want)
		got := pcSame(t, db, chain)
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("rows differ\ngenerics: %+v\nrestored: %+v", want, got)
		}
	})
}

func TestPreloadContextRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pcSetup(t, db)
		for name, c := range map[string]struct {
			fn   func(*gorm.DB) *gorm.DB
			want string
		}{
			"unrelated DB": {func(*gorm.DB) *gorm.DB {
				return db.Session(&gorm.Session{NewDB: true}).Where("name <> ?", "a1")
			}, "does not use the DB it is given"},
			"nil": {func(*gorm.DB) *gorm.DB { return nil }, "returned nil"},
			"panic": {func(tx *gorm.DB) *gorm.DB {
				panic("no preload today")
			}, "no preload today"},
			"key condition moved": {func(tx *gorm.DB) *gorm.DB {
				where := tx.Statement.Clauses["WHERE"].Expression
				return db.Session(&gorm.Session{NewDB: true}).Where(clause.Not(where))
			}, "key condition"},
			"nested in itself": {func(tx *gorm.DB) *gorm.DB {
				return tx.Where("id IN (?)", tx.Session(&gorm.Session{}).Select("id"))
			}, "inside the query it builds on that same DB"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := gormpickle.Dumps(db.Model(&pcParent{}).Preload("Children", c.fn))
				var ute *serializer.UnsupportedTypeError
				if !errors.Is(err, gormpickle.ErrNotSerializable) || !errors.As(err, &ute) || ute.Where != "Preload(Children)" ||
					!strings.Contains(ute.Reason, c.want) {
					t.Fatalf("Dumps = %v, want an *UnsupportedTypeError naming Preload(Children): %s", err, c.want)
				}
			})
		}
	})
}

// Value tags, as serializer/format.go numbers them (pinned by
// serializer.TestPreloadTxTagNumbers).
const (
	pcTagSubquery    = 19
	pcTagPreloadFunc = 20
	pcTagPreloadTx   = 57
)

// TestPreloadContextHostile: the preload's own query is refused outside a
// Preload function's statement, and under the strict policy is checked
// like any statement applied to the relation.
func TestPreloadContextHostile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pcSetup(t, db)
		t.Run("outside a preload", func(t *testing.T) {
			data, err := gormpickle.Dumps(db.Model(&pcParent{}).Where("id IN (?)", db.Model(&pcChild{}).Select("parent_id")))
			if err != nil {
				t.Fatal(err)
			}
			sub := []byte{0x92, pcTagSubquery}
			if bytes.Count(data, sub) != 1 {
				t.Fatalf("payload holds %d subqueries: %x", bytes.Count(data, sub), data)
			}
			data = bytes.Replace(data, sub, []byte{0x92, pcTagPreloadTx}, 1)
			data[3] = 3 // the version that has the tag
			if _, err := gormpickle.Loads(data, db); !errors.Is(err, gormpickle.ErrCorrupt) {
				t.Fatalf("Loads = %v, want ErrCorrupt", err)
			}
		})
		t.Run("inside its own statement", func(t *testing.T) {
			data, err := gormpickle.Dumps(db.Model(&pcParent{}).Preload("Children", func(tx *gorm.DB) *gorm.DB {
				inner := tx.Select("id").Where("id IN (?)", db.Model(&pcChild{}).Select("id"))
				return tx.Session(&gorm.Session{NewDB: true}).Where("id IN (?)", inner)
			}))
			if err != nil {
				t.Fatal(err)
			}
			sub := []byte{0x92, pcTagSubquery}
			if !bytes.Contains(data, []byte{0x92, pcTagPreloadTx}) || bytes.Count(data, sub) != 1 {
				t.Fatalf("payload is not a preload query holding one subquery: %x", data)
			}
			data = bytes.Replace(data, sub, []byte{0x92, pcTagPreloadTx}, 1)
			if _, err := gormpickle.Loads(data, db); !errors.Is(err, gormpickle.ErrCorrupt) {
				t.Fatalf("Loads = %v, want ErrCorrupt", err)
			}
		})
		semiJoin := func(where clause.Expression) func(*gorm.DB) *gorm.DB {
			return func(tx *gorm.DB) *gorm.DB {
				return tx.Session(&gorm.Session{NewDB: true}).
					Where(clause.IN{Column: clause.PrimaryColumn, Values: []any{tx.Select("id").Where(where), 0}})
			}
		}
		byParent := semiJoin(clause.Gt{Column: clause.Column{Name: "parent_id"}, Value: 0})
		byName := semiJoin(clause.Eq{Column: clause.Column{Name: "name"}, Value: "a0"})
		strict := func(t *testing.T, fields ...string) *gorm.DB {
			target := dbtest.Reopen(t, db)
			if err := target.Use(shadowtest.New(t, gormpickle.WithModels(
				gormpickle.NamedModel("pcparent", &pcParent{}), gormpickle.NamedModel("pcchild", &pcChild{})),
				gormpickle.WithoutRawSQL(), gormpickle.WithAllowedFields("pcchild", fields...))); err != nil {
				t.Fatal(err)
			}
			return target
		}
		dump := func(t *testing.T, fn func(*gorm.DB) *gorm.DB) []byte {
			data, err := gormpickle.Dumps(db.Model(&pcParent{}).Preload("Children", fn))
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
		t.Run("strict allowed", func(t *testing.T) {
			if _, err := gormpickle.Loads(dump(t, byParent), strict(t, "ID", "ParentID")); err != nil {
				t.Fatalf("Loads = %v, want the allowed fields accepted", err)
			}
		})
		t.Run("strict disallowed field", func(t *testing.T) {
			_, err := gormpickle.Loads(dump(t, byName), strict(t, "ID", "ParentID"))
			if !errors.Is(err, gormpickle.ErrNotAllowed) || !strings.Contains(err.Error(), `field "Name"`) {
				t.Fatalf("Loads = %v, want ErrNotAllowed for field Name", err)
			}
		})
		t.Run("strict other model", func(t *testing.T) {
			data := dump(t, func(tx *gorm.DB) *gorm.DB {
				return tx.Session(&gorm.Session{NewDB: true}).
					Where(clause.IN{Column: clause.PrimaryColumn, Values: []any{tx.Model(&pcParent{}).Select("id"), 0}})
			})
			_, err := gormpickle.Loads(data, strict(t, "ID", "ParentID"))
			if !errors.Is(err, gormpickle.ErrNotAllowed) || !strings.Contains(err.Error(), "names another model") {
				t.Fatalf("Loads = %v, want ErrNotAllowed for model pcparent", err)
			}
		})
	})
}

// TestPreloadContextTransaction: the restored function rebuilds its query
// on the DB GORM passes, so in a transaction it reads the transaction's
// rows (a child inserted and not committed is among the newest two).
func TestPreloadContextTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = pcSetup(t, db)
		data, err := gormpickle.Dumps(db.Model(&pcParent{}).Order("id").Preload("Children", pcTopTwo))
		if err != nil {
			t.Fatal(err)
		}
		err = db.Transaction(func(tx *gorm.DB) error {
			var first pcParent
			if err := tx.Order("id").First(&first).Error; err != nil {
				return err
			}
			fresh := pcChild{ParentID: first.ID, Name: "fresh"}
			if err := tx.Create(&fresh).Error; err != nil {
				return err
			}
			restored, err := gormpickle.Loads(data, tx)
			if err != nil {
				return err
			}
			var parents []pcParent
			if err := restored.Find(&parents).Error; err != nil {
				return err
			}
			pcNewestTwo(t, tx, parents)
			if ids := childIDs(parents[0].Children); !slices.Contains(ids, fresh.ID) {
				t.Fatalf("first parent's children %v miss %d, inserted in the transaction", ids, fresh.ID)
			}
			return errors.New("roll back")
		})
		if err == nil || err.Error() != "roll back" {
			t.Fatalf("transaction: %v", err)
		}
	})
}
