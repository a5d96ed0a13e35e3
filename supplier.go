package shopfloor

import (
	"context"
	"time"
)

// Supplier is a company purchase orders are placed with.
type Supplier struct {
	ID    int64
	OrgID int64
	Name  string
	// CustomAttributes are ION's Supplier.Attributes.
	CustomAttributes Attributes
	Etag             string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	CreatedByID      *int64
	UpdatedByID      *int64
}

// SupplierFields are the writable fields of a supplier.
type SupplierFields struct {
	Name *string
	// Attributes, when not nil, replace the stored ones whole.
	Attributes []Attribute
}

// Validate normalizes and validates supplier fields; create requires a name.
func (f *SupplierFields) Validate(create bool) error {
	c := &check{entity: "Supplier"}
	c.text("name", f.Name, create, MaxName)
	if f.Name != nil && *f.Name == "" {
		c.fail("name", "is required.")
	}
	if f.Attributes != nil {
		c.attributes("attributes", (*Attributes)(&f.Attributes))
	}
	return c.result()
}

// SupplierService manages the suppliers of the caller's organization.
type SupplierService interface {
	Supplier(ctx context.Context, id int64) (*Supplier, error)
	Suppliers(ctx context.Context, opts ListOptions) (*Page[Supplier], error)
	SuppliersByIDs(ctx context.Context, ids []int64) ([]Supplier, error)
	CreateSupplier(ctx context.Context, f SupplierFields) (*Supplier, error)
	UpdateSupplier(ctx context.Context, id int64, etag string, f SupplierFields) (*Supplier, error)
	// UpdateSupplierAttribute sets one custom attribute of the supplier, under its etag.
	UpdateSupplierAttribute(ctx context.Context, f AttributeFields) (*Supplier, error)
	DeleteSupplier(ctx context.Context, id int64, etag string) error
}
