package shopfloor

import (
	"context"
	"time"
)

// PartInventory is a quantity of a part at a location: a serial unit, a lot,
// or untracked stock.
type PartInventory struct {
	ID           int64
	OrgID        int64
	PartID       int64
	LocationID   *int64
	SerialNumber *string
	LotNumber    *string
	Quantity     float64
	Cost         *float64
	// UnitOfMeasureID is the unit of measurement the quantity counts.
	UnitOfMeasureID *int64
	UsageType       *string
	// TrackingType is the part's: SERIAL, LOT or nil (untracked).
	TrackingType   *string
	ExpirationDate *time.Time
	Attributes     Attributes
	// Status is calculated from facts, never set; the first that holds
	// wins: SCRAPPED (all of it scrapped), INSTALLED (all of it installed),
	// KITTED (on an open kit), WIP (held by an open run), ON_ORDER (the
	// outstanding quantity of a live purchase-order line), UNAVAILABLE
	// (quantity 0, a location without available inventory, or awaiting a
	// canceled line), AVAILABLE.
	Status string
	// PurchaseOrderLineID is the line this inventory is on order from, or
	// was received against (Received).
	PurchaseOrderLineID *int64
	Received            bool
	Installed           bool
	Kitted              bool
	// SupplierID is the supplier of its purchase order.
	SupplierID *int64
	// ParentPartInventoryID is the unit it is installed into (its first
	// installation's).
	ParentPartInventoryID *int64
	Etag                  string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	CreatedByID           *int64
	UpdatedByID           *int64
}

// QuantityAvailable is the quantity that may be consumed.
func (i *PartInventory) QuantityAvailable() float64 {
	if i.Status != "AVAILABLE" {
		return 0
	}
	return i.Quantity
}

// PartInventoryFields are the writable fields of an inventory.
type PartInventoryFields struct {
	PartID       *int64
	LocationID   *int64
	SerialNumber *string
	LotNumber    *string
	Quantity     *float64
	Cost         *float64
	// UnitOfMeasureID names a unit of measurement of the organization.
	UnitOfMeasureID *int64
	UsageType       *string
	ExpirationDate  *string
	// Expiration is ExpirationDate parsed by Validate.
	Expiration *time.Time
	Attributes *Attributes
}

// Validate normalizes and validates inventory fields; create requires a part
// and a quantity.
func (f *PartInventoryFields) Validate(create bool) error {
	c := &check{entity: "PartInventory"}
	if create && f.PartID == nil {
		c.fail("partId", "is required.")
	}
	if create && f.Quantity == nil {
		f.Quantity = ptr(1.0)
	}
	c.positive("quantity", f.Quantity)
	c.nonNegative("cost", f.Cost)
	c.text("serialNumber", f.SerialNumber, false, 255)
	c.text("lotNumber", f.LotNumber, false, 255)
	c.text("usageType", f.UsageType, false, 64)
	f.Expiration = c.date("expirationDate", f.ExpirationDate)
	c.attributes("attributes", f.Attributes)
	return c.result()
}

// CheckTracking enforces the part's tracking type on the inventory's final
// state: a serial unit has a serial number and quantity 1.
func CheckTracking(trackingType *string, serial *string, quantity float64) error {
	if trackingType == nil || *trackingType != "SERIAL" {
		return nil
	}
	c := &check{entity: "PartInventory"}
	if serial == nil || *serial == "" {
		c.fail("serialNumber", "is required for serial-tracked parts.")
	}
	if quantity != 1 {
		c.fail("quantity", "must be 1 for serial-tracked parts.")
	}
	return c.result()
}

// PartInventoryService manages inventory of the caller's organization.
type PartInventoryService interface {
	PartInventory(ctx context.Context, id int64) (*PartInventory, error)
	PartInventories(ctx context.Context, opts ListOptions) (*Page[PartInventory], error)
	PartInventoriesByIDs(ctx context.Context, ids []int64) ([]PartInventory, error)
	// InventoriesByPartIDs returns the inventory of each part, in id order.
	InventoriesByPartIDs(ctx context.Context, partIDs []int64) (map[int64][]PartInventory, error)
	CreatePartInventory(ctx context.Context, f PartInventoryFields) (*PartInventory, error)
	UpdatePartInventory(ctx context.Context, id int64, etag string, f PartInventoryFields) (*PartInventory, error)
	// UpdatePartInventoryAttribute sets one custom attribute of the partInventory, under its etag.
	UpdatePartInventoryAttribute(ctx context.Context, f AttributeFields) (*PartInventory, error)
	DeletePartInventory(ctx context.Context, id int64, etag string) error
	// SplitPartInventory moves quantity of an inventory into a new row (at
	// locationID, else at the same location), as SplitCheck allows; it
	// returns both rows.
	SplitPartInventory(ctx context.Context, id int64, etag string, quantity float64, locationID *int64) (kept, split *PartInventory, err error)
	// MergePartInventory adds the quantities of from into inventory id and
	// deletes them, as MergeCheck allows.
	MergePartInventory(ctx context.Context, id int64, etag string, from []RowVersion) (*PartInventory, error)
}

// RowVersion names a row and the etag a change of it carries.
type RowVersion struct {
	ID   int64
	Etag string
}
