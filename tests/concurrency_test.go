package tests

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// TestConcurrentDumpsLoads shares one plugin between many goroutines that
// dump and load at once; run under -race it checks the plugin, registry
// and capture callback hold no unsynchronised state.
func TestConcurrentDumpsLoads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		p := shadowtest.New(t, gormpickle.WithModels(fixture.Models()...), gormpickle.WithSigningKey([]byte("concurrency test key")))
		if err := db.Use(p); err != nil {
			t.Fatal(err)
		}
		if err := fixture.Seed(db); err != nil {
			t.Fatal(err)
		}
		build := func(name string) *gorm.DB {
			sub := db.Model(&fixture.Address{}).Select("user_id").Where("email LIKE ?", "%"+name+"%")
			return db.Model(&fixture.User{}).Where("id IN (?)", sub).Preload("Addresses").Order("id")
		}
		want := map[string][]fixture.User{}
		for _, name := range []string{"ed", "fred", "jack"} {
			var users []fixture.User
			if err := build(name).Find(&users).Error; err != nil {
				t.Fatal(err)
			}
			want[name] = users
		}
		reference := map[string][]byte{}
		for name := range want {
			data, err := gormpickle.Dumps(build(name))
			if err != nil {
				t.Fatal(err)
			}
			reference[name] = data
		}
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := 0; i < 32; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				name := []string{"ed", "fred", "jack"}[i%3]
				data, err := gormpickle.Dumps(build(name))
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(data, reference[name]) {
					errs <- fmt.Errorf("goroutine %d: payload differs from the reference", i)
					return
				}
				q, err := gormpickle.Loads(data, db)
				if err != nil {
					errs <- err
					return
				}
				var got []fixture.User
				if err := q.Find(&got).Error; err != nil {
					errs <- err
					return
				}
				if fmt.Sprint(got) != fmt.Sprint(want[name]) {
					errs <- fmt.Errorf("goroutine %d: got %v, want %v", i, got, want[name])
				}
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}
