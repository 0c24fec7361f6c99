package tests

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gormpickle/gormpickle"
	"github.com/gormpickle/gormpickle/internal/fixture"
)

// The models FuzzPolicy adds to the fixture's. fzAccount's Password is the
// field its allow-list leaves out; fzVault is registered but not allowed.
// Their relations give every join shape: belongs-to an allowed model
// (Owner), a self-relation for nested paths (Parent), has-many (Sessions,
// a join GORM cannot scan) and has-one of a model outside the allow-list
// (Vault).
type (
	fzAccount struct {
		ID       uint `gorm:"primaryKey;autoIncrement:false"`
		Login    string
		Password string // holds fzFieldCanary
		OwnerID  uint
		Owner    *fixture.User
		ParentID *uint
		Parent   *fzAccount
		Sessions []fzSession `gorm:"foreignKey:AccountID"`
		Vault    *fzVault    `gorm:"foreignKey:AccountID"`
	}
	fzSession struct {
		ID        uint `gorm:"primaryKey;autoIncrement:false"`
		AccountID uint
		Account   *fzAccount
		Device    string
	}
	fzVault struct {
		ID        uint `gorm:"primaryKey;autoIncrement:false"`
		AccountID uint
		Secret    string // holds fzTableCanary
	}
)

// fzFilter and fzStatus are registered value types (gormpickle.WithTypes):
// a struct and a named non-struct type a payload may carry.
type (
	fzFilter struct {
		Name   string
		IDs    []int
		Since  time.Time
		Status fzStatus
	}
	fzStatus string
)

// fzRefs is the referencer FuzzPolicy registers as "acct": it resolves
// account IDs "1" to "9" to their number and refuses any other ID with a
// policy error, as an application's referencer would, so that every error
// Loads returns is a typed one.
type fzRefs struct{}

// Reference claims no value: payloads reach Resolve only.
func (fzRefs) Reference(any) (string, bool) { return "", false }

// Resolve returns the account ID that id spells.
func (fzRefs) Resolve(id string) (any, error) {
	if n, err := strconv.Atoi(id); err == nil && n >= 1 && n <= 9 {
		return uint(n), nil
	}
	return nil, fmt.Errorf("%w: no account %q", gormpickle.ErrNotAllowed, id)
}

// fzModelSpec is what the payload generator knows of a model: the IDs a
// payload may name it by, its Go fields with columns, its column names,
// table and relations (by index into fzModels).
type fzModelSpec struct {
	ids       []string
	fields    []string
	columns   []string
	table     string
	relations []fzRelation
}

type fzRelation struct {
	name  string
	model int
}

// Indexes into fzModels.
const (
	fzUser = iota
	fzAddress
	fzAccountModel
	fzSessionModel
	fzVaultModel
	fzNoModel = -1
)

// fzPkg is the package path of this package's models: their legacy IDs.
const fzPkg = "github.com/gormpickle/gormpickle/tests."

// fzModels describes every registered model; the first ID of each is the
// one allow-lists name, the second the legacy ID that still resolves.
var fzModels = []fzModelSpec{
	fzUser: {
		ids:    []string{"fixture.User", "github.com/gormpickle/gormpickle/internal/fixture.User"},
		fields: []string{"ID", "Name"}, columns: []string{"id", "name"}, table: "users",
		relations: []fzRelation{{"Addresses", fzAddress}},
	},
	fzAddress: {
		ids:    []string{"fixture.Address", "github.com/gormpickle/gormpickle/internal/fixture.Address"},
		fields: []string{"ID", "Email", "UserID"}, columns: []string{"id", "email", "user_id"}, table: "addresses",
		relations: []fzRelation{{"User", fzUser}},
	},
	fzAccountModel: {
		ids:     []string{"account", fzPkg + "fzAccount"},
		fields:  []string{"ID", "Login", "OwnerID", "ParentID", "Password"},
		columns: []string{"id", "login", "owner_id", "parent_id", "password"}, table: "fz_accounts",
		relations: []fzRelation{{"Owner", fzUser}, {"Parent", fzAccountModel}, {"Sessions", fzSessionModel}, {"Vault", fzVaultModel}},
	},
	fzSessionModel: {
		ids:    []string{"tests.fzSession", fzPkg + "fzSession"},
		fields: []string{"ID", "AccountID", "Device"}, columns: []string{"id", "account_id", "device"}, table: "fz_sessions",
		relations: []fzRelation{{"Account", fzAccountModel}},
	},
	fzVaultModel: {
		ids:    []string{"tests.fzVault", fzPkg + "fzVault"},
		fields: []string{"ID", "AccountID", "Secret"}, columns: []string{"id", "account_id", "secret"}, table: "fz_vaults",
	},
}

// fzUnregisteredIDs are model IDs no plugin knows.
var fzUnregisteredIDs = []string{"tests.item", "nobody", "fixture.user", "models.User"}

// fzTypeIDs are value type IDs: registered ones first.
var fzTypeIDs = []string{"tests.fzFilter", "tests.fzStatus", "sql.NullString", "sql.NullInt64", "gorm.DeletedAt", "gorm.Model", "tests.item", "nothing.Here"}
