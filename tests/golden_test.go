package tests

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite serializer/testdata/golden from the current encoder")

// goldenDir holds one payload per corpus case in the format version Dumps
// writes; goldenV1Dir holds the version-1 payloads of the first release,
// and goldenV2Dir the version-2 payloads of cases Dumps now writes in a
// later version (a field reference recording its column), which must all
// keep loading.
var (
	goldenDir   = filepath.Join("..", "serializer", "testdata", "golden")
	goldenV1Dir = filepath.Join(goldenDir, "v1")
	goldenV2Dir = filepath.Join(goldenDir, "v2")
)

func goldenPath(dir, name string) string {
	return filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".gpq")
}

// TestGoldenPayloads guards the compatibility promise: payloads stored by
// earlier builds load and render the same SQL and rows, and today's Dumps
// writes the same bytes (a change means a new format version, not a
// rewrite of version 1). Run with -update-golden only when adding cases.
func TestGoldenPayloads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		db = openCorpusDB(t, db)
		for _, c := range conformance {
			t.Run(c.name, func(t *testing.T) {
				if reason, ok := c.skip[backendName(db)]; ok {
					t.Skip(reason)
				}
				path := goldenPath(goldenDir, c.name)
				if *updateGolden && backendName(db) == dbtest.SQLite {
					if err := os.MkdirAll(goldenDir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, mustDump(t, c.build(db)), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				golden, err := os.ReadFile(path)
				if os.IsNotExist(err) && c.skip[dbtest.SQLite] != "" {
					t.Skip("no golden payload: the case does not run on SQLite, where goldens are written")
				}
				if err != nil {
					t.Fatalf("golden payload missing (run go test ./tests -run TestGoldenPayloads -update-golden): %v", err)
				}
				if now := mustDump(t, c.build(db)); !bytes.Equal(now, golden) {
					t.Fatalf("Dumps no longer writes the golden bytes for %s\ngolden: %q\nnow:    %q", c.name, golden, now)
				}
				want := render(t, c, c.build(db))
				if got := render(t, c, mustLoad(t, golden, db)); want.SQL != got.SQL || !reflect.DeepEqual(want.Vars, got.Vars) {
					t.Fatalf("golden payload renders differently\nnative: %s %v\ngolden: %s %v", want.SQL, want.Vars, got.SQL, got.Vars)
				}
				// Earlier releases' payloads of the case, where they had one.
				for _, dir := range []string{goldenV1Dir, goldenV2Dir} {
					old, err := os.ReadFile(goldenPath(dir, c.name))
					if os.IsNotExist(err) {
						continue
					}
					if err != nil {
						t.Fatal(err)
					}
					if got := render(t, c, mustLoad(t, old, db)); want.SQL != got.SQL || !reflect.DeepEqual(want.Vars, got.Vars) {
						t.Fatalf("%s payload renders differently\nnative: %s %v\nold:    %s %v", filepath.Base(dir), want.SQL, want.Vars, got.SQL, got.Vars)
					}
				}
			})
		}
	})
}
