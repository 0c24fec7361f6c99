package tests

import (
	"crypto/rand"
	"encoding/hex"
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

// The security tests attack Loads as a user with an unsigned payload would,
// against a database holding secrets outside the policy: a table no model
// covers (admin_tokens, canary token), a registered model that is not in
// the strict allow-list (secSecret, canary secret) and a field that is not
// in it (secAccount.Password). No accepted payload may bring back a
// canary its policy keeps out.

// secNode is a tree: a belongs-to and a has-many relation onto itself.
type secNode struct {
	ID       uint   `gorm:"primaryKey;autoIncrement:false"`
	Name     string `gorm:"size:50"`
	ParentID *uint
	Parent   *secNode
	Children []secNode `gorm:"foreignKey:ParentID"`
}

// secAccount is allowed, but not its Password, and not its relations'
// model, secSecret.
type secAccount struct {
	ID       uint `gorm:"primaryKey;autoIncrement:false"`
	UserID   uint
	Login    string      `gorm:"size:50"`
	Password string      `gorm:"size:100"`
	Secrets  []secSecret `gorm:"foreignKey:AccountID"`
	Vault    *secSecret  `gorm:"foreignKey:AccountID"`
}

// secSecret is registered but not in the model allow-list; its Name holds
// the canary.
type secSecret struct {
	ID        uint `gorm:"primaryKey;autoIncrement:false"`
	AccountID uint
	Name      string `gorm:"size:100"`
}

// chainLength is how many nodes the seeded chain 1 <- 2 <- ... holds.
const chainLength = 40

// secEnv is one backend seeded for the attacks, with the plugin installed
// three ways on separate connection pools onto it.
type secEnv struct {
	backend  string
	token    string // admin_tokens.token: outside every policy
	secret   string // sec_secrets.name: outside the strict policy
	password string // secAccount 1's password: outside the strict policy
	strict   *gorm.DB
	rawless  *gorm.DB // WithoutRawSQL alone
	open     *gorm.DB // no policy at all
}

// secModels registers every model under a short ID.
func secModels() gormpickle.Option {
	return gormpickle.WithModels(
		gormpickle.NamedModel("user", &fixture.User{}),
		gormpickle.NamedModel("address", &fixture.Address{}),
		gormpickle.NamedModel("node", &secNode{}),
		gormpickle.NamedModel("account", &secAccount{}),
		gormpickle.NamedModel("secret", &secSecret{}),
	)
}

// secStrictOptions are the settings the README recommends for payloads
// built from user input.
func secStrictOptions() []gormpickle.Option {
	return []gormpickle.Option{
		secModels(),
		gormpickle.WithoutRawSQL(),
		gormpickle.WithAllowedModels("user", "address", "node", "account"),
		gormpickle.WithAllowedFields("user", "ID", "Name"),
		gormpickle.WithAllowedFields("address", "ID", "Email", "UserID"),
		gormpickle.WithAllowedFields("node", "ID", "Name", "ParentID"),
		gormpickle.WithAllowedFields("account", "ID", "UserID", "Login"),
	}
}

// secSetup seeds db (from dbtest) and opens the three targets on it.
func secSetup(t *testing.T, db *gorm.DB) *secEnv {
	t.Helper()
	e := &secEnv{backend: backendName(db), token: "gptoken" + secRandom(t), secret: "gpsecret" + secRandom(t),
		password: "gppw" + secRandom(t)}
	if err := fixture.Seed(db); err != nil {
		t.Fatal(err)
	}
	if err := secSeed(db, e); err != nil {
		t.Fatalf("seed: %v", err)
	}
	e.strict = secTarget(t, db, secStrictOptions()...)
	e.rawless = secTarget(t, db, secModels(), gormpickle.WithoutRawSQL())
	e.open = secTarget(t, db, secModels())
	return e
}

// secTarget opens another pool onto db with the plugin configured by opts.
func secTarget(t *testing.T, db *gorm.DB, opts ...gormpickle.Option) *gorm.DB {
	t.Helper()
	other := dbtest.Reopen(t, db)
	if err := other.Use(shadowtest.New(t, opts...)); err != nil {
		t.Fatal(err)
	}
	return other
}

// secSeed creates and fills the attack models' tables and admin_tokens.
func secSeed(db *gorm.DB, e *secEnv) error {
	if err := db.AutoMigrate(&secNode{}, &secAccount{}, &secSecret{}); err != nil {
		return err
	}
	if err := db.Exec("CREATE TABLE admin_tokens (id INTEGER PRIMARY KEY, token VARCHAR(100))").Error; err != nil {
		return err
	}
	if err := db.Exec("INSERT INTO admin_tokens (id, token) VALUES (1, ?)", e.token).Error; err != nil {
		return err
	}
	nodes := make([]secNode, chainLength)
	for i := range nodes {
		nodes[i] = secNode{ID: uint(i + 1), Name: fmt.Sprintf("n%d", i+1)}
		if i > 0 {
			parent := uint(i)
			nodes[i].ParentID = &parent
		}
	}
	if err := db.Create(&nodes).Error; err != nil {
		return err
	}
	if err := db.Create(&secAccount{ID: 1, UserID: 7, Login: "jack", Password: e.password}).Error; err != nil {
		return err
	}
	return db.Create(&secSecret{ID: 1, AccountID: 1, Name: e.secret}).Error
}

// secRandom is 16 random hex digits: canaries differ from run to run, so
// no payload can hold one.
func secRandom(t *testing.T) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

// secPolicy is one plugin configuration under attack and the canaries
// it must keep out.
type secPolicy struct {
	name      string
	db        *gorm.DB
	forbidden []string
	// limitsOnly: the plugin applies no policy, so only the decode
	// limits (ErrLimit) may refuse a well-formed payload.
	limitsOnly bool
}

// policies are the two configurations every attack is tried under.
func (e *secEnv) policies() []secPolicy {
	return []secPolicy{
		{name: "strict", db: e.strict, forbidden: []string{e.token, e.secret, e.password}},
		{name: "rawless", db: e.rawless, forbidden: []string{e.token}},
	}
}

// everyPolicy adds to policies the plugin without any policy: the bounds
// and the absence of panics hold in every mode.
func (e *secEnv) everyPolicy() []secPolicy {
	return append(e.policies(), secPolicy{name: "open", db: e.open, limitsOnly: true})
}

// secCase is one attack payload.
type secCase struct {
	name string
	data []byte
}

// secRefusals are the errors a refused payload may wrap.
var secRefusals = []error{
	gormpickle.ErrRawSQL, gormpickle.ErrNotAllowed, gormpickle.ErrLimit,
	gormpickle.ErrCorrupt, gormpickle.ErrUnknownField, gormpickle.ErrUnknownModel,
}

// secRefused reports whether err is one of the policy or decode errors.
func secRefused(err error) bool {
	for _, want := range secRefusals {
		if errors.Is(err, want) {
			return true
		}
	}
	return false
}

// checkRefusal fails t unless err is a typed refusal free of canaries.
func (p secPolicy) checkRefusal(t *testing.T, err error) {
	t.Helper()
	if !secRefused(err) {
		t.Errorf("Loads failed with an untyped error: %v", err)
	}
	if c := p.leaked(err.Error()); c != "" {
		t.Errorf("refusal leaks canary %s: %v", c, err)
	}
}

// leaked returns the forbidden canary s contains, or "".
func (p secPolicy) leaked(s string) string {
	for _, c := range p.forbidden {
		if strings.Contains(s, c) {
			return c
		}
	}
	return ""
}
