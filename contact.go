package shopfloor

import (
	"context"
	"strings"
	"time"
)

// Contact is a person at a supplier.
type Contact struct {
	ID          int64
	OrgID       int64
	SupplierID  int64
	Name        string
	Email       *string
	Phone       *string
	Title       *string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// ContactFields are the writable fields of a contact.
type ContactFields struct {
	SupplierID *int64
	Name       *string
	Email      *string
	Phone      *string
	Title      *string
}

// Validate normalizes and validates contact fields; create requires the
// supplier and a name.
func (f *ContactFields) Validate(create bool) error {
	c := &check{entity: "Contact"}
	if create && f.SupplierID == nil {
		c.fail("supplierId", "is required.")
	}
	c.text("name", f.Name, create, MaxName)
	if f.Name != nil && *f.Name == "" {
		c.fail("name", "is required.")
	}
	c.text("email", f.Email, false, MaxName)
	if f.Email != nil && *f.Email != "" && !strings.Contains(strings.TrimPrefix(*f.Email, "@"), "@") {
		c.fail("email", "must be an email address.")
	}
	c.text("phone", f.Phone, false, 64)
	c.text("title", f.Title, false, MaxName)
	return c.result()
}

// ContactService manages the contacts of the caller's organization's
// suppliers.
type ContactService interface {
	ContactsBySupplierIDs(ctx context.Context, supplierIDs []int64) (map[int64][]Contact, error)
	CreateContact(ctx context.Context, f ContactFields) (*Contact, error)
	UpdateContact(ctx context.Context, id int64, etag string, f ContactFields) (*Contact, error)
	DeleteContact(ctx context.Context, id int64, etag string) error
}
