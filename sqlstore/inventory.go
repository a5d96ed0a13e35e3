package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

// inventoryFacts are the rows inventory's derived fields are computed from,
// joined once per statement (no subquery per row): its part, the
// purchase-order line (and order) it is on order from, the kit it was
// issued to and, looked up by key, its location (inventoryLocation).
const inventoryFacts = " LEFT JOIN parts tp ON tp.id = i.part_id" +
	" LEFT JOIN purchase_order_lines ipl ON ipl.id = i.purchase_order_line_id LEFT JOIN purchase_orders ipo ON ipo.id = ipl.purchase_order_id" +
	" LEFT JOIN part_kits ik ON ik.id = i.open_kit_id"

// inventoryLocation is the inventory's location, l, which a read selecting
// the location carries (locationAt).
var inventoryLocation = lookup{"locations", "l", "i.location_id"}

// inventoryStatus calculates PartInventory.Status from the facts, in the
// order ION's manual gives (the first that holds wins); kits, aBOM
// installations and runs record theirs in the inventory's columns.
const inventoryStatus = "CASE WHEN i.quantity_scrapped > 0 AND i.quantity_scrapped >= i.quantity THEN 'SCRAPPED' " +
	"WHEN " + inventoryInstalled + " THEN 'INSTALLED' " +
	"WHEN " + inventoryKitted + " THEN 'KITTED' " +
	"WHEN i.open_run_id IS NOT NULL THEN 'WIP' " +
	"WHEN " + inventoryAwaited + " AND ipl.canceled = FALSE AND ipo.status <> 'CANCELED' THEN 'ON_ORDER' " +
	"WHEN i.quantity = 0 OR l.inventory_available = FALSE OR " + inventoryAwaited + " THEN 'UNAVAILABLE' " +
	"ELSE 'AVAILABLE' END"

// inventoryInstalled holds when all of the inventory is installed.
const inventoryInstalled = "(i.quantity_installed > 0 AND i.quantity_installed >= i.quantity)"

// inventoryKitted holds while the kit the inventory was issued to is open:
// live, and neither COMPLETED nor CANCELED.
const inventoryKitted = "(ik.id IS NOT NULL AND ik.deleted_at IS NULL AND ik.status NOT IN ('COMPLETED', 'CANCELED'))"

// inventoryAwaited holds for the outstanding quantity of a purchase-order line.
const inventoryAwaited = "(i.purchase_order_line_id IS NOT NULL AND i.received = FALSE)"

// inventoryParent is PartInventory.ParentPartInventoryID: the unit its
// first live installation puts it into.
const inventoryParent = "(SELECT pbr.part_inventory_id FROM abom_installations pai JOIN build_requirements pbr ON pbr.id = pai.build_requirement_id " +
	"WHERE pai.part_inventory_id = i.id AND pai.deleted_at IS NULL ORDER BY pai.id LIMIT 1)"

// inventoryTracking is PartInventory.TrackingType: its part's.
const inventoryTracking = "tp.tracking_type"

