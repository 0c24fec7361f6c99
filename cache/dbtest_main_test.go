package cache_test

import (
	"testing"

	"github.com/gormpickle/gormpickle/internal/dbtest"
)

// TestMain reports which database backends the package's tests ran.
func TestMain(m *testing.M) { dbtest.Main(m) }
