package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

// SplitPartInventory moves quantity of an inventory into a new row with
// the same part, lot, cost, unit, expiration and attributes, at locationID
// or the inventory's own location; the total stays what it was.
func (s *Store) SplitPartInventory(ctx context.Context, id int64, etag string, quantity float64, locationID *int64) (kept, split *shopfloor.PartInventory, err error) {
	var newID int64
	kept, err = mutate(ctx, s, inventories, "SplitPartInventory", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		inv, err := getIn(ctx, s, tx, inventories, p, id)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.SplitCheck(inv, quantity); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, locations, p, locationID); err != nil {
			return 0, err
		}
		var rest changes
		rest.set("quantity", shopfloor.AddQuantities(inv.Quantity, -quantity))
		if err := update(ctx, s, tx, inventories, p, id, etag, rest); err != nil {
			return 0, err
		}
		if locationID == nil {
			locationID = inv.LocationID
		}
		var c changes
		c.set("part_id", inv.PartID)
		c.set("location_id", locationID)
		c.set("lot_number", inv.LotNumber)
		c.set("quantity", quantity)
		c.set("cost", inv.Cost)
		c.set("unit_of_measure_id", inv.UnitOfMeasureID)
		c.set("usage_type", inv.UsageType)
		c.set("expiration_date", inv.ExpirationDate)
		c.set("attributes", inv.Attributes)
		newID, err = s.insert(ctx, tx, inventories.name, p, c)
		return id, err
	})
	if err != nil {
		return nil, nil, err
	}
	split, err = get(ctx, s, inventories, newID)
	return kept, split, err
}

// MergePartInventory adds the quantities of from into inventory id and
// soft-deletes them, each under its own etag.
func (s *Store) MergePartInventory(ctx context.Context, id int64, etag string, from []shopfloor.RowVersion) (*shopfloor.PartInventory, error) {
	return mutate(ctx, s, inventories, "UpdatePartInventory", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		into, err := getIn(ctx, s, tx, inventories, p, id)
		if err != nil {
			return 0, err
		}
		merged := make([]shopfloor.PartInventory, len(from))
		quantities := []float64{into.Quantity}
		for i, v := range from {
			inv, err := getIn(ctx, s, tx, inventories, p, v.ID)
			if err != nil {
				return 0, err
			}
			merged[i] = *inv
			quantities = append(quantities, inv.Quantity)
		}
		if err := shopfloor.MergeCheck(into, merged); err != nil {
			return 0, err
		}
		var total changes
		total.set("quantity", shopfloor.AddQuantities(quantities...))
		if err := update(ctx, s, tx, inventories, p, id, etag, total); err != nil {
			return 0, err
		}
		for _, v := range from {
			if err := softDelete(ctx, s, tx, inventories, p, v.ID, v.Etag); err != nil {
				return 0, err
			}
		}
		return id, nil
	})
}
