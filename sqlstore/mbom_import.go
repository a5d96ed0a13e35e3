package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

// maxMBomImportRows is the most rows one bulk mBOM import takes.
const maxMBomImportRows = 5000

// CreateOrUpdateMBoms imports an mBOM row by row, each row in a
// transaction of its own: a row puts its part under its parent row's part
// (or updates the quantity and flag of the item already there) with its
// substitutes; a top row names the assembly. A refused row is reported by
// its position, with its message, and the rows under it are refused too.
func (s *Store) CreateOrUpdateMBoms(ctx context.Context, notation string, rows []shopfloor.MBomRow) (_ *shopfloor.MBomImport, err error) {
	defer s.classify(&err)
	p, err := shopfloor.Authorize(ctx, "CreateMBomItem")
	if err != nil {
		return nil, err
	}
	if len(rows) > maxMBomImportRows {
		return nil, shopfloor.Errorf(shopfloor.CodeInvalid, "CreateOrUpdateMultipleMBomsNotationInput rows must have at most %d entries.", maxMBomImportRows)
	}
	parents, refused := shopfloor.MBomParents(notation, rows)
	out := &shopfloor.MBomImport{ErrorMessages: []shopfloor.MBomImportError{}, NewMBomRowIDs: []int64{}}
	partOf := make([]int64, len(rows)) // each imported row's part; 0 for a refused row
	for i, r := range rows {
		msg, bad := refused[i]
		if !bad {
			var itemID int64
			err := s.inTx(ctx, func(tx *sql.Tx) error {
				var err error
				itemID, partOf[i], err = s.importMBomRow(ctx, tx, p, r, parents[i], partOf)
				return err
			})
			switch {
			case err == nil && itemID != 0:
				out.NewMBomRowIDs = append(out.NewMBomRowIDs, itemID)
			case err != nil && shopfloor.ErrorCode(err) == shopfloor.CodeInternal:
				return nil, err
			case err != nil:
				partOf[i], bad, msg = 0, true, shopfloor.ErrorMessage(err)
			}
		}
		if bad {
			out.ErrorMessages = append(out.ErrorMessages, shopfloor.MBomImportError{RowID: i + 1, ErrorMsg: msg})
		}
	}
	return out, nil
}

// importMBomRow writes one row in tx and returns the mBOM item it wrote (0
// for a top row) and the row's part.
func (s *Store) importMBomRow(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, r shopfloor.MBomRow, parent int, partOf []int64) (int64, int64, error) {
	part, err := s.partByNumber(ctx, tx, p, r.PartNumber, r.Revision)
	if err != nil {
		return 0, 0, err
	}
	if parent < 0 {
		return 0, part, nil
	}
	if partOf[parent] == 0 {
		return 0, 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Its parent row %d was not imported.", parent+1)
	}
	f := shopfloor.MBomItemFields{ParentID: &partOf[parent], PartID: &part, Quantity: r.Quantity, MadeOnAssembly: r.MadeOnAssembly}
	if err := f.Validate(true); err != nil {
		return 0, 0, err
	}
	draft, err := s.mbomDraft(ctx, tx, p, *f.ParentID)
	if err != nil {
		return 0, 0, err
	}
	have, err := whereIn(ctx, s, tx, mbomItems, p, "m.mbom_id = ? AND m.part_id = ?", draft, part)
	if err != nil {
		return 0, 0, err
	}
	var id int64
	if len(have) > 0 {
		id = have[0].ID
		var c changes
		c.set("quantity", *f.Quantity)
		setIf(&c, "made_on_assembly", f.MadeOnAssembly)
		err = update(ctx, s, tx, mbomItems, p, id, have[0].Etag, c)
	} else {
		id, err = s.insertMBomItem(ctx, tx, p, f)
	}
	if err != nil {
		return 0, 0, err
	}
	if err := s.importSubstitutes(ctx, tx, p, id, r.Substitutes); err != nil {
		return 0, 0, err
	}
	return id, part, s.audit(ctx, tx, p, "CreateMBomItem", mbomItems.entity, id)
}

// importSubstitutes adds the substitutes a row lists (part numbers,
// comma-separated; each at its latest revision) that its item lacks.
func (s *Store) importSubstitutes(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, itemID int64, list *string) error {
	if list == nil {
		return nil
	}
	for number := range strings.SplitSeq(*list, ",") {
		if number = strings.TrimSpace(number); number == "" {
			continue
		}
		part, err := s.partByNumber(ctx, tx, p, number, nil)
		if err != nil {
			return err
		}
		have, err := s.hasAny(ctx, tx, "SELECT 1 FROM mbom_substitutes WHERE mbom_item_id = ? AND part_id = ? AND org_id = ? AND deleted_at IS NULL LIMIT 1", itemID, part, p.OrgID)
		if err != nil {
			return err
		}
		if !have {
			if _, err := s.insertSubstitute(ctx, tx, p, itemID, part); err != nil {
				return err
			}
		}
	}
	return nil
}

// partByNumber finds the caller's part by number at revision, or at its
// latest revision when revision is not given.
func (s *Store) partByNumber(ctx context.Context, q querier, p *shopfloor.Principal, number string, revision *string) (int64, error) {
	number = strings.TrimSpace(number)
	cond, args := "p.part_number = ? AND "+partIsLatest, []any{number}
	if revision != nil && strings.TrimSpace(*revision) != "" {
		cond, args = "p.part_number = ? AND p.revision = ?", []any{number, strings.TrimSpace(*revision)}
	}
	var id int64
	err := s.queryRow(ctx, q, "SELECT p.id FROM parts p WHERE p.org_id = ? AND p.deleted_at IS NULL AND "+cond+" ORDER BY p.id DESC LIMIT 1",
		append([]any{p.OrgID}, args...)...).Scan(&id)
	switch {
	case err == sql.ErrNoRows && len(args) == 2:
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Part %s revision %s does not exist.", number, args[1])
	case err == sql.ErrNoRows:
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Part %s does not exist.", number)
	case err != nil:
		return 0, fmt.Errorf("sqlstore: find part by number: %w", err)
	}
	return id, nil
}
