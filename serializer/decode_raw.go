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
	// By value: a restored statement's q lives on the stack (see
	// restoreStatement) and cannot point into itself.
	q.Raw, q.hasRaw = rawSQL{SQL: sql, Vars: vars}, true
	return nil
}
