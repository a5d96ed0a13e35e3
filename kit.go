package shopfloor

import (
	"context"
	"time"
)

// Kit statuses, as ION's UI names them. Any may follow any; a kit is open
// until COMPLETED or CANCELED, and inventory issued to an open kit is
// KITTED.
const (
	KitDraft      = "DRAFT"
	KitRequested  = "REQUESTED"
	KitInProgress = "IN_PROGRESS"
	KitDelivered  = "DELIVERED"
	KitCompleted  = "COMPLETED"
	KitCanceled   = "CANCELED"
)

var kitStatuses = []string{KitDraft, KitRequested, KitInProgress, KitDelivered, KitCompleted, KitCanceled}

// KitOpen reports whether a kit in status still holds its inventory.
func KitOpen(status string) bool { return status != KitCompleted && status != KitCanceled }

// PartKit gathers inventory for a job: its items are the parts and
// quantities it needs.
type PartKit struct {
	ID                 int64
	OrgID              int64
	Name               string
	Description        *string
	Status             string
	StagingLocationID  *int64
	DeliveryLocationID *int64
	RunID              *int64 // the run whose mBOM made it (createKitForRun)
	Etag               string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	CreatedByID        *int64
	UpdatedByID        *int64
}

// PartKitFields are the writable fields of a kit.
type PartKitFields struct {
	Name               *string
	Description        *string
	Status             *string
	StagingLocationID  *int64
	DeliveryLocationID *int64
}

// Validate normalizes and validates kit fields; create requires a name.
func (f *PartKitFields) Validate(create bool) error {
	c := &check{entity: "PartKit"}
	c.text("name", f.Name, create, MaxName)
	if f.Name != nil && *f.Name == "" {
		c.fail("name", "is required.")
	}
	c.text("description", f.Description, false, MaxDescription)
	c.enum("status", f.Status, kitStatuses...)
	return c.result()
}

// PartKitItem is a part and quantity a kit needs; inventory issued to it
// fills it.
type PartKitItem struct {
	ID          int64
	OrgID       int64
	PartKitID   int64
	PartID      int64
	Quantity    float64
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// PartKitItemFields are the writable fields of a kit item.
type PartKitItemFields struct {
	PartKitID *int64
	PartID    *int64
	Quantity  *float64
}

// Validate validates kit-item fields; create requires the kit, the part and
// a quantity.
func (f *PartKitItemFields) Validate(create bool) error {
	c := &check{entity: "PartKitItem"}
	if create && f.PartKitID == nil {
		c.fail("partKitId", "is required.")
	}
	if create && f.PartID == nil {
		c.fail("partId", "is required.")
	}
	if create && f.Quantity == nil {
		c.fail("quantity", "is required.")
	}
	c.positive("quantity", f.Quantity)
	return c.result()
}

// IssueCheck is nil when inventory inv (read with its status) may be
// issued to an item of partID on a kit in kitStatus: AVAILABLE inventory
// of the item's part, to an open kit.
func IssueCheck(inv *PartInventory, partID int64, kitStatus string) error {
	c := &check{entity: "PartInventory"}
	switch {
	case !KitOpen(kitStatus):
		c.fail("partKitItemId", "names an item of a kit that is %s: only open kits take inventory.", kitStatus)
	case inv.PartID != partID:
		c.fail("partId", "must be the kit item's part (%d).", partID)
	case inv.Status != "AVAILABLE":
		c.fail("status", "is %s: only AVAILABLE inventory can be issued to a kit.", inv.Status)
	}
	return c.result()
}

// PartKitService manages the kits of the caller's organization.
type PartKitService interface {
	PartKit(ctx context.Context, id int64) (*PartKit, error)
	PartKits(ctx context.Context, opts ListOptions) (*Page[PartKit], error)
	PartKitsByIDs(ctx context.Context, ids []int64) ([]PartKit, error)
	CreatePartKit(ctx context.Context, f PartKitFields) (*PartKit, error)
	UpdatePartKit(ctx context.Context, id int64, etag string, f PartKitFields) (*PartKit, error)
	// DeletePartKit refuses a kit inventory is issued to.
	DeletePartKit(ctx context.Context, id int64, etag string) error

	PartKitItemsByKitIDs(ctx context.Context, kitIDs []int64) (map[int64][]PartKitItem, error)
	// InventoriesByKitItemIDs returns the inventory issued to each item.
	InventoriesByKitItemIDs(ctx context.Context, itemIDs []int64) (map[int64][]PartInventory, error)
	CreatePartKitItem(ctx context.Context, f PartKitItemFields) (*PartKitItem, error)
	UpdatePartKitItem(ctx context.Context, id int64, etag string, f PartKitItemFields) (*PartKitItem, error)
	// DeletePartKitItem refuses an item inventory is issued to.
	DeletePartKitItem(ctx context.Context, id int64, etag string) error

	// IssueItemToKit issues inventory to a kit item as IssueCheck allows; a
	// DRAFT or REQUESTED kit becomes IN_PROGRESS.
	IssueItemToKit(ctx context.Context, inventoryID int64, etag string, itemID int64) (*PartInventory, error)
	// MoveItemToInventory takes inventory off its kit, to locationID when
	// given.
	MoveItemToInventory(ctx context.Context, inventoryID int64, etag string, locationID *int64) (*PartInventory, error)

	// CreateKitForRun makes a DRAFT kit for a run: one item per mBOM item of
	// the run's part, of the item's quantity.
	CreateKitForRun(ctx context.Context, f KitForRunFields) (*PartKit, error)
	// AddPartsToKitFromMbom adds a part's mBOM items to a kit as KitFromMbom
	// says; etag, when given, must be the kit's.
	AddPartsToKitFromMbom(ctx context.Context, f KitFromMbomFields, etag string) (*PartKit, error)
	// MoveKitInventoryToLocation moves all inventory issued to an open kit to
	// a location at once; at the kit's delivery location the kit is DELIVERED.
	MoveKitInventoryToLocation(ctx context.Context, kitID int64, etag string, locationID int64) (*PartKit, error)
	// SplitUnfulfilledPartKit moves what an open kit still lacks into a new
	// DRAFT kit, as SplitUnfulfilled says, and returns both.
	SplitUnfulfilledPartKit(ctx context.Context, kitID int64, etag string) (kept, split *PartKit, err error)
}
