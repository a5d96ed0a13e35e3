package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

// CreateKitForRun makes a DRAFT kit for a run, named for it unless a name
// is given, with one item per mBOM item of the run's part (of the item's
// quantity: runs have no quantity of their own), in one transaction.
func (s *Store) CreateKitForRun(ctx context.Context, f shopfloor.KitForRunFields) (*shopfloor.PartKit, error) {
	return mutate(ctx, s, partKits, "CreateKitForRun", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		run, err := getIn(ctx, s, tx, runs, p, *f.RunID)
		if err != nil {
			return 0, err
		}
		if run.PartID == nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PartKit runId must name a run of a part: run %d builds none.", run.ID)
		}
		locs := shopfloor.PartKitFields{StagingLocationID: f.StagingLocationID, DeliveryLocationID: f.DeliveryLocationID}
		if err := s.kitLocationsExist(ctx, tx, p, locs); err != nil {
			return 0, err
		}
		mbom, err := s.mbomOf(ctx, tx, p, *run.PartID)
		if err != nil {
			return 0, err
		}
		c := partKitChanges(locs)
		c.set("name", f.KitName(run.Title))
		c.set("run_id", run.ID)
		id, err := s.insert(ctx, tx, partKits.name, p, c)
		if err != nil {
			return 0, err
		}
		_, added := shopfloor.KitFromMbom(mbom, 1, nil)
		return id, s.insertKitItems(ctx, tx, p, id, added)
	})
}

// AddPartsToKitFromMbom adds quantity (1 by default) of a part's mBOM
// items to a kit, the kit's run's part by default: an item of a part the
// kit holds adds to that item's quantity, exactly; the others are new
// items. The kit's etag, when given, must be current; it is renewed.
func (s *Store) AddPartsToKitFromMbom(ctx context.Context, f shopfloor.KitFromMbomFields, etag string) (*shopfloor.PartKit, error) {
	return mutate(ctx, s, partKits, "AddPartsToKitFromMbom", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		kit, err := getIn(ctx, s, tx, partKits, p, *f.PartKitID)
		if err != nil {
			return 0, err
		}
		partID := f.PartID
		if partID == nil && kit.RunID != nil {
			run, err := getIn(ctx, s, tx, runs, p, *kit.RunID)
			if err != nil {
				return 0, err
			}
			partID = run.PartID
		}
		if partID == nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PartKit partId is required: kit %d has no run whose part to take.", kit.ID)
		}
		if err := exists(ctx, s, tx, parts, p, *partID); err != nil {
			return 0, err
		}
		mbom, err := s.mbomOf(ctx, tx, p, *partID)
		if err != nil {
			return 0, err
		}
		items, err := whereIn(ctx, s, tx, partKitItems, p, "pki.part_kit_id = ?", kit.ID)
		if err != nil {
			return 0, err
		}
		times := 1.0
		if f.Quantity != nil {
			times = *f.Quantity
		}
		merged, added := shopfloor.KitFromMbom(mbom, times, items)
		if etag, err = etagOr(ctx, s, tx, partKits, p, kit.ID, etag); err != nil {
			return 0, err
		}
		if err := update(ctx, s, tx, partKits, p, kit.ID, etag, changes{}); err != nil {
			return 0, err
		}
		if err := s.setKitItemQuantities(ctx, tx, p, merged); err != nil {
			return 0, err
		}
		return kit.ID, s.insertKitItems(ctx, tx, p, kit.ID, added)
	})
}

// mbomOf reads the mBOM items directly under a part, refusing a part
// without any: a kit from its mBOM would hold nothing.
func (s *Store) mbomOf(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, partID int64) ([]shopfloor.MBomItem, error) {
	mbom, err := whereIn(ctx, s, tx, mbomItems, p, "m.parent_id = ?", partID)
	if err == nil && len(mbom) == 0 {
		err = shopfloor.Errorf(shopfloor.CodeInvalid, "PartKit partId must name a part with an mBOM: part %d has no mBOM items.", partID)
	}
	return mbom, err
}

