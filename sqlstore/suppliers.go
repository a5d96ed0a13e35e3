package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var suppliers = &table[shopfloor.Supplier]{
	entity: "Supplier", name: "suppliers", alias: "su",
	selects: "su.id, su.org_id, su.name, su.attributes, su.etag, su.created_at, su.updated_at, su.created_by_id, su.updated_by_id",
	fields: map[string]column{
		"id":          {"su.id", kindID},
		"name":        {"su.name", kindText},
		"createdById": {"su.created_by_id", kindID},
		"updatedById": {"su.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.Supplier) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.CustomAttributes, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Supplier returns one supplier of the caller's org.
func (s *Store) Supplier(ctx context.Context, id int64) (*shopfloor.Supplier, error) {
	return get(ctx, s, suppliers, id)
}

// Suppliers lists the caller's suppliers.
func (s *Store) Suppliers(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Supplier], error) {
	return list(ctx, s, suppliers, opts)
}

// SuppliersByIDs returns the caller's suppliers among ids.
func (s *Store) SuppliersByIDs(ctx context.Context, ids []int64) ([]shopfloor.Supplier, error) {
	return byIDs(ctx, s, suppliers, ids)
}

func supplierChanges(f shopfloor.SupplierFields) changes {
	var c changes
	setIf(&c, "name", f.Name)
	if f.Attributes != nil {
		c.set("attributes", shopfloor.Attributes(f.Attributes))
	}
	return c
}

// CreateSupplier adds a supplier.
func (s *Store) CreateSupplier(ctx context.Context, f shopfloor.SupplierFields) (*shopfloor.Supplier, error) {
	return mutate(ctx, s, suppliers, "CreateSupplier", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := s.checkAttributes(ctx, tx, p, "SUPPLIER", f.Attributes); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, suppliers.name, p, supplierChanges(f))
	})
}

// UpdateSupplier changes a supplier if etag is current.
func (s *Store) UpdateSupplier(ctx context.Context, id int64, etag string, f shopfloor.SupplierFields) (*shopfloor.Supplier, error) {
	return mutate(ctx, s, suppliers, "UpdateSupplier", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		if err := s.checkAttributes(ctx, tx, p, "SUPPLIER", f.Attributes); err != nil {
			return 0, err
		}
		return id, update(ctx, s, tx, suppliers, p, id, etag, supplierChanges(f))
	})
}

// DeleteSupplier soft-deletes a supplier no live purchase order names.
func (s *Store) DeleteSupplier(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, suppliers, "DeleteSupplier", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		used, err := s.hasAny(ctx, tx, "SELECT 1 FROM purchase_orders WHERE supplier_id = ? AND org_id = ? AND deleted_at IS NULL LIMIT 1", id, p.OrgID)
		if err == nil && used {
			err = shopfloor.Errorf(shopfloor.CodeInvalid, "Supplier cannot be deleted while purchase orders name it.")
		}
		return err
	})
}

// UpdateSupplierAttribute sets one custom attribute of a supplier, under its etag.
func (s *Store) UpdateSupplierAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.Supplier, error) {
	return setAttribute(ctx, s, suppliers, "SUPPLIER", f, nil)
}
