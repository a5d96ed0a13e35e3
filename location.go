package shopfloor

import (
	"context"
	"time"
)

// Location is a place inventory is kept; locations form a tree.
type Location struct {
	ID    int64
	OrgID int64
	// EntityID is ION's entityId: the key, distinct from ID and unique
	// across every kind of entity, that attachments and labels name.
	EntityID           int64
	Name               string
	Description        *string
	LocationType       *string // WAREHOUSE, RACK, SHELF, TOTE or WORKCENTER
	ParentID           *int64
	InventoryAvailable bool
	Status             string // ACTIVE or ARCHIVED
	Attributes         Attributes
	Etag               string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	CreatedByID        *int64
	UpdatedByID        *int64
}

// Enumerations of Location.
var (
	LocationTypes    = []string{"WAREHOUSE", "RACK", "SHELF", "TOTE", "WORKCENTER"}
	LocationStatuses = []string{"ACTIVE", "ARCHIVED"}
)

// LocationFields are the writable fields of a location.
type LocationFields struct {
	Name               *string
	Description        *string
	LocationType       *string
	ParentID           *int64
	InventoryAvailable *bool
	Status             *string
}

// Validate normalizes and validates location fields.
func (f *LocationFields) Validate(create bool) error {
	c := &check{entity: "Location"}
	c.text("name", f.Name, create, 255)
	c.text("description", f.Description, false, 1024)
	c.enum("locationType", f.LocationType, LocationTypes...)
	c.enum("status", f.Status, LocationStatuses...)
	if create && c.err == nil {
		if f.InventoryAvailable == nil {
			f.InventoryAvailable = ptr(true)
		}
		if f.Status == nil {
			f.Status = ptr("ACTIVE")
		}
	}
	return c.result()
}

// LocationService manages locations of the caller's organization.
type LocationService interface {
	Location(ctx context.Context, id int64) (*Location, error)
	Locations(ctx context.Context, opts ListOptions) (*Page[Location], error)
	LocationsByIDs(ctx context.Context, ids []int64) ([]Location, error)
	CreateLocation(ctx context.Context, f LocationFields) (*Location, error)
	UpdateLocation(ctx context.Context, id int64, etag string, f LocationFields) (*Location, error)
	DeleteLocation(ctx context.Context, id int64, etag string) error
	// UpdateLocationAttribute sets one custom attribute of the location, under its etag.
	UpdateLocationAttribute(ctx context.Context, f AttributeFields) (*Location, error)
}