// insertKitItems adds items (part and quantity) to a kit in one statement.
func (s *Store) insertKitItems(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, kitID int64, items []shopfloor.PartKitItem) error {
	if len(items) == 0 {
		return nil
	}
	now := s.Now().UTC()
	row := "(?, ?, ?, ?, " + s.dialect.randomEtag + ", ?, ?, ?, ?)"
	rows := make([]string, len(items))
	args := make([]any, 0, 8*len(items))
	for i, it := range items {
		rows[i] = row
		args = append(args, p.OrgID, kitID, it.PartID, it.Quantity, now, now, p.UserID, p.UserID)
	}
	_, err := s.exec(ctx, tx, "INSERT INTO part_kit_items (org_id, part_kit_id, part_id, quantity, etag, created_at, updated_at, created_by_id, updated_by_id) VALUES "+
		strings.Join(rows, ", "), args...)
	if err != nil {
		return fmt.Errorf("sqlstore: add kit items: %w", err)
	}
	return nil
}

// setKitItemQuantities writes the quantities of items in one statement,
// renewing each one's etag.
func (s *Store) setKitItemQuantities(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, items []shopfloor.PartKitItem) error {
	if len(items) == 0 {
		return nil
	}
	var cases strings.Builder
	args := make([]any, 0, 3*len(items)+2)
	ids := make([]any, len(items))
	for i, it := range items {
		cases.WriteString(" WHEN ? THEN CAST(? AS DOUBLE PRECISION)")
		args = append(args, it.ID, it.Quantity)
		ids[i] = it.ID
	}
	args = append(append(args, s.Now().UTC(), p.UserID, p.OrgID), ids...)
	_, err := s.exec(ctx, tx, "UPDATE part_kit_items SET quantity = CASE id"+cases.String()+" END, etag = "+s.dialect.randomEtag+
		", updated_at = ?, updated_by_id = ? WHERE org_id = ? AND id IN ("+placeholders(len(items))+")", args...)
	if err != nil {
		return fmt.Errorf("sqlstore: kit item quantities: %w", err)
	}
	return nil
}

// kitInventory is the condition of the live inventory issued to kit ?
// (with the org as the first argument).
const kitInventory = "org_id = ? AND open_kit_id = ? AND deleted_at IS NULL"

// MoveKitInventoryToLocation moves every inventory issued to an open kit to
// a location in one statement, each unit's etag renewed and its UPDATE
// event written in one more; at the kit's delivery location the kit becomes
// DELIVERED. The kit's etag, when given, must be current; it is renewed.
func (s *Store) MoveKitInventoryToLocation(ctx context.Context, kitID int64, etag string, locationID int64) (*shopfloor.PartKit, error) {
	return mutate(ctx, s, partKits, "MoveKitInventoryToLocation", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		kit, err := getIn(ctx, s, tx, partKits, p, kitID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.KitOpenCheck(kit, "moved"); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, locations, p, locationID); err != nil {
			return 0, err
		}
		issued, err := s.hasAny(ctx, tx, "SELECT 1 FROM part_inventories WHERE "+kitInventory+" LIMIT 1", p.OrgID, kitID)
		if err != nil {
			return 0, err
		}
		if !issued {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PartKit must have inventory issued to it to be moved: kit %d has none.", kitID)
		}
		if etag, err = etagOr(ctx, s, tx, partKits, p, kitID, etag); err != nil {
			return 0, err
		}
		var c changes
		if status := shopfloor.KitDeliveredBy(kit, locationID); status != kit.Status {
			c.set("status", status)
		}
		if err := update(ctx, s, tx, partKits, p, kitID, etag, c); err != nil {
			return 0, err
		}
		if err := s.outboxOf(ctx, tx, p, inventories.name, "UPDATE", "SELECT id FROM part_inventories WHERE "+kitInventory, p.OrgID, kitID); err != nil {
			return 0, err
		}
		_, err = s.exec(ctx, tx, "UPDATE part_inventories SET location_id = ?, etag = "+s.dialect.randomEtag+", updated_at = ?, updated_by_id = ? WHERE "+kitInventory,
			locationID, s.Now().UTC(), p.UserID, p.OrgID, kitID)
		return kitID, err
	})
}