var inventories = &table[shopfloor.PartInventory]{
	entity: "PartInventory", name: "part_inventories", alias: "i", joins: inventoryFacts, lookups: []lookup{inventoryLocation}, liveCounted: true,
	selects: "i.id, i.org_id, i.part_id, i.location_id, i.serial_number, i.lot_number, i.quantity, i.cost, " +
		"i.unit_of_measure_id, i.usage_type, " + inventoryTracking + ", i.expiration_date, i.attributes, " + inventoryStatus + ", " +
		"i.purchase_order_line_id, i.received, " + inventoryInstalled + ", " + inventoryKitted + ", ipo.supplier_id, " + inventoryParent + ", " +
		"i.etag, i.created_at, i.updated_at, i.created_by_id, i.updated_by_id",
	derived: append([]derived{{inventoryTracking, "NULL", []string{"trackingType"}}, {inventoryStatus, "''", []string{"status", "quantityAvailable"}},
		{inventoryParent, nullID, []string{"parentPartInventory"}}, omittable("i.attributes", "attributes"), omittableTime("i.expiration_date", "expirationDate"),
		{"ipo.supplier_id", nullID, []string{"supplierId"}}}, recorded("i")...),
	preloads: []preload{locationAt},
	fields: map[string]column{
		"id":                  {"i.id", kindID},
		"partId":              {"i.part_id", kindID},
		"locationId":          {"i.location_id", kindID},
		"serialNumber":        {"i.serial_number", kindText},
		"lotNumber":           {"i.lot_number", kindText},
		"quantity":            {"i.quantity", kindFloat},
		"cost":                {"i.cost", kindFloat},
		"unitOfMeasureId":     {"i.unit_of_measure_id", kindID},
		"usageType":           {"i.usage_type", kindText},
		"status":              {inventoryStatus, kindEnum},
		"purchaseOrderLineId": {"i.purchase_order_line_id", kindID},
		"received":            {"i.received", kindBool},
		"supplierId":          {"ipo.supplier_id", kindID},
		"createdById":         {"i.created_by_id", kindID},
		"updatedById":         {"i.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.PartInventory) []any {
		return []any{&v.ID, &v.OrgID, &v.PartID, &v.LocationID, &v.SerialNumber, &v.LotNumber, &v.Quantity, &v.Cost,
			&v.UnitOfMeasureID, &v.UsageType, &v.TrackingType, &v.ExpirationDate, &v.Attributes, &v.Status,
			&v.PurchaseOrderLineID, &v.Received, &v.Installed, &v.Kitted, &v.SupplierID, &v.ParentPartInventoryID,
			&v.Etag, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}, &v.CreatedByID, &v.UpdatedByID}
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
	setIf(&c, "attributes", f.Attributes)
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
		if err := s.checkAttributesIf(ctx, tx, p, "PART_INVENTORY", f.Attributes); err != nil {
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
			awaited          bool
		)
		err := s.queryRow(ctx, tx, "SELECT p.tracking_type, i.serial_number, i.quantity, "+inventoryAwaited+" FROM part_inventories i JOIN parts p ON p.id = i.part_id "+
			"WHERE i.id = ? AND i.org_id = ? AND i.deleted_at IS NULL", id, p.OrgID).Scan(&tracking, &serial, &quantity, &awaited)
		if err == sql.ErrNoRows {
			return 0, shopfloor.NotFound(inventories.entity, id)
		} else if err != nil {
			return 0, err
		}
		if awaited {
			return 0, errOnOrder
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
		if err := s.checkAttributesIf(ctx, tx, p, "PART_INVENTORY", f.Attributes); err != nil {
			return 0, err
		}
		err = update(ctx, s, tx, inventories, p, id, etag, inventoryChanges(f))
		if s.dialect.isUnique(err) {
			return 0, duplicateSerial(*serial)
		}
		return id, err
	})
}

// errOnOrder refuses a direct change of on-order inventory, which follows
// its purchase-order line.
var errOnOrder = shopfloor.Errorf(shopfloor.CodeInvalid, "PartInventory purchaseOrderLineId names a line that still awaits it: it changes with its purchase order line.")

// DeletePartInventory soft-deletes inventory that is not on order, nor
// installed, nor has units installed on it, with its build requirements.
func (s *Store) DeletePartInventory(ctx context.Context, id int64, etag string) error {
	return removeThen(ctx, s, inventories, "DeletePartInventory", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		awaited, err := s.hasAny(ctx, tx, "SELECT 1 FROM part_inventories i WHERE i.id = ? AND i.org_id = ? AND "+inventoryAwaited, id, p.OrgID)
		if err == nil && awaited {
			err = errOnOrder
		}
		if err != nil {
			return err
		}
		return s.unitUninstalled(ctx, tx, p, id)
	}, func(tx *sql.Tx, p *shopfloor.Principal) error {
		return s.softDeleteWhere(ctx, tx, p, buildRequirements.name, "part_inventory_id = ?", id)
	})
}

// UpdatePartInventoryAttribute sets one custom attribute of a partInventory, under its etag.
func (s *Store) UpdatePartInventoryAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.PartInventory, error) {
	return setAttribute(ctx, s, inventories, "PART_INVENTORY", f, nil)
}
