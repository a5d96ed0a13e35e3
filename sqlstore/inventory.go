package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

// inventoryStatus calculates PartInventory.Status: inventory is unavailable
// when its quantity is zero or its location holds no available inventory.
const inventoryStatus = "CASE WHEN i.quantity = 0 OR COALESCE((SELECT il.inventory_available FROM locations il " +
	"WHERE il.id = i.location_id), TRUE) = FALSE THEN 'UNAVAILABLE' ELSE 'AVAILABLE' END"

var inventories = &table[shopfloor.PartInventory]{
	entity: "PartInventory", name: "part_inventories", alias: "i",
	selects: "i.id, i.org_id, i.part_id, i.location_id, i.serial_number, i.lot_number, i.quantity, i.cost, " +
		"i.unit_of_measure_id, i.usage_type, (SELECT tp.tracking_type FROM parts tp WHERE tp.id = i.part_id), i.expiration_date, " + inventoryStatus + ", i.etag, i.created_at, i.updated_at, i.created_by_id, i.updated_by_id",
	fields: map[string]column{
		"id":              {"i.id", kindID},
		"partId":          {"i.part_id", kindID},
		"locationId":      {"i.location_id", kindID},
		"serialNumber":    {"i.serial_number", kindText},
		"lotNumber":       {"i.lot_number", kindText},
		"quantity":        {"i.quantity", kindFloat},
		"cost":            {"i.cost", kindFloat},
		"unitOfMeasureId": {"i.unit_of_measure_id", kindID},
		"usageType":       {"i.usage_type", kindText},
		"status":          {inventoryStatus, kindEnum},
		"createdById":     {"i.created_by_id", kindID},
		"updatedById":     {"i.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.PartInventory) []any {
		return []any{&v.ID, &v.OrgID, &v.PartID, &v.LocationID, &v.SerialNumber, &v.LotNumber, &v.Quantity, &v.Cost,
			&v.UnitOfMeasureID, &v.UsageType, &v.TrackingType, &v.ExpirationDate, &v.Status, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// PartInventory returns one inventory of the caller's org.
func (s *Store) PartInventory(ctx context.Context, id int64) (*shopfloor.PartInventory, error) {
	return get(ctx, s, inventories, id)
}

// PartInventories lists the caller's inventory.
func (s *Store) PartInventories(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.PartInventory], error) {
	return list(ctx, s, inventories, opts)
}

// PartInventoriesByIDs returns the caller's inventory among ids.
func (s *Store) PartInventoriesByIDs(ctx context.Context, ids []int64) ([]shopfloor.PartInventory, error) {
	return byIDs(ctx, s, inventories, ids)
}

// InventoriesByPartIDs returns the inventory of each part, in one statement.
func (s *Store) InventoriesByPartIDs(ctx context.Context, partIDs []int64) (map[int64][]shopfloor.PartInventory, error) {
	return grouped(ctx, s, inventories, "", "i.part_id", partIDs)
}

func inventoryChanges(f shopfloor.PartInventoryFields) changes {
	var c changes
	setIf(&c, "part_id", f.PartID)
	setIf(&c, "location_id", f.LocationID)
	setIf(&c, "serial_number", f.SerialNumber)
	setIf(&c, "lot_number", f.LotNumber)
	setIf(&c, "quantity", f.Quantity)
	setIf(&c, "cost", f.Cost)
	setIf(&c, "unit_of_measure_id", f.UnitOfMeasureID)
	setIf(&c, "usage_type", f.UsageType)
	setIf(&c, "expiration_date", f.Expiration)
	return c
}

func duplicateSerial(serial string) error {
	return shopfloor.Errorf(shopfloor.CodeInvalid, "PartInventory with serialNumber '%s' already exists for this part.", serial)
}

// partTracking returns the tracking type of a live part of the caller's org.
func (s *Store) partTracking(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, partID int64) (*string, error) {
	var tracking *string
	err := s.queryRow(ctx, tx, "SELECT tracking_type FROM parts WHERE id = ? AND org_id = ? AND deleted_at IS NULL", partID, p.OrgID).Scan(&tracking)
	if err == sql.ErrNoRows {
		return nil, shopfloor.NotFound(parts.entity, partID)
	}
	return tracking, err
}

// CreatePartInventory adds inventory of a part of the caller's org.
func (s *Store) CreatePartInventory(ctx context.Context, f shopfloor.PartInventoryFields) (*shopfloor.PartInventory, error) {
	return mutate(ctx, s, inventories, "CreatePartInventory", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		tracking, err := s.partTracking(ctx, tx, p, *f.PartID)
		if err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, locations, p, f.LocationID); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, units, p, f.UnitOfMeasureID); err != nil {
			return 0, err
		}
		if err := shopfloor.CheckTracking(tracking, f.SerialNumber, *f.Quantity); err != nil {
			return 0, err
		}
		id, err := s.insert(ctx, tx, inventories.name, p, inventoryChanges(f))
		if s.dialect.isUnique(err) {
			return 0, duplicateSerial(*f.SerialNumber)
		}
		return id, err
	})
}

// UpdatePartInventory changes inventory if etag is current. Its part is fixed.
func (s *Store) UpdatePartInventory(ctx context.Context, id int64, etag string, f shopfloor.PartInventoryFields) (*shopfloor.PartInventory, error) {
	return mutate(ctx, s, inventories, "UpdatePartInventory", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		if f.PartID != nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PartInventory partId cannot be changed.")
		}
		var (
			tracking, serial *string
			quantity         float64
		)
		err := s.queryRow(ctx, tx, "SELECT p.tracking_type, i.serial_number, i.quantity FROM part_inventories i JOIN parts p ON p.id = i.part_id "+
			"WHERE i.id = ? AND i.org_id = ? AND i.deleted_at IS NULL", id, p.OrgID).Scan(&tracking, &serial, &quantity)
		if err == sql.ErrNoRows {
			return 0, shopfloor.NotFound(inventories.entity, id)
		} else if err != nil {
			return 0, err
		}
		if f.SerialNumber != nil {
			serial = f.SerialNumber
		}
		if f.Quantity != nil {
			quantity = *f.Quantity
		}
		if err := existsIf(ctx, s, tx, locations, p, f.LocationID); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, units, p, f.UnitOfMeasureID); err != nil {
			return 0, err
		}
		if err := shopfloor.CheckTracking(tracking, serial, quantity); err != nil {
			return 0, err
		}
		err = update(ctx, s, tx, inventories, p, id, etag, inventoryChanges(f))
		if s.dialect.isUnique(err) {
			return 0, duplicateSerial(*serial)
		}
		return id, err
	})
}

// DeletePartInventory soft-deletes inventory.
func (s *Store) DeletePartInventory(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, inventories, "DeletePartInventory", id, etag, nil)
}
