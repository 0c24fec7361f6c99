package serializer

import "fmt"

// expansionFactor and expansionBase bound what identifier references and
// relation joins add to the SQL beyond the payload's own bytes: at most
// expansionFactor times the payload's size plus expansionBase. With GORM's
// own syntax around each value this keeps the SQL of an accepted payload
// under 16 times its size plus 16 KiB (docs/security.md).
const (
	expansionFactor = 6
	expansionBase   = 8 << 10
)

// expand counts n bytes of SQL that a short reference stands for.
func (d *decoder) expand(n int) error {
	d.expanded += n
	if d.expanded > expansionFactor*d.r.Len()+expansionBase {
		return d.tooExpanded()
	}
	return nil
}

func (d *decoder) tooExpanded() error {
	return fmt.Errorf("%w: references expand the payload's %d bytes by more than %d bytes of SQL", ErrLimit, d.r.Len(), expansionFactor*d.r.Len()+expansionBase)
}

// expandTable counts what a reference to the current table renders: the
// statement's table name.
func (d *decoder) expandTable() error {
	t, err := d.scopeTable()
	if err != nil {
		return err
	}
	return d.expand(len(t))
}

// expandPrimaryKey counts what a reference to the primary key renders.
func (d *decoder) expandPrimaryKey() error {
	sch, err := d.scopeSchema()
	if sch == nil || sch.PrioritizedPrimaryField == nil {
		return err
	}
	return d.expand(len(sch.PrioritizedPrimaryField.DBName))
}

// expandStatement counts what a nested statement renders around its
// clauses: its SELECT, its FROM and the soft-delete condition GORM adds,
// each naming its table.
func (d *decoder) expandStatement() error {
	t, err := d.scopeTable()
	if err != nil {
		return err
	}
	return d.expand(3*len(t) + 64)
}
