package sqlstore

import (
	"fmt"
	"time"
)

// Typed NULLs stand for left-out columns that are not text: PostgreSQL
// types a bare NULL as text, which pgx's native scan cannot plan into a
// time or an id but by trying every type it knows, row after row.
const (
	nullTime = "CAST(NULL AS TIMESTAMPTZ)"
	nullID   = "CAST(NULL AS BIGINT)"
)

// omittable is a derived entry for a plain text column that costs its
// decoding (JSON text, long content) and that only the given fields show:
// an operation selecting none of them reads NULL instead.
func omittable(expr string, fields ...string) derived {
	return derived{expr: expr, zero: "NULL", fields: fields}
}

// omittableTime is omittable for a timestamp column.
func omittableTime(expr string, fields ...string) derived {
	return derived{expr: expr, zero: nullTime, fields: fields}
}

// authored are the omittable ids of who created and last updated a row of
// the table with alias a, for tables whose reads no Go logic needs them of.
func authored(a string) []derived {
	return []derived{{a + ".created_by_id", nullID, []string{"createdById"}}, {a + ".updated_by_id", nullID, []string{"updatedById"}}}
}

// recorded are the omittable created and updated times of the table with
// alias a; its dest scans them through timeCol.
func recorded(a string) []derived {
	return []derived{omittableTime(a+".created_at", "createdAt"), omittableTime(a+".updated_at", "updatedAt")}
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
