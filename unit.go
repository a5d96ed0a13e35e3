package shopfloor

import (
	"context"
	"time"
)

// UnitOfMeasurement is a unit inventory is counted in ("kg", "each"); ION
// calls its name its type.
type UnitOfMeasurement struct {
	ID          int64
	OrgID       int64
	Type        string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// UnitOfMeasurementFields are the writable fields of a unit.
type UnitOfMeasurementFields struct {
	Type *string
}

// Validate normalizes and validates a new unit.
func (f *UnitOfMeasurementFields) Validate() error {
	c := &check{entity: "UnitOfMeasurement"}
	c.text("type", f.Type, true, 64)
	return c.result()
}

// UnitOfMeasurementService manages the units of the caller's organization.
type UnitOfMeasurementService interface {
	UnitsOfMeasurement(ctx context.Context, opts ListOptions) (*Page[UnitOfMeasurement], error)
	UnitsOfMeasurementByIDs(ctx context.Context, ids []int64) ([]UnitOfMeasurement, error)
	CreateUnitOfMeasurement(ctx context.Context, f UnitOfMeasurementFields) (*UnitOfMeasurement, error)
}
