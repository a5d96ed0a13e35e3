package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

// partQuantity is a part's quantity: the sum of its live inventory.
const partQuantity = "COALESCE((SELECT SUM(pq.quantity) FROM part_inventories pq WHERE pq.part_id = p.id AND pq.deleted_at IS NULL), 0)"

// partIsLatest is true for a part no live revision was made from.
const partIsLatest = "(NOT EXISTS (SELECT 1 FROM parts pr WHERE pr.revised_from_id = p.id AND pr.deleted_at IS NULL))"

var parts = &table[shopfloor.Part]{
	entity: "Part", name: "parts", alias: "p", liveCounted: true,
	selects: "p.id, p.org_id, " + entityID("Part", "p") + ", p.part_number, p.description, p.revision, p.part_type, p.tracking_type, p.status, " +
		"p.sourcing_strategy, p.purchase_type, p.supplier_part_number, p.cost, p.lead_time, p.export_controlled, p.attributes, p.revised_from_id, " +
		partQuantity + ", " +
		"p.etag, p.created_at, p.updated_at, p.created_by_id, p.updated_by_id",
	derived: append([]derived{{entityID("Part", "p"), "0", []string{"entityId", "fileAttachments", "thumbnail", "labels"}},
		{partQuantity, "0", []string{"quantity"}}, omittable("p.attributes", "attributes")}, recorded("p")...),
	fields: map[string]column{
		"id":                 {"p.id", kindID},
		"partNumber":         {"p.part_number", kindText},
		"description":        {"p.description", kindText},
		"revision":           {"p.revision", kindText},
		"partType":           {"p.part_type", kindEnum},
		"trackingType":       {"p.tracking_type", kindEnum},
		"status":             {"p.status", kindEnum},
		"sourcingStrategy":   {"p.sourcing_strategy", kindEnum},
		"purchaseType":       {"p.purchase_type", kindEnum},
		"supplierPartNumber": {"p.supplier_part_number", kindText},
		"revisedFromId":      {"p.revised_from_id", kindID},
		"isLatestRevision":   {partIsLatest, kindBool},
		"cost":               {"p.cost", kindFloat},
		"leadTime":           {"p.lead_time", kindFloat},
		"exportControlled":   {"p.export_controlled", kindBool},
		"createdById":        {"p.created_by_id", kindID},
		"updatedById":        {"p.updated_by_id", kindID},
		"entityId":           {entityID("Part", "p"), kindID},
	},
	dest: func(v *shopfloor.Part) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityID, &v.PartNumber, &v.Description, &v.Revision, &v.PartType, &v.TrackingType, &v.Status,
			&v.SourcingStrategy, &v.PurchaseType, &v.SupplierPartNumber, &v.Cost, &v.LeadTime, &v.ExportControlled, &v.Attributes, &v.RevisedFromID,
			&v.Quantity,
			&v.Etag, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Part returns one part of the caller's org.
func (s *Store) Part(ctx context.Context, id int64) (*shopfloor.Part, error) {
	return get(ctx, s, parts, id)
}

// Parts lists the caller's parts.
func (s *Store) Parts(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Part], error) {
	return list(ctx, s, parts, opts)
}

// PartsByIDs returns the caller's parts among ids.
func (s *Store) PartsByIDs(ctx context.Context, ids []int64) ([]shopfloor.Part, error) {
	return byIDs(ctx, s, parts, ids)
}

func partChanges(f shopfloor.PartFields) changes {
	var c changes
	setIf(&c, "part_number", f.PartNumber)
	setIf(&c, "description", f.Description)
	setIf(&c, "revision", f.Revision)
	setIf(&c, "part_type", f.PartType)
	setIf(&c, "tracking_type", f.TrackingType)
	setIf(&c, "status", f.Status)
	setIf(&c, "sourcing_strategy", f.SourcingStrategy)
	setIf(&c, "purchase_type", f.PurchaseType)
	setIf(&c, "supplier_part_number", f.SupplierPartNumber)
	setIf(&c, "attributes", f.Attributes)
	setIf(&c, "cost", f.Cost)
	setIf(&c, "lead_time", f.LeadTime)
	setIf(&c, "export_controlled", f.ExportControlled)
	return c
}

func duplicatePart(number, revision string) error {
	return shopfloor.Errorf(shopfloor.CodeInvalid, "Part with partNumber '%s' and revision '%s' already exists.", number, revision)
}

// CreatePart adds a part; part number and revision are unique in the org.
func (s *Store) CreatePart(ctx context.Context, f shopfloor.PartFields) (*shopfloor.Part, error) {
	return mutate(ctx, s, parts, "CreatePart", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.ValidateCreate(); err != nil {
			return 0, err
		}
		if err := s.checkAttributesIf(ctx, tx, p, "PART", f.Attributes); err != nil {
			return 0, err
		}
		id, err := s.insertPart(ctx, tx, p, partChanges(f))
		if s.dialect.isUnique(err) {
			return 0, duplicatePart(*f.PartNumber, *f.Revision)
		}
		return id, err
	})
}

