package serializer

func (d *decoder) raw(q *decodedQuery) error {
	n, err := d.r.ReadArrayLen()
	if err != nil {
		return err
	}
	if n != 2 {
		return d.corrupt("raw entry of %d elements", n)
	}
	sql, err := d.str()
	if err != nil {
		return err
	}
	if d.strict {
		return d.rawRefused("Raw", sql)
	}
	vars, err := d.anys()
	if err != nil {
		return err
	}
	if q.frame != nil {
		// Kept in q, which lives on the stack (see restoreStatement).
		q.restoredRaw, q.hasRestoredRaw = rawSQL{SQL: sql, Vars: vars}, true
		return nil
	}
	q.Raw = &rawSQL{SQL: sql, Vars: vars}
	return nil
}
