package tests

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The models of the generics-only cases: an employee belongs to a
// company and has pets, which have toys (nested has-many, for nested
// PreloadBuilder functions and LimitPerRecord).
type gCompany struct {
	ID   uint `gorm:"primaryKey;autoIncrement:false"`
	Name string
}

type gEmployee struct {
	ID        uint `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	CompanyID *uint
	Company   *gCompany
	Pets      []gPet `gorm:"foreignKey:OwnerID"`
}

type gPet struct {
	ID      uint `gorm:"primaryKey;autoIncrement:false"`
	OwnerID uint
	Name    string
	Toys    []gToy
}

type gToy struct {
	ID     uint `gorm:"primaryKey;autoIncrement:false"`
	GPetID uint
	Name   string
}

func gModels() []any { return []any{&gCompany{}, &gEmployee{}, &gPet{}, &gToy{}} }

func seedG(db *gorm.DB) error {
	if err := db.AutoMigrate(gModels()...); err != nil {
		return err
	}
	one, two := uint(1), uint(2)
	for _, rows := range []any{
		&[]gCompany{{ID: 1, Name: "acme"}, {ID: 2, Name: "globex"}},
		&[]gEmployee{{ID: 1, Name: "ann", CompanyID: &one}, {ID: 2, Name: "bob", CompanyID: &two}, {ID: 3, Name: "cid"}},
		&[]gPet{{ID: 1, OwnerID: 1, Name: "rex"}, {ID: 2, OwnerID: 1, Name: "tom"}, {ID: 3, OwnerID: 1, Name: "kit"}, {ID: 4, OwnerID: 2, Name: "max"}},
		&[]gToy{{ID: 1, GPetID: 1, Name: "ball"}, {ID: 2, GPetID: 1, Name: "bone"}, {ID: 3, GPetID: 2, Name: "rope"}, {ID: 4, GPetID: 4, Name: "mouse"}, {ID: 5, GPetID: 1, Name: "stick"}},
	} {
		if err := db.Omit(clause.Associations).Create(rows).Error; err != nil {
			return err
		}
	}
	return nil
}

type gEmp = gorm.ChainInterface[gEmployee]

func gE(db *gorm.DB) gorm.Interface[gEmployee] { return gorm.G[gEmployee](db) }

func employees(db *gorm.DB) *gorm.DB { return db.Model(&gEmployee{}) }

// gSpecific: the forms only GORM's generics API has.
func gSpecific() []gCase {
	ef := gFind[gEmployee]()
	return []gCase{
		gq("JoinBuilder/company", func(db *gorm.DB) gEmp {
			return gE(db).Joins(clause.LeftJoin.Association("Company"), func(db gorm.JoinBuilder, joinTable, curTable clause.Table) error {
				db.Where(clause.Neq{Column: clause.Column{Table: joinTable.Name, Name: "name"}, Value: "globex"})
				db.Where("? > ?", clause.Column{Table: joinTable.Name, Name: "id"}, 0)
				return nil
			}).Order("g_employees.id")
		}, nil, ef),
		gq("JoinBuilder/select_omit", func(db *gorm.DB) gEmp {
			return gE(db).Joins(clause.InnerJoin.Association("Company"), func(db gorm.JoinBuilder, _, _ clause.Table) error {
				db.Select("id", "name").Not("name = ?", "x").Or("id > ?", 0)
				return nil
			}).Order("g_employees.id")
		}, nil, ef),
		gq("JoinBuilder/as", func(db *gorm.DB) gEmp {
			return gE(db).Joins(clause.LeftJoin.Association("Company").As("c"), joinWhere("c.name = ?", "acme")).Order("g_employees.id")
		}, nil, ef),
		gq("JoinBuilder/subquery", func(db *gorm.DB) gEmp {
			sub := gorm.G[gCompany](db).Select("id", "name").Where("name <> ?", "x")
			return gE(db).Joins(clause.LeftJoin.AssociationFrom("Company", sub).As("t"), func(db gorm.JoinBuilder, joinTable, _ clause.Table) error {
				db.Where(clause.Eq{Column: clause.Column{Table: joinTable.Name, Name: "name"}, Value: "acme"})
				return nil
			}).Order("g_employees.id")
		}, nil, ef),
		gq("JoinBuilder/subquery_no_on", func(db *gorm.DB) gEmp {
			sub := gorm.G[gCompany](db).Where("id = ?", 2)
			return gE(db).Joins(clause.InnerJoin.AssociationFrom("Company", sub), nil).Order("g_employees.id")
		}, nil, ef),
		gq("JoinBuilder/and_preload", func(db *gorm.DB) gEmp {
			return gE(db).Joins(clause.LeftJoin.Association("Company"), left).Preload("Pets", nil).Order("g_employees.id")
		}, func(db *gorm.DB) *gorm.DB {
			return employees(db).Joins("Company").Preload("Pets").Order("g_employees.id")
		}, ef),
		gq("PreloadBuilder/nested", func(db *gorm.DB) gEmp {
			return gE(db).Preload("Pets", func(db gorm.PreloadBuilder) error {
				db.Where("name <> ?", "tom").Order("id desc")
				return nil
			}).Preload("Pets.Toys", func(db gorm.PreloadBuilder) error {
				db.Order("name").Select("id", "g_pet_id", "name")
				return nil
			}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return employees(db).Preload("Pets", func(tx *gorm.DB) *gorm.DB { return tx.Where("name <> ?", "tom").Order("id desc") }).
				Preload("Pets.Toys", func(tx *gorm.DB) *gorm.DB { return tx.Order("name").Select([]string{"id", "g_pet_id", "name"}) }).Order("id")
		}, ef),
		gq("PreloadBuilder/limit_per_record_nested", func(db *gorm.DB) gEmp {
			return gE(db).Preload("Pets", func(db gorm.PreloadBuilder) error {
				db.Order("id").LimitPerRecord(2)
				return nil
			}).Preload("Pets.Toys", func(db gorm.PreloadBuilder) error {
				db.Order("id desc").LimitPerRecord(1)
				return nil
			}).Order("id")
		}, nil, ef),
		gq("PreloadBuilder/limit_per_record_conditions", func(db *gorm.DB) gEmp {
			return gE(db).Where("id < ?", 3).Preload("Pets", func(db gorm.PreloadBuilder) error {
				db.Where("name <> ?", "rex").Select("id", "owner_id", "name").LimitPerRecord(1)
				return nil
			}).Preload("Company", nil).Order("id")
		}, nil, ef),
		gq("PreloadBuilder/nested_limit_offset", func(db *gorm.DB) gEmp {
			return gE(db).Preload("Pets.Toys", func(db gorm.PreloadBuilder) error {
				db.Order("id").Limit(3).Offset(1)
				return nil
			}).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return employees(db).Preload("Pets.Toys", func(tx *gorm.DB) *gorm.DB { return tx.Order("id").Limit(3).Offset(1) }).Order("id")
		}, ef),
		gq("opts/locking", func(db *gorm.DB) gEmp {
			return gorm.G[gEmployee](db, clause.Locking{Strength: clause.LockingStrengthUpdate, Options: clause.LockingOptionsNoWait}).Where("id = ?", 1)
		}, func(db *gorm.DB) *gorm.DB {
			return employees(db).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate, Options: clause.LockingOptionsNoWait}).Where("id = ?", 1)
		}, ef),
		gq("opts/locking_joins_preload", func(db *gorm.DB) gEmp {
			return gorm.G[gEmployee](db, clause.Locking{Strength: clause.LockingStrengthUpdate}, clause.Where{Exprs: []clause.Expression{clause.Gt{Column: clause.PrimaryColumn, Value: 0}}}).
				Joins(clause.InnerJoin.Association("Company"), left).Preload("Pets", nil).Order("g_employees.id")
		}, func(db *gorm.DB) *gorm.DB {
			return employees(db).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}, clause.Where{Exprs: []clause.Expression{clause.Gt{Column: clause.PrimaryColumn, Value: 0}}}).
				InnerJoins("Company").Preload("Pets").Order("g_employees.id")
		}, ef),
		gq("subquery/nested_generics", func(db *gorm.DB) gEmp {
			pets := gorm.G[gPet](db).Select("owner_id").Where("id IN (?)", gorm.G[gToy](db).Select("g_pet_id").Where("name LIKE ?", "b%"))
			return gE(db).Where("id IN (?)", pets).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			pets := db.Model(&gPet{}).Select("owner_id").Where("id IN (?)", db.Model(&gToy{}).Select("g_pet_id").Where("name LIKE ?", "b%"))
			return employees(db).Where("id IN (?)", pets).Order("id")
		}, ef),
		gq("subquery/from_gorm_G", func(db *gorm.DB) gEmp {
			return gE(db).Where("company_id IN (?)", gorm.G[gCompany](db).Select("id")).Order("id")
		}, func(db *gorm.DB) *gorm.DB {
			return employees(db).Where("company_id IN (?)", db.Model(&gCompany{}).Select("id")).Order("id")
		}, ef),
		gq("subquery/table", func(db *gorm.DB) gEmp {
			return gE(db).Table("(?) AS g_employees", gE(db).Where("id > ?", 1)).Order("g_employees.id")
		}, func(db *gorm.DB) *gorm.DB {
			return employees(db).Table("(?) AS g_employees", employees(db).Where("id > ?", 1)).Order("g_employees.id")
		}, ef),
		gq("Scopes/statement", func(db *gorm.DB) gEmp {
			return gE(db).Scopes(func(s *gorm.Statement) { s.Where("name <> ?", "bob").Order("id") })
		}, func(db *gorm.DB) *gorm.DB { return employees(db).Where("name <> ?", "bob").Order("id") }, ef),
		gq("Count/joins_builder", func(db *gorm.DB) gEmp {
			return gE(db).Joins(clause.InnerJoin.Association("Company"), joinWhere("name <> ?", "x"))
		}, nil, gCount[gEmployee]("*")),
	}
}