// insertPart adds a part row and gives it its entityId (parts own
// attachments).
func (s *Store) insertPart(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, c changes) (int64, error) {
	id, err := s.insert(ctx, tx, parts.name, p, c)
	if err != nil {
		return 0, err
	}
	return id, s.registerEntity(ctx, tx, p, "Part", id)
}

// UpdatePart changes a part if etag is current.
func (s *Store) UpdatePart(ctx context.Context, id int64, etag string, f shopfloor.PartFields) (*shopfloor.Part, error) {
	return mutate(ctx, s, parts, "UpdatePart", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.ValidateUpdate(); err != nil {
			return 0, err
		}
		if err := s.checkAttributesIf(ctx, tx, p, "PART", f.Attributes); err != nil {
			return 0, err
		}
		var revision string
		if f.PartNumber != nil {
			err := s.queryRow(ctx, tx, "SELECT revision FROM parts WHERE id = ? AND org_id = ? AND deleted_at IS NULL", id, p.OrgID).Scan(&revision)
			if err == sql.ErrNoRows {
				return 0, shopfloor.NotFound(parts.entity, id)
			} else if err != nil {
				return 0, err
			}
		}
		if f.TrackingType != nil && *f.TrackingType == "SERIAL" {
			bad, err := s.hasAny(ctx, tx, "SELECT 1 FROM part_inventories WHERE part_id = ? AND org_id = ? AND deleted_at IS NULL "+
				"AND (quantity <> 1 OR serial_number IS NULL) LIMIT 1", id, p.OrgID)
			if err != nil {
				return 0, err
			}
			if bad {
				return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Part trackingType cannot be SERIAL while its inventory is not serialized.")
			}
		}
		err := update(ctx, s, tx, parts, p, id, etag, partChanges(f))
		if s.dialect.isUnique(err) {
			return 0, duplicatePart(*f.PartNumber, revision)
		}
		return id, err
	})
}

// CreatePartRevision makes a new revision of a part, copying its fields and
// attributes; the new part records the one it was revised from.
func (s *Store) CreatePartRevision(ctx context.Context, partID int64, etag string, revision *string) (*shopfloor.Part, error) {
	return mutate(ctx, s, parts, "CreatePartRevision", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		from, err := getIn(ctx, s, tx, parts, p, partID)
		if err != nil {
			return 0, err
		}
		if etag != "" && etag != from.Etag {
			return 0, shopfloor.ErrEtagMismatch
		}
		rev, err := shopfloor.ValidateRevision(revision, from.Revision)
		if err != nil {
			return 0, err
		}
		c := partChanges(shopfloor.PartFields{
			PartNumber: &from.PartNumber, Description: from.Description, Revision: &rev, PartType: &from.PartType,
			TrackingType: from.TrackingType, Status: &from.Status, SourcingStrategy: from.SourcingStrategy,
			PurchaseType: from.PurchaseType, SupplierPartNumber: from.SupplierPartNumber, Cost: from.Cost,
			LeadTime: from.LeadTime, ExportControlled: &from.ExportControlled, Attributes: &from.Attributes,
		})
		c.set("revised_from_id", partID)
		id, err := s.insertPart(ctx, tx, p, c)
		if s.dialect.isUnique(err) {
			return 0, duplicatePart(from.PartNumber, rev)
		}
		return id, err
	})
}

// DeletePart soft-deletes a part that holds no inventory.
func (s *Store) DeletePart(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, parts, "DeletePart", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		held, err := s.hasAny(ctx, tx, "SELECT 1 FROM part_inventories WHERE part_id = ? AND org_id = ? AND deleted_at IS NULL LIMIT 1", id, p.OrgID)
		if err == nil && held {
			err = shopfloor.Errorf(shopfloor.CodeInvalid, "Part cannot be deleted while it has inventory.")
		}
		if err != nil {
			return err
		}
		return s.mbomUse(ctx, tx, p, id)
	})
}

// AddSubtypeToPart tags a part with a subtype.
func (s *Store) AddSubtypeToPart(ctx context.Context, partID, subtypeID int64, etag string) (*shopfloor.Part, error) {
	return link(ctx, s, parts, "AddSubtypeToPart", partID, subtypeID, etag, found(ctx, s, subtypes, subtypeID),
		"INSERT INTO part_subtype_links (org_id, part_id, subtype_id) SELECT org_id, CAST(? AS BIGINT), id FROM part_subtypes WHERE id = ? ON CONFLICT DO NOTHING")
}

// RemoveSubtypeFromPart untags a part.
func (s *Store) RemoveSubtypeFromPart(ctx context.Context, partID, subtypeID int64, etag string) (*shopfloor.Part, error) {
	return link(ctx, s, parts, "RemoveSubtypeFromPart", partID, subtypeID, etag, found(ctx, s, subtypes, subtypeID),
		"DELETE FROM part_subtype_links WHERE part_id = ? AND subtype_id = ?")
}

// UpdatePartAttribute sets one custom attribute of a part, under its etag.
func (s *Store) UpdatePartAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.Part, error) {
	return setAttribute(ctx, s, parts, "PART", f, nil)
}
