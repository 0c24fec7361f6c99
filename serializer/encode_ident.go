package serializer

// sym writes an interned identifier: the string at its first occurrence,
// its index afterwards.
func (e *encoder) sym(s string) {
	if i, ok := e.syms[s]; ok {
		e.w.Int(int64(i))
		return
	}
	e.syms[s] = len(e.syms)
	e.w.String(s)
}

// columnNames writes Select/Omit names: a name that is a column of the
// model is written as a field reference ([field]) so the target's naming
// strategy renames it; anything else (expressions, "*") as a string.
func (e *encoder) columnNames(names []string) {
	e.w.ArrayLen(len(names))
	for _, name := range names {
		if e.scope.schema != nil {
			if f := e.scope.schema.FieldsByDBName[name]; f != nil {
				if column := e.recordedColumn(f); column != "" {
					e.w.ArrayLen(2) // [field, column]
					e.sym(f.Name)
					e.sym(column)
					continue
				}
				e.w.ArrayLen(1)
				e.sym(f.Name)
				continue
			}
		}
		e.w.String(name)
	}
}

func (e *encoder) strings(ss []string) {
	e.w.ArrayLen(len(ss))
	for _, s := range ss {
		e.w.String(s)
	}
}
