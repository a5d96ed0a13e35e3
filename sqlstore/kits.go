package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var partKits = &table[shopfloor.PartKit]{
	entity: "PartKit", name: "part_kits", alias: "pk",
	selects: "pk.id, pk.org_id, pk.name, pk.description, pk.status, pk.staging_location_id, pk.delivery_location_id, pk.run_id, " +
		"pk.etag, pk.created_at, pk.updated_at, pk.created_by_id, pk.updated_by_id",
	fields: map[string]column{
		"id":                 {"pk.id", kindID},
		"name":               {"pk.name", kindText},
		"status":             {"pk.status", kindEnum},
		"stagingLocationId":  {"pk.staging_location_id", kindID},
		"deliveryLocationId": {"pk.delivery_location_id", kindID},
		"runId":              {"pk.run_id", kindID},
		"createdById":        {"pk.created_by_id", kindID},
		"updatedById":        {"pk.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.PartKit) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.Description, &v.Status, &v.StagingLocationID, &v.DeliveryLocationID, &v.RunID,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var partKitItems = &table[shopfloor.PartKitItem]{
	entity: "PartKitItem", name: "part_kit_items", alias: "pki",
	selects: "pki.id, pki.org_id, pki.part_kit_id, pki.part_id, pki.quantity, pki.etag, pki.created_at, pki.updated_at, pki.created_by_id, pki.updated_by_id",
	dest: func(v *shopfloor.PartKitItem) []any {
		return []any{&v.ID, &v.OrgID, &v.PartKitID, &v.PartID, &v.Quantity, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// PartKit returns one kit of the caller's org.
func (s *Store) PartKit(ctx context.Context, id int64) (*shopfloor.PartKit, error) {
	return get(ctx, s, partKits, id)
}

// PartKits lists the caller's kits.
func (s *Store) PartKits(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.PartKit], error) {
	return list(ctx, s, partKits, opts)
}

// PartKitsByIDs returns the caller's kits among ids.
func (s *Store) PartKitsByIDs(ctx context.Context, ids []int64) ([]shopfloor.PartKit, error) {
	return byIDs(ctx, s, partKits, ids)
}

// PartKitItemsByKitIDs returns the items of each kit, in one statement.
func (s *Store) PartKitItemsByKitIDs(ctx context.Context, kitIDs []int64) (map[int64][]shopfloor.PartKitItem, error) {
	return grouped(ctx, s, partKitItems, "", "pki.part_kit_id", kitIDs)
}

// InventoriesByKitItemIDs returns the inventory issued to each item, in one
// statement.
func (s *Store) InventoriesByKitItemIDs(ctx context.Context, itemIDs []int64) (map[int64][]shopfloor.PartInventory, error) {
	return grouped(ctx, s, inventories, "", "i.part_kit_item_id", itemIDs)
}

func partKitChanges(f shopfloor.PartKitFields) changes {
	var c changes
	setIf(&c, "name", f.Name)
	setIf(&c, "description", f.Description)
	setIf(&c, "status", f.Status)
	setIf(&c, "staging_location_id", f.StagingLocationID)
	setIf(&c, "delivery_location_id", f.DeliveryLocationID)
	return c
}

// kitLocationsExist checks the kit's staging and delivery locations.
func (s *Store) kitLocationsExist(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, f shopfloor.PartKitFields) error {
	if err := existsIf(ctx, s, tx, locations, p, f.StagingLocationID); err != nil {
		return err
	}
	return existsIf(ctx, s, tx, locations, p, f.DeliveryLocationID)
}

// CreatePartKit adds a kit, DRAFT unless a status is given.
func (s *Store) CreatePartKit(ctx context.Context, f shopfloor.PartKitFields) (*shopfloor.PartKit, error) {
	return mutate(ctx, s, partKits, "CreatePartKit", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := s.kitLocationsExist(ctx, tx, p, f); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, partKits.name, p, partKitChanges(f))
	})
}

// UpdatePartKit changes a kit if etag is current; any status may follow
// any, and inventory on a kit leaving the open statuses is no longer KITTED.
func (s *Store) UpdatePartKit(ctx context.Context, id int64, etag string, f shopfloor.PartKitFields) (*shopfloor.PartKit, error) {
	return mutate(ctx, s, partKits, "UpdatePartKit", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, partKits, p, id); err != nil {
			return 0, err
		}
		if err := s.kitLocationsExist(ctx, tx, p, f); err != nil {
			return 0, err
		}
		return id, update(ctx, s, tx, partKits, p, id, etag, partKitChanges(f))
	})
}

// issuedTo is the query of whether live inventory is issued to a kit or
// kit item (col = ?).
func issuedTo(col string) string {
	return "SELECT 1 FROM part_inventories WHERE " + col + " = ? AND org_id = ? AND deleted_at IS NULL LIMIT 1"
}

