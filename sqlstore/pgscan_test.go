package sqlstore

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
)

// Strings read into a slab keep what was read though pgx reuses the bytes
// it hands over, across blocks and past the length a block holds; NULL is
// nil (or refused for a plain string), and each row's ints have cells of
// their own.
func TestSlabScanners(t *testing.T) {
	slab := new(pgSlab)
	var plain string
	var nullable *string
	var id *int64
	plainDest := pgString{zero: &plain, notNull: true, slab: slab}
	nullableDest := pgString{null: &nullable, slab: slab}
	idDest := pgInt64{null: &id, slab: slab}
	type row struct {
		plain    string
		nullable *string
		id       *int64
	}
	var rows []row
	var want []string
	buf := make([]byte, 0, 4*ownString)
	for i := range 3 * cellBlock {
		text := strings.Repeat(string(rune('a'+i%26)), 1+(i*37)%(2*ownString))
		buf = append(buf[:0], text...) // pgx's buffer, overwritten for each row
		if err := plainDest.ScanBytes(buf); err != nil {
			t.Fatal(err)
		}
		var err error
		if i%3 == 0 {
			err = errors.Join(nullableDest.ScanBytes(nil), idDest.ScanInt64(pgtype.Int8{}))
		} else {
			err = errors.Join(nullableDest.ScanBytes(buf), idDest.ScanInt64(pgtype.Int8{Int64: int64(i), Valid: true}))
		}
		if err != nil {
			t.Fatal(err)
		}
		clear(buf)
		rows = append(rows, row{plain, nullable, id})
		want = append(want, text)
	}
	for i, r := range rows {
		if r.plain != want[i] {
			t.Fatalf("row %d: plain %.20q…, want %.20q…", i, r.plain, want[i])
		}
		if i%3 == 0 {
			if r.nullable != nil || r.id != nil {
				t.Errorf("row %d: NULLs read as %v, %v", i, r.nullable, r.id)
			}
			continue
		}
		if r.nullable == nil || *r.nullable != want[i] || r.id == nil || *r.id != int64(i) {
			t.Errorf("row %d: nullable %v, id %v", i, r.nullable, r.id)
		}
	}
	if err := plainDest.ScanBytes(nil); err == nil {
		t.Error("NULL into a plain string was taken")
	}
	if err := plainDest.ScanBytes([]byte{}); err != nil || plain != "" {
		t.Errorf("empty string: %q, %v", plain, err)
	}
}
