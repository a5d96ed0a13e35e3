package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var contacts = &table[shopfloor.Contact]{
	entity: "Contact", name: "supplier_contacts", alias: "sc",
	selects: "sc.id, sc.org_id, sc.supplier_id, sc.name, sc.email, sc.phone, sc.title, sc.etag, sc.created_at, sc.updated_at, sc.created_by_id, sc.updated_by_id",
	dest: func(v *shopfloor.Contact) []any {
		return []any{&v.ID, &v.OrgID, &v.SupplierID, &v.Name, &v.Email, &v.Phone, &v.Title, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// ContactsBySupplierIDs returns the contacts of each supplier, in one statement.
func (s *Store) ContactsBySupplierIDs(ctx context.Context, supplierIDs []int64) (map[int64][]shopfloor.Contact, error) {
	return grouped(ctx, s, contacts, "", "sc.supplier_id", supplierIDs)
}

func contactChanges(f shopfloor.ContactFields) changes {
	var c changes
	setIf(&c, "name", f.Name)
	setIf(&c, "email", f.Email)
	setIf(&c, "phone", f.Phone)
	setIf(&c, "title", f.Title)
	return c
}

// CreateContact adds a contact to a supplier.
func (s *Store) CreateContact(ctx context.Context, f shopfloor.ContactFields) (*shopfloor.Contact, error) {
	return mutate(ctx, s, contacts, "CreateContact", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, suppliers, p, *f.SupplierID); err != nil {
			return 0, err
		}
		c := contactChanges(f)
		c.set("supplier_id", *f.SupplierID)
		return s.insert(ctx, tx, contacts.name, p, c)
	})
}

// UpdateContact changes a contact if etag is current; its supplier is fixed.
func (s *Store) UpdateContact(ctx context.Context, id int64, etag string, f shopfloor.ContactFields) (*shopfloor.Contact, error) {
	return mutate(ctx, s, contacts, "UpdateContact", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		if f.SupplierID != nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Contact supplierId cannot be changed.")
		}
		return id, update(ctx, s, tx, contacts, p, id, etag, contactChanges(f))
	})
}

// DeleteContact soft-deletes a contact.
func (s *Store) DeleteContact(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, contacts, "DeleteContact", id, etag, nil)
}