// DeletePartKit soft-deletes a kit no inventory is issued to, with its items.
func (s *Store) DeletePartKit(ctx context.Context, id int64, etag string) error {
	return removeThen(ctx, s, partKits, "DeletePartKit", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		issued, err := s.hasAny(ctx, tx, issuedTo("open_kit_id"), id, p.OrgID)
		if err == nil && issued {
			err = shopfloor.Errorf(shopfloor.CodeInvalid, "PartKit cannot be deleted while inventory is issued to it.")
		}
		return err
	}, func(tx *sql.Tx, p *shopfloor.Principal) error {
		_, err := s.exec(ctx, tx, "UPDATE part_kit_items SET deleted_at = ? WHERE part_kit_id = ? AND org_id = ? AND deleted_at IS NULL", s.Now().UTC(), id, p.OrgID)
		return err
	})
}

func partKitItemChanges(f shopfloor.PartKitItemFields) changes {
	var c changes
	setIf(&c, "quantity", f.Quantity)
	return c
}

// CreatePartKitItem adds a part and quantity to a kit.
func (s *Store) CreatePartKitItem(ctx context.Context, f shopfloor.PartKitItemFields) (*shopfloor.PartKitItem, error) {
	return mutate(ctx, s, partKitItems, "CreatePartKitItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, partKits, p, *f.PartKitID); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, parts, p, *f.PartID); err != nil {
			return 0, err
		}
		c := partKitItemChanges(f)
		c.set("part_kit_id", *f.PartKitID)
		c.set("part_id", *f.PartID)
		return s.insert(ctx, tx, partKitItems.name, p, c)
	})
}

// UpdatePartKitItem changes an item's quantity if etag is current.
func (s *Store) UpdatePartKitItem(ctx context.Context, id int64, etag string, f shopfloor.PartKitItemFields) (*shopfloor.PartKitItem, error) {
	return mutate(ctx, s, partKitItems, "UpdatePartKitItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		if f.PartKitID != nil || f.PartID != nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PartKitItem partKitId and partId cannot be changed.")
		}
		return id, update(ctx, s, tx, partKitItems, p, id, etag, partKitItemChanges(f))
	})
}

// DeletePartKitItem soft-deletes an item no inventory is issued to.
func (s *Store) DeletePartKitItem(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, partKitItems, "DeletePartKitItem", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		issued, err := s.hasAny(ctx, tx, issuedTo("part_kit_item_id"), id, p.OrgID)
		if err == nil && issued {
			err = shopfloor.Errorf(shopfloor.CodeInvalid, "PartKitItem cannot be deleted while inventory is issued to it.")
		}
		return err
	})
}

// IssueItemToKit issues inventory to a kit item, as IssueCheck allows: the
// inventory records its kit and item (its status then reads KITTED while
// the kit is open), and a DRAFT or REQUESTED kit becomes IN_PROGRESS.
func (s *Store) IssueItemToKit(ctx context.Context, inventoryID int64, etag string, itemID int64) (*shopfloor.PartInventory, error) {
	return mutate(ctx, s, inventories, "IssueItemToKit", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		inv, err := getIn(ctx, s, tx, inventories, p, inventoryID)
		if err != nil {
			return 0, err
		}
		item, err := getIn(ctx, s, tx, partKitItems, p, itemID)
		if err != nil {
			return 0, err
		}
		kit, err := getIn(ctx, s, tx, partKits, p, item.PartKitID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.IssueCheck(inv, item.PartID, kit.Status); err != nil {
			return 0, err
		}
		var c changes
		c.set("open_kit_id", kit.ID)
		c.set("part_kit_item_id", item.ID)
		if err := update(ctx, s, tx, inventories, p, inventoryID, etag, c); err != nil {
			return 0, err
		}
		if kit.Status == shopfloor.KitDraft || kit.Status == shopfloor.KitRequested {
			_, err = s.exec(ctx, tx, "UPDATE part_kits SET status = ?, etag = ?, updated_at = ?, updated_by_id = ? WHERE id = ?",
				shopfloor.KitInProgress, newEtag(), s.Now().UTC(), p.UserID, kit.ID)
		}
		return inventoryID, err
	})
}

// MoveItemToInventory takes inventory off its open kit (to locationID when
// given): it reads AVAILABLE again.
func (s *Store) MoveItemToInventory(ctx context.Context, inventoryID int64, etag string, locationID *int64) (*shopfloor.PartInventory, error) {
	return mutate(ctx, s, inventories, "MoveItemToInventory", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		inv, err := getIn(ctx, s, tx, inventories, p, inventoryID)
		if err != nil {
			return 0, err
		}
		if !inv.Kitted {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PartInventory kitted is false: the inventory is on no open kit.")
		}
		if err := existsIf(ctx, s, tx, locations, p, locationID); err != nil {
			return 0, err
		}
		var c changes
		c.set("open_kit_id", nil)
		c.set("part_kit_item_id", nil)
		setIf(&c, "location_id", locationID)
		return inventoryID, update(ctx, s, tx, inventories, p, inventoryID, etag, c)
	})
}
