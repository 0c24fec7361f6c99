package tests

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gormpickle/gormpickle/internal/wire"
)

// fzSeeds returns FuzzPolicy's seeds: every golden payload (versions 2 and
// 1), every input of the repository's other fuzz corpora, inputs for the
// generator, then the attacks of issue 14, those that fail with an error
// before those that panic or abort the process.
func fzSeeds(tb testing.TB) [][]byte {
	var seeds [][]byte
	for _, pattern := range []string{
		filepath.Join(goldenDir, "*.gpq"), filepath.Join(goldenV1Dir, "*.gpq"),
		filepath.Join("..", "testdata", "fuzz", "*", "*"), filepath.Join("..", "*", "testdata", "fuzz", "*", "*"),
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			if strings.Contains(f, "FuzzPolicy") {
				continue // Go runs this target's own corpus
			}
			seeds = append(seeds, fzReadSeed(tb, f))
		}
	}
	seeds = append(seeds, fzGeneratorSeeds()...)
	for _, s := range fzClassSeeds() {
		seeds = append(seeds, fzPayload(s))
	}
	return seeds
}

// fzGeneratorSeeds are inputs for the generator (not starting with "GPQ"):
// fixed pseudo-random bytes of 16 to 1024 bytes, so that the fuzzer
// mutates generator choices from the start and not only the raw payloads.
func fzGeneratorSeeds() [][]byte {
	r := rand.New(rand.NewPCG(14, 14))
	var seeds [][]byte
	for n := 16; n <= 1024; n *= 2 {
		for range 4 {
			in := make([]byte, n)
			for i := range in {
				in[i] = byte(r.Uint32())
			}
			in[0] = 'g' // never the payload magic
			seeds = append(seeds, in)
		}
	}
	return seeds
}

// fzReadSeed reads a payload file, or the []byte input of a Go fuzz corpus
// file ("go test fuzz v1").
func fzReadSeed(tb testing.TB, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	text, ok := strings.CutPrefix(string(data), "go test fuzz v1\n")
	if !ok {
		return data
	}
	lit, ok := strings.CutPrefix(strings.TrimSpace(text), "[]byte(")
	if s, err := strconv.Unquote(strings.TrimSuffix(lit, ")")); ok && err == nil {
		return []byte(s)
	}
	tb.Fatalf("%s: not a []byte fuzz input", path)
	return nil
}

// fzL is a MessagePack array and fzM a map (keys and values alternating,
// in order), for writing seeds as literals.
type (
	fzL []any
	fzM []any
)

// fzPayload writes a version-2 payload whose statement is stmt.
func fzPayload(stmt fzM) []byte {
	w := wire.Writer{Buf: []byte("GPQ\x02\x00")}
	fzWrite(&w, stmt)
	return w.Buf
}

// fzWrite writes a literal: nil, bool, int, string, fzL or fzM.
func fzWrite(w *wire.Writer, v any) {
	switch v := v.(type) {
	case nil:
		w.Nil()
	case bool:
		w.Bool(v)
	case int:
		w.Int(int64(v))
	case string:
		w.String(v)
	case fzL:
		w.ArrayLen(len(v))
		for _, e := range v {
			fzWrite(w, e)
		}
	case fzM:
		w.MapLen(len(v) / 2)
		for _, e := range v {
			fzWrite(w, e)
		}
	default:
		panic("fzWrite: unsupported literal")
	}
}
