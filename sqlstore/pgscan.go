package sqlstore

import (
	"errors"
	"unsafe"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgxDest replaces, in a list of scan destinations of a statement whose
// result columns are columns, those pgx would fill through reflection, with
// a conversion or an allocation per value, with scanners its codecs call
// directly: pointers to nullable values (**int64, **string, **float64,
// **bool; pgx's pointer-to-pointer plan costs a reflect.New and Set per
// value), orZero's (sql.Scanner: a driver value allocated per value), and
// strings of text columns (pgx allocates each). The scanners take what they
// point to from one pgSlab for all the statement's rows. It is for rows of
// pgx's native interface only; database/sql fills those destinations itself.
func pgxDest(dest []any, columns []pgconn.FieldDescription) []any {
	slab := new(pgSlab)
	for i, d := range dest {
		text := i < len(columns) && (columns[i].DataTypeOID == pgtype.TextOID || columns[i].DataTypeOID == pgtype.VarcharOID)
		switch d := d.(type) {
		case *string:
			if text {
				dest[i] = pgString{zero: d, notNull: true, slab: slab}
			}
		case **int64:
			dest[i] = pgInt64{null: d, slab: slab}
		case **string:
			if text {
				dest[i] = pgString{null: d, slab: slab}
			} else {
				dest[i] = pgText{null: d}
			}
		case **float64:
			dest[i] = pgFloat64{null: d}
		case **bool:
			dest[i] = pgBool{null: d}
		case orZero[int64]:
			dest[i] = pgInt64{zero: d.p}
		case orZero[string]:
			if text {
				dest[i] = pgString{zero: d.p, slab: slab}
			} else {
				dest[i] = pgText{zero: d.p}
			}
		case orZero[float64]:
			dest[i] = pgFloat64{zero: d.p}
		case orZero[bool]:
			dest[i] = pgBool{zero: d.p}
		}
	}
	return dest
}

// A pgx scanner of one type fills zero, a destination that scans NULL as its
// zero value (or, notNull, refuses it), or else null, a pointer set to nil
// for NULL.
type (
	pgInt64 struct {
		zero *int64
		null **int64
		slab *pgSlab
	}
	// pgString reads a text column's bytes (pgx's BytesScanner) into the
	// slab; pgText is for the other columns read as text.
	pgString struct {
		zero    *string
		null    **string
		notNull bool
		slab    *pgSlab
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

// errNullString is pgx's refusal of NULL for a *string.
var errNullString = errors.New("cannot scan NULL into *string")

// set stores a scanned value v (its type's zero when not valid), in a cell
// of cells when one is given.
func set[T any](zero *T, null **T, v T, valid bool, cells *[]T) error {
	switch {
	case zero != nil:
		*zero = v
	case valid:
		p := take(cells)
		*p = v
		*null = p
	default:
		*null = nil
	}
	return nil
}

func (d pgInt64) ScanInt64(v pgtype.Int8) error {
	return set(d.zero, d.null, v.Int64, v.Valid, d.slab.ints())
}
func (d pgText) ScanText(v pgtype.Text) error { return set(d.zero, d.null, v.String, v.Valid, nil) }
func (d pgFloat64) ScanFloat64(v pgtype.Float8) error {
	return set(d.zero, d.null, v.Float64, v.Valid, nil)
}
func (d pgBool) ScanBool(v pgtype.Bool) error { return set(d.zero, d.null, v.Bool, v.Valid, nil) }

func (d pgString) ScanBytes(src []byte) error {
	if src == nil && d.notNull {
		return errNullString
	}
	return set(d.zero, d.null, d.slab.string(src), src != nil, &d.slab.texts)
}

// pgSlab holds what one statement's nullable values point to, and its
// strings' bytes, in blocks: a block per few dozen values rather than an
// allocation per value. A value kept keeps its block alive; blocks are
// small, and a string longer than ownString gets its own allocation.
type pgSlab struct {
	int64s []int64
	texts  []string
	bytes  []byte
}

// Block sizes: values per block of cells, bytes per block of strings.
const (
	cellBlock = 32
	byteBlock = 2 << 10
	ownString = 256
)

// ints is the slab's int64 cells, nil (an allocation per value) for a
// scanner without a slab.
func (s *pgSlab) ints() *[]int64 {
	if s == nil {
		return nil
	}
	return &s.int64s
}

// take is the next cell of cells, or a new value when there are none.
func take[T any](cells *[]T) *T {
	if cells == nil {
		return new(T)
	}
	if len(*cells) == 0 {
		*cells = make([]T, cellBlock)
	}
	p := &(*cells)[0]
	*cells = (*cells)[1:]
	return p
}

// string is b as a string whose bytes are copied into the slab's current
// block. Bytes once written there are never written again, so the string
// stays what it was.
func (s *pgSlab) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > ownString {
		return string(b)
	}
	if cap(s.bytes)-len(s.bytes) < len(b) {
		s.bytes = make([]byte, 0, byteBlock)
	}
	start := len(s.bytes)
	s.bytes = append(s.bytes, b...)
	return unsafe.String(&s.bytes[start], len(b))
}
