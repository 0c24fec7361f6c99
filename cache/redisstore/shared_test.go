package redisstore_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle/cache"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

func name8(t *testing.T, db *gorm.DB) string {
	t.Helper()
	var u fixture.User
	if err := db.Clauses(cache.TTL(time.Minute)).First(&u, 8).Error; err != nil {
		t.Fatal(err)
	}
	return u.Name
}

// TestTwoInstances: two *gorm.DB with their own plugins over one Redis
// see each other's committed writes (through GORM's API or Exec), and a
// rollback changes nothing.
func TestTwoInstances(t *testing.T) {
	client := sharedClient(t)
	dbtest.Each(t, func(t *testing.T, a *gorm.DB) {
		if err := fixture.Seed(a); err != nil {
			t.Fatal(err)
		}
		b := dbtest.Reopen(t, a)
		prefix := testPrefix(t, client)
		ca, cb := install(t, a, client, prefix), install(t, b, client, prefix)

		name8(t, a)
		if name8(t, b); cb.Stats().Hits != 1 {
			t.Fatalf("b did not read a's entry: %+v", cb.Stats())
		}
		steps := []struct {
			name  string
			write func() error
			want  string
		}{
			{"Update", func() error { return b.Model(&fixture.User{ID: 8}).Update("name", "b1").Error }, "b1"},
			{"Exec", func() error { return b.Exec("UPDATE users SET name = ? WHERE id = ?", "b2", 8).Error }, "b2"},
			{"rollback", func() error {
				tx := b.Begin()
				if err := tx.Exec("UPDATE users SET name = 'never' WHERE id = 8").Error; err != nil {
					return err
				}
				return tx.Rollback().Error
			}, "b2"},
		}
		for _, s := range steps {
			name8(t, a) // cached in a
			hits := ca.Stats().Hits
			if err := s.write(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got := name8(t, a); got != s.want {
				t.Errorf("%s on b: a read %q, want %q", s.name, got, s.want)
			}
			if s.name == "rollback" && ca.Stats().Hits != hits+1 {
				t.Errorf("a rollback on b made a miss on a")
			}
		}
	})
}
