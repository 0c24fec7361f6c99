package shadowtest_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ownCheck lists the test files that install the plugin themselves: the
// shadow check's own tests and benchmark, which configure it on purpose.
var ownCheck = map[string]bool{
	"shadow_test.go":         true,
	"shadow_effects_test.go": true,
	"shadow_bench_test.go":   true,
}

// TestEveryInstallationGoesThroughShadowtest keeps CI's shadow run whole:
// a test that installs the plugin with gormpickle.New instead of
// shadowtest.New would run its statements unchecked.
func TestEveryInstallationGoesThroughShadowtest(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") || ownCheck[d.Name()] {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if strings.Contains(line, "gormpickle.New(") && !strings.Contains(line, ").Registry()") {
				t.Errorf("%s:%d installs the plugin without shadowtest.New: %s", path, n, strings.TrimSpace(line))
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
