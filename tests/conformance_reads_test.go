package tests

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gormpickle/gormpickle/internal/fixture"
)

// Reading finishers. Each returns what it read; DryRun has no rows, so
// Row and Rows report errDryRunRow there instead of scanning.

var errDryRunRow = errors.New("no *sql.Row under DryRun")

// confReadCoverage lists the reading finishers; each has a case below.
var confReadCoverage = []string{"First", "Take", "Last", "Find", "FindInBatches", "Count", "Pluck", "Scan", "Row", "Rows", "ScanRows", "FirstOrInit"}

func finFind(dest func() any, conds ...any) confFinisher {
	return confFinisher{name: "Find", run: func(tx *gorm.DB) (any, error) {
		d := dest()
		return d, tx.Find(d, conds...).Error
	}}
}

func finOne(name string, dest func() any, conds ...any) confFinisher {
	return confFinisher{name: name, run: func(tx *gorm.DB) (any, error) {
		d := dest()
		switch name {
		case "First":
			return d, tx.First(d, conds...).Error
		case "Take":
			return d, tx.Take(d, conds...).Error
		case "Last":
			return d, tx.Last(d, conds...).Error
		}
		return d, tx.FirstOrInit(d, conds...).Error
	}}
}

func destUser() any    { return &fixture.User{} }
func destAddress() any { return &fixture.Address{} }

// finBatches returns every batch FindInBatches handed over, as text (the
// destination is reused between batches).
func finBatches(size int) confFinisher {
	return confFinisher{name: "FindInBatches", run: func(tx *gorm.DB) (any, error) {
		var batches []string
		var dest []fixture.User
		r := tx.FindInBatches(&dest, size, func(b *gorm.DB, n int) error {
			batches = append(batches, fmt.Sprintf("%d %d %+v", n, b.RowsAffected, dest))
			return nil
		})
		return []any{batches, r.RowsAffected}, r.Error
	}}
}

func finCount() confFinisher {
	return confFinisher{name: "Count", run: func(tx *gorm.DB) (any, error) {
		var n int64
		return n, tx.Count(&n).Error
	}}
}

func finPluck(column string, dest func() any) confFinisher {
	return confFinisher{name: "Pluck", run: func(tx *gorm.DB) (any, error) {
		d := dest()
		return d, tx.Pluck(column, d).Error
	}}
}

func finScan(dest func() any) confFinisher {
	return confFinisher{name: "Scan", run: func(tx *gorm.DB) (any, error) {
		d := dest()
		return d, tx.Scan(d).Error
	}}
}

// finRow scans the one row into n values of the driver's types.
func finRow(n int) confFinisher {
	return confFinisher{name: "Row", run: func(tx *gorm.DB) (any, error) {
		row := tx.Row()
		if row == nil {
			return nil, errDryRunRow
		}
		vals, ptrs := make([]any, n), make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		err := row.Scan(ptrs...)
		return vals, err
	}}
}

// finRows reads every row's columns as the driver returns them.
func finRows() confFinisher {
	return confFinisher{name: "Rows", run: func(tx *gorm.DB) (any, error) {
		rows, err := tx.Rows()
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return readRows(rows)
	}}
}

func readRows(rows *sql.Rows) (any, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return []any{cols, out}, rows.Err()
}

// finScanRows scans each row of Rows into a new value of elem's type.
func finScanRows(elem func() any) confFinisher {
	return confFinisher{name: "ScanRows", run: func(tx *gorm.DB) (any, error) {
		rows, err := tx.Rows()
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []any
		for rows.Next() {
			v := elem()
			if err := tx.ScanRows(rows, v); err != nil {
				return nil, err
			}
			out = append(out, reflect.ValueOf(v).Elem().Interface())
		}
		return out, rows.Err()
	}}
}

type idName struct {
	ID   uint
	Name string
}

func destIDNames() any { return &[]idName{} }
func destStrings() any { return &[]string{} }
func destUints() any   { return &[]uint{} }
func destMaps() any    { return &[]map[string]any{} }