// SplitUnfulfilledPartKit moves the unfulfilled rest of an open kit's
// items into a new DRAFT kit with the same name, description, locations
// and run: an item nothing was issued to moves whole, a partly issued one
// keeps what was issued (summed exactly) and the new kit gets the rest.
// The kit's etag, when given, must be current; it is renewed.
func (s *Store) SplitUnfulfilledPartKit(ctx context.Context, kitID int64, etag string) (kept, split *shopfloor.PartKit, err error) {
	var newID int64
	kept, err = mutate(ctx, s, partKits, "SplitUnfulfilledPartKit", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		kit, err := getIn(ctx, s, tx, partKits, p, kitID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.KitOpenCheck(kit, "split"); err != nil {
			return 0, err
		}
		items, err := whereIn(ctx, s, tx, partKitItems, p, "pki.part_kit_id = ?", kitID)
		if err != nil {
			return 0, err
		}
		issued, err := s.issuedToItems(ctx, tx, p, kitID)
		if err != nil {
			return 0, err
		}
		plan, err := shopfloor.SplitUnfulfilled(kitID, items, issued)
		if err != nil {
			return 0, err
		}
		if etag, err = etagOr(ctx, s, tx, partKits, p, kitID, etag); err != nil {
			return 0, err
		}
		if err := update(ctx, s, tx, partKits, p, kitID, etag, changes{}); err != nil {
			return 0, err
		}
		c := partKitChanges(shopfloor.PartKitFields{Name: &kit.Name, Description: kit.Description,
			StagingLocationID: kit.StagingLocationID, DeliveryLocationID: kit.DeliveryLocationID})
		c.set("run_id", kit.RunID)
		if newID, err = s.insert(ctx, tx, partKits.name, p, c); err != nil {
			return 0, err
		}
		if err := s.setKitItemQuantities(ctx, tx, p, plan.Keep); err != nil {
			return 0, err
		}
		if err := s.insertKitItems(ctx, tx, p, newID, plan.Remainders); err != nil {
			return 0, err
		}
		if len(plan.Move) > 0 {
			in, moved := s.dialect.idIn("id", plan.Move)
			args := append([]any{newID, s.Now().UTC(), p.UserID, p.OrgID}, moved...)
			if _, err := s.exec(ctx, tx, "UPDATE part_kit_items SET part_kit_id = ?, etag = "+s.dialect.randomEtag+", updated_at = ?, updated_by_id = ? "+
				"WHERE org_id = ? AND "+in, args...); err != nil {
				return 0, fmt.Errorf("sqlstore: move kit items: %w", err)
			}
		}
		return kitID, nil
	})
	if err != nil {
		return nil, nil, err
	}
	split, err = get(ctx, s, partKits, newID)
	return kept, split, err
}

// issuedToItems sums, exactly, the quantity of live inventory issued to
// each item of a kit.
func (s *Store) issuedToItems(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, kitID int64) (map[int64]float64, error) {
	rows, err := s.query(ctx, tx, "SELECT part_kit_item_id, quantity FROM part_inventories WHERE "+kitInventory+" AND part_kit_item_id IS NOT NULL", p.OrgID, kitID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: kit inventory: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]float64)
	for rows.Next() {
		var item int64
		var q float64
		if err := rows.Scan(&item, &q); err != nil {
			return nil, fmt.Errorf("sqlstore: kit inventory: %w", err)
		}
		out[item] = shopfloor.AddQuantities(out[item], q)
	}
	return out, rows.Err()
}
