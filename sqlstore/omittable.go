package sqlstore

import (
	"fmt"
	"time"
)

// omittable is a derived entry for a plain column that costs its decoding
// (a timestamp, JSON text) and that only the given fields show: an
// operation selecting none of them reads NULL instead.
func omittable(expr string, fields ...string) derived {
	return derived{expr: expr, zero: "NULL", fields: fields}
}

// recorded are the omittable created and updated times of the table with
// alias a; its dest scans them through timeCol.
func recorded(a string) []derived {
	return []derived{omittable(a+".created_at", "createdAt"), omittable(a+".updated_at", "updatedAt")}
}

// timeCol scans a NOT NULL timestamp that a read may leave out (its
// omittable NULL), which leaves the zero time.
type timeCol struct{ p *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*c.p = v
	case nil:
		*c.p = time.Time{}
	default:
		return fmt.Errorf("sqlstore: a time from %T", src)
	}
	return nil
}
