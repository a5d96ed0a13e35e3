package sqlstore

import "github.com/jackc/pgx/v5/pgtype"

// pgxDest replaces, in a list of scan destinations, those pgx would fill
// through reflection or database/sql's conversions with scanners its codecs
// call directly: pointers to nullable values (**int64, **string, **float64,
// **bool; pgx's pointer-to-pointer plan costs a reflect.New and Set per
// value) and orZero's (sql.Scanner: a driver value allocated per value).
// It is for rows of pgx's native interface only; database/sql fills those
// destinations itself.
func pgxDest(dest []any) []any {
	for i, d := range dest {
		switch d := d.(type) {
		case **int64:
			dest[i] = pgInt64{null: d}
		case **string:
			dest[i] = pgText{null: d}
		case **float64:
			dest[i] = pgFloat64{null: d}
		case **bool:
			dest[i] = pgBool{null: d}
		case orZero[int64]:
			dest[i] = pgInt64{zero: d.p}
		case orZero[string]:
			dest[i] = pgText{zero: d.p}
		case orZero[float64]:
			dest[i] = pgFloat64{zero: d.p}
		case orZero[bool]:
			dest[i] = pgBool{zero: d.p}
		}
	}
	return dest
}

// A pgx scanner of one type fills zero, a destination that scans NULL as its
// zero value, or else null, a pointer set to nil for NULL.
type (
	pgInt64 struct {
		zero *int64
		null **int64
	}
	pgText struct {
		zero *string
		null **string
	}
	pgFloat64 struct {
		zero *float64
		null **float64
	}
	pgBool struct {
		zero *bool
		null **bool
	}
)

// set stores a scanned value v (its type's zero when not valid).
func set[T any](zero *T, null **T, v T, valid bool) error {
	switch {
	case zero != nil:
		*zero = v
	case valid:
		*null = &v
	default:
		*null = nil
	}
	return nil
}

func (d pgInt64) ScanInt64(v pgtype.Int8) error       { return set(d.zero, d.null, v.Int64, v.Valid) }
func (d pgText) ScanText(v pgtype.Text) error         { return set(d.zero, d.null, v.String, v.Valid) }
func (d pgFloat64) ScanFloat64(v pgtype.Float8) error { return set(d.zero, d.null, v.Float64, v.Valid) }
func (d pgBool) ScanBool(v pgtype.Bool) error         { return set(d.zero, d.null, v.Bool, v.Valid) }