func byID(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", 7).Order("id") }

// confReads covers the reading finishers on restored chains.
var confReads = []confCase{
	{name: "First", build: byID, fin: finOne("First", destUser)},
	{name: "First/inline_conds", build: users, fin: finOne("First", destUser, "name = ?", "fred")},
	{name: "First/primary_key", build: users, fin: finOne("First", destUser, 9)},
	{name: "First/not_found", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", 100) }, fin: finOne("First", destUser)},
	{name: "Take", build: byID, fin: finOne("Take", destUser)},
	{name: "Take/table", build: func(db *gorm.DB) *gorm.DB { return db.Table("users").Where("name = ?", "ed") }, fin: finOne("Take", func() any { return &idName{} })},
	{name: "Last", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id < ?", 10) }, fin: finOne("Last", destUser)},
	{name: "Last/addresses", build: addresses, fin: finOne("Last", destAddress, "user_id = ?", 8)},
	{name: "Find/inline_conds", build: users, fin: finFind(destUsers, "name <> ?", "ed")},
	{name: "Find/map_conds", build: users, fin: finFind(destUsers, map[string]any{"name": "jack"})},
	{name: "Find/into_other_struct", build: byID, fin: finFind(destIDNames)},
	{name: "Find/into_maps", build: func(db *gorm.DB) *gorm.DB { return byID(db).Select("name") }, fin: finFind(destMaps)},
	{name: "FindInBatches", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", 0) }, fin: finBatches(3)},
	{name: "FindInBatches/limit", build: func(db *gorm.DB) *gorm.DB { return users(db).Limit(3) }, fin: finBatches(2)},
	{name: "FindInBatches/offset", build: func(db *gorm.DB) *gorm.DB { return users(db).Offset(1).Limit(2) }, fin: finBatches(5)},
	{name: "Count", build: func(db *gorm.DB) *gorm.DB { return users(db).Where("id > ?", 7) }, fin: finCount()},
	{name: "Count/distinct", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct("user_id") }, fin: finCount()},
	{name: "Count/group", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Group("user_id") }, fin: finCount()},
	{name: "Count/select_having", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Select("user_id").Group("user_id").Having("count(*) > ?", 1)
	}, fin: finCount()},
	{name: "Count/joins", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Joins("User").Where("name = ?", "ed") }, fin: finCount()},
	{name: "Count/table", build: func(db *gorm.DB) *gorm.DB { return db.Table("addresses") }, fin: finCount()},
	{name: "Pluck", build: byID, fin: finPluck("name", destStrings)},
	{name: "Pluck/distinct", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct().Order("user_id") }, fin: finPluck("user_id", destUints)},
	{name: "Pluck/table", build: func(db *gorm.DB) *gorm.DB { return db.Table("addresses").Where("user_id = ?", 8).Order("id") }, fin: finPluck("email", destStrings)},
	{name: "Scan", build: func(db *gorm.DB) *gorm.DB { return byID(db).Select("id, name") }, fin: finScan(destIDNames)},
	{name: "Scan/aggregate", build: func(db *gorm.DB) *gorm.DB {
		return db.Table("addresses").Select("users.name, count(*) AS n").Joins("JOIN users ON users.id = addresses.user_id").Group("users.name").Order("users.name")
	}, fin: finScan(destNameCount)},
	{name: "Scan/raw", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT id, name FROM users WHERE id IN ? ORDER BY id", []int{8, 10})
	}, fin: finScan(destIDNames)},
	{name: "Scan/maps", build: func(db *gorm.DB) *gorm.DB { return byID(db).Select("name") }, fin: finScan(destMaps)},
	{name: "Row", build: func(db *gorm.DB) *gorm.DB { return users(db).Select("id, name").Where("id = ?", 9) }, fin: finRow(2)},
	{name: "Row/raw", build: func(db *gorm.DB) *gorm.DB { return db.Raw("SELECT count(*) FROM addresses WHERE user_id = ?", 8) }, fin: finRow(1)},
	{name: "Rows", build: func(db *gorm.DB) *gorm.DB { return byID(db).Select("id", "name") }, fin: finRows()},
	{name: "Rows/raw", build: func(db *gorm.DB) *gorm.DB {
		return db.Raw("SELECT email FROM addresses WHERE user_id = @u ORDER BY id", sql.Named("u", 8))
	}, fin: finRows()},
	{name: "ScanRows", build: byID, fin: finScanRows(destUser)},
	{name: "ScanRows/joins", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Joins("User").Order("addresses.id") }, fin: finScanRows(destAddress)},
	{name: "Count/select_one_column", build: func(db *gorm.DB) *gorm.DB { return users(db).Select("name").Where("id > ?", 7) }, fin: finCount()},
	{name: "Count/distinct_select", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Distinct().Select("user_id") }, fin: finCount()},
	{name: "Count/preload_order_limit", build: func(db *gorm.DB) *gorm.DB { return users(db).Preload("Addresses").Order("name").Limit(2) }, fin: finCount()},
	{name: "Pluck/joins", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User").Where(clause.Neq{Column: clause.Column{Table: "User", Name: "name"}, Value: "ed"}).Order("addresses.id")
	}, fin: finPluck("addresses.email", destStrings)},
	{name: "Pluck/with_select", build: func(db *gorm.DB) *gorm.DB { return users(db).Select("name").Order("id") }, fin: finPluck("name", destStrings)},
	{name: "Last/with_order", build: func(db *gorm.DB) *gorm.DB { return users(db).Order("name") }, fin: finOne("Last", destUser)},
	{name: "First/preload_joins", build: func(db *gorm.DB) *gorm.DB {
		return addresses(db).Joins("User").Preload("User.Addresses").Where("addresses.id > ?", 2)
	}, fin: finOne("First", destAddress)},
	{name: "Take/locking", build: func(db *gorm.DB) *gorm.DB {
		return users(db).Where("id = ?", 8).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}, fin: finOne("Take", destUser)},
	{name: "Rows/joins_preload", build: func(db *gorm.DB) *gorm.DB { return addresses(db).Joins("User").Order("addresses.id") }, fin: finRows()},
	{name: "FirstOrInit/found", build: byID, fin: finOne("FirstOrInit", destUser)},
	{name: "FirstOrInit/not_found", build: func(db *gorm.DB) *gorm.DB { return users(db).Where(&fixture.User{Name: "nobody"}) }, fin: finOne("FirstOrInit", destUser)},
	{name: "FirstOrInit/inline_conds", build: users, fin: finOne("FirstOrInit", destUser, fixture.User{Name: "zed"})},
}
