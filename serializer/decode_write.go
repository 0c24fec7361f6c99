package serializer

import "gorm.io/gorm/clause"

// modifier reads an INSERT/UPDATE/DELETE modifier, which GORM writes
// verbatim.
func (d *decoder) modifier() (string, error) {
	mod, err := d.str()
	if err == nil && mod != "" && d.strict {
		return "", d.rawRefused("modifier", mod)
	}
	return mod, err
}

func (d *decoder) onConflict() (clause.OnConflict, error) {
	var oc clause.OnConflict
	var err error
	if oc.Columns, err = d.columns(); err != nil {
		return oc, err
	}
	for _, w := range []*clause.Where{&oc.Where, &oc.TargetWhere} {
		v, err := d.value()
		if err != nil {
			return oc, err
		}
		where, ok := v.(clause.Where)
		if !ok {
			return oc, d.corrupt("ON CONFLICT condition is %T", v)
		}
		*w = where
	}
	if oc.OnConstraint, err = d.str(); err != nil {
		return oc, err
	}
	if oc.OnConstraint != "" && d.strict {
		return oc, d.rawRefused("ON CONSTRAINT", oc.OnConstraint)
	}
	if oc.DoNothing, err = d.r.ReadBool(); err != nil {
		return oc, err
	}
	v, err := d.value()
	if err != nil {
		return oc, err
	}
	set, ok := v.(clause.Set)
	if !ok {
		return oc, d.corrupt("ON CONFLICT updates are %T", v)
	}
	oc.DoUpdates = set
	oc.UpdateAll, err = d.r.ReadBool()
	return oc, err
}

func (d *decoder) set() (clause.Set, error) {
	assignments, err := list[clause.Assignment](d, "an assignment")
	return clause.Set(assignments), err
}

func (d *decoder) assignment() (clause.Assignment, error) {
	v, err := d.value()
	if err != nil {
		return clause.Assignment{}, err
	}
	c, ok := v.(clause.Column)
	if !ok {
		return clause.Assignment{}, d.corrupt("assignment to %T", v)
	}
	val, err := d.value()
	return clause.Assignment{Column: c, Value: val}, err
}
