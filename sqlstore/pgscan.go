package sqlstore

import "github.com/jackc/pgx/v5/pgtype"

// pgxDest replaces, in a list of scan destinations, the pointers to
// nullable values (**int64, **string, **float64, **bool), which pgx fills
// through reflection (a reflect.New and Set per value), with scanners its
// codecs call directly. It is for rows of pgx's native interface only;
// database/sql fills such pointers itself.
func pgxDest(dest []any) []any {
	for i, d := range dest {
		switch p := d.(type) {
		case **int64:
			dest[i] = nullInt64{p}
		case **string:
			dest[i] = nullString{p}
		case **float64:
			dest[i] = nullFloat64{p}
		case **bool:
			dest[i] = nullBool{p}
		}
	}
	return dest
}

type (
	nullInt64   struct{ p **int64 }
	nullString  struct{ p **string }
	nullFloat64 struct{ p **float64 }
	nullBool    struct{ p **bool }
)

// nullable sets *p to a fresh copy of v when valid, else to nil.
func nullable[T any](p **T, v T, valid bool) error {
	if !valid {
		*p = nil
		return nil
	}
	*p = &v
	return nil
}

func (n nullInt64) ScanInt64(v pgtype.Int8) error       { return nullable(n.p, v.Int64, v.Valid) }
func (n nullString) ScanText(v pgtype.Text) error       { return nullable(n.p, v.String, v.Valid) }
func (n nullFloat64) ScanFloat64(v pgtype.Float8) error { return nullable(n.p, v.Float64, v.Valid) }
func (n nullBool) ScanBool(v pgtype.Bool) error         { return nullable(n.p, v.Bool, v.Valid) }
