package tests

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/dbtest"
	"github.com/gormpickle/gormpickle/internal/fixture"
	"github.com/gormpickle/gormpickle/internal/shadowtest"
)

// account is process-local state that must not be copied into payloads.
type account struct {
	key    string
	userID uint
}

func (a *account) Value() (driver.Value, error) { return int64(a.userID), nil }

// accounts resolves accounts by key, like a session store would.
type accounts map[string]*account

func (m accounts) Reference(v any) (string, bool) {
	a, ok := v.(*account)
	if !ok {
		return "", false
	}
	return a.key, true
}

func (m accounts) Resolve(id string) (any, error) {
	if a, ok := m[id]; ok {
		return a, nil
	}
	return nil, fmt.Errorf("no account %q", id)
}

func TestReferencerReplacesValuesByID(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := fixture.Seed(db); err != nil {
			t.Fatal(err)
		}
		source := accounts{"alice": {key: "alice", userID: 7}}
		// The loading side knows "alice" as another row: the reference, not
		// the value, travels.
		target := accounts{"alice": {key: "alice", userID: 8}}
		src := dbtest.Reopen(t, db)
		if err := src.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...), gormpickle.WithReferencer("account", source))); err != nil {
			t.Fatal(err)
		}
		data, err := gormpickle.Dumps(src.Model(&fixture.User{}).Where("id = ?", source["alice"]))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "alice") {
			t.Fatalf("payload does not carry the reference ID: %q", data)
		}
		dst := dbtest.Reopen(t, db)
		if err := dst.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...), gormpickle.WithReferencer("account", target))); err != nil {
			t.Fatal(err)
		}
		q, err := gormpickle.Loads(data, dst)
		if err != nil {
			t.Fatal(err)
		}
		var users []fixture.User
		if err := q.Find(&users).Error; err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 || users[0].Name != "ed" {
			t.Fatalf("got %v, want ed (the target's alice)", users)
		}

		plain := dbtest.Reopen(t, db)
		if err := plain.Use(shadowtest.New(t, gormpickle.WithModels(fixture.Models()...))); err != nil {
			t.Fatal(err)
		}
		if _, err := gormpickle.Loads(data, plain); !errors.Is(err, gormpickle.ErrUnknownModel) || !strings.Contains(err.Error(), `"account"`) {
			t.Fatalf("loading without the referencer: %v", err)
		}
	})
}
