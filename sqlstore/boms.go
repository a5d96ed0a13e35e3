package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

// mbomItemTable is the table of mBOM items read through joins.
func mbomItemTable(joins string) *table[shopfloor.MBomItem] {
	return &table[shopfloor.MBomItem]{
		entity: "MBomItem", name: "mbom_items", alias: "m", joins: joins,
		selects: "m.id, m.org_id, m.mbom_id, m.parent_id, m.part_id, m.quantity, m.made_on_assembly, m.etag, m.created_at, m.updated_at, m.created_by_id, m.updated_by_id",
		fields: map[string]column{
			"id":             {"m.id", kindID},
			"mbomId":         {"m.mbom_id", kindID},
			"parentId":       {"m.parent_id", kindID},
			"partId":         {"m.part_id", kindID},
			"quantity":       {"m.quantity", kindFloat},
			"madeOnAssembly": {"m.made_on_assembly", kindBool},
			"createdById":    {"m.created_by_id", kindID},
			"updatedById":    {"m.updated_by_id", kindID},
		},
		dest: func(v *shopfloor.MBomItem) []any {
			return []any{&v.ID, &v.OrgID, &v.MBomID, &v.ParentID, &v.PartID, &v.Quantity, &v.MadeOnAssembly, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
		},
	}
}

var (
	mbomItems = mbomItemTable("")
	// currentMBomItems are the items of each part's effective mBOM version
	// (effectiveMBom).
	currentMBomItems = mbomItemTable(" JOIN mboms mv ON mv.id = m.mbom_id AND " + effectiveMBom)
)

var mbomSubstitutes = &table[shopfloor.MBomSubstitute]{
	entity: "MBomSubstitute", name: "mbom_substitutes", alias: "ms",
	selects: "ms.id, ms.org_id, ms.mbom_item_id, ms.part_id, ms.etag, ms.created_at, ms.updated_at, ms.created_by_id, ms.updated_by_id",
	fields: map[string]column{
		"id":         {"ms.id", kindID},
		"mbomItemId": {"ms.mbom_item_id", kindID},
		"partId":     {"ms.part_id", kindID},
	},
	dest: func(v *shopfloor.MBomSubstitute) []any {
		return []any{&v.ID, &v.OrgID, &v.MBomItemID, &v.PartID, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var mbomDesignators = &table[shopfloor.MBomReferenceDesignator]{
	entity: "MBomItemReferenceDesignator", name: "mbom_reference_designators", alias: "mr",
	selects: "mr.id, mr.org_id, mr.mbom_item_id, mr.value, mr.etag, mr.created_at, mr.updated_at, mr.created_by_id, mr.updated_by_id",
	fields:  map[string]column{"id": {"mr.id", kindID}, "mbomItemId": {"mr.mbom_item_id", kindID}, "value": {"mr.value", kindText}},
	dest: func(v *shopfloor.MBomReferenceDesignator) []any {
		return []any{&v.ID, &v.OrgID, &v.MBomItemID, &v.Value, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// MBomItem returns one mBOM item of the caller's org.
func (s *Store) MBomItem(ctx context.Context, id int64) (*shopfloor.MBomItem, error) {
	return get(ctx, s, mbomItems, id)
}

// MBomItems lists the caller's mBOM items: those of one version when
// filtered by mbomId, and otherwise those of each part's effective version.
func (s *Store) MBomItems(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.MBomItem], error) {
	if _, ok := opts.Filters["mbomId"]; ok {
		return list(ctx, s, mbomItems, opts)
	}
	return list(ctx, s, currentMBomItems, opts)
}

// MBomItemsByIDs returns the caller's mBOM items among ids.
func (s *Store) MBomItemsByIDs(ctx context.Context, ids []int64) ([]shopfloor.MBomItem, error) {
	return byIDs(ctx, s, mbomItems, ids)
}

// MBomItemsByParentIDs returns the items directly under each part, in its
// effective mBOM version.
func (s *Store) MBomItemsByParentIDs(ctx context.Context, partIDs []int64) (map[int64][]shopfloor.MBomItem, error) {
	return grouped(ctx, s, currentMBomItems, "", "m.parent_id", partIDs)
}

// CreateMBomItem puts a part into an assembly, refusing a cycle and a
// part already under that parent.
func (s *Store) CreateMBomItem(ctx context.Context, f shopfloor.MBomItemFields) (*shopfloor.MBomItem, error) {
	return mutate(ctx, s, mbomItems, "CreateMBomItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		return s.insertMBomItem(ctx, tx, p, f)
	})
}

func (s *Store) insertMBomItem(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, f shopfloor.MBomItemFields) (int64, error) {
	if err := s.mbomPlace(ctx, tx, p, 0, *f.ParentID, *f.PartID); err != nil {
		return 0, err
	}
	draft, err := s.mbomDraft(ctx, tx, p, *f.ParentID)
	if err != nil {
		return 0, err
	}
	var c changes
	c.set("mbom_id", draft)
	c.set("parent_id", *f.ParentID)
	c.set("part_id", *f.PartID)
	c.set("quantity", *f.Quantity)
	c.set("made_on_assembly", f.MadeOnAssembly != nil && *f.MadeOnAssembly)
	id, err := s.insert(ctx, tx, mbomItems.name, p, c)
	if s.dialect.isUnique(err) {
		return 0, shopfloor.MBomItemNotUnique(*f.ParentID, *f.PartID)
	}
	return id, err
}

// UpdateMBomItem changes an item's quantity, flag, or place (under the
// same rules as a new item's).
func (s *Store) UpdateMBomItem(ctx context.Context, id int64, etag string, f shopfloor.MBomItemFields) (*shopfloor.MBomItem, error) {
	return mutate(ctx, s, mbomItems, "UpdateMBomItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		cur, err := s.draftItem(ctx, tx, p, id, mbomItems.entity, "id")
		if err != nil {
			return 0, err
		}
		parent, part := cur.ParentID, cur.PartID
		if f.ParentID != nil {
			parent = *f.ParentID
		}
		if f.PartID != nil {
			part = *f.PartID
		}
		if parent != cur.ParentID || part != cur.PartID {
			if err := s.mbomPlace(ctx, tx, p, id, parent, part); err != nil {
				return 0, err
			}
		}
		var c changes
		if parent != cur.ParentID {
			draft, err := s.mbomDraft(ctx, tx, p, parent)
			if err != nil {
				return 0, err
			}
			c.set("mbom_id", draft)
		}
		setIf(&c, "parent_id", f.ParentID)
		setIf(&c, "part_id", f.PartID)
		setIf(&c, "quantity", f.Quantity)
		setIf(&c, "made_on_assembly", f.MadeOnAssembly)
		err = update(ctx, s, tx, mbomItems, p, id, etag, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.MBomItemNotUnique(parent, part)
		}
		return id, err
	})
}

// DeleteMBomItem takes an item out of its assembly, with its substitutes
// and reference designators, unless a build requirement originates from it.
func (s *Store) DeleteMBomItem(ctx context.Context, id int64, etag string) error {
	editable := func(tx *sql.Tx, p *shopfloor.Principal) error {
		if _, err := s.draftItem(ctx, tx, p, id, mbomItems.entity, "id"); err != nil {
			return err
		}
		return s.mbomItemUnused(ctx, tx, p, id)
	}
	return removeThen(ctx, s, mbomItems, "DeleteMBomItem", id, etag, editable, func(tx *sql.Tx, p *shopfloor.Principal) error {
		now := s.Now().UTC()
		for _, t := range []string{mbomSubstitutes.name, mbomDesignators.name} {
			if _, err := s.exec(ctx, tx, "UPDATE "+t+" SET deleted_at = ? WHERE mbom_item_id = ? AND org_id = ? AND deleted_at IS NULL", now, id, p.OrgID); err != nil {
				return fmt.Errorf("sqlstore: delete %s of mbom item: %w", t, err)
			}
		}
		return nil
	})
}

// mbomPlace checks that part may go under parent (item itemID moving
// there, 0 for a new item): both are parts of the caller's org, and no
// part would contain itself in any version not archived. Every mBOM write of an organization first
// locks the organization's row (on PostgreSQL), so two writes that together
// would make a cycle cannot both pass; the walk down from part is one
// WITH RECURSIVE statement, and its path of part numbers names the cycle.
func (s *Store) mbomPlace(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, itemID, parent, part int64) error {
	if err := s.lockOrganization(ctx, tx, p); err != nil {
		return err
	}
	parentPart, err := getIn(ctx, s, tx, parts, p, parent)
	if err != nil {
		return err
	}
	if err := exists(ctx, s, tx, parts, p, part); err != nil {
		return err
	}
	if part == parent {
		return shopfloor.MBomCycle(parentPart.PartNumber, "")
	}
	var path string
	err = s.queryRow(ctx, tx, "WITH RECURSIVE edges (parent_id, part_id) AS ("+
		"SELECT DISTINCT m.parent_id, m.part_id FROM mbom_items m JOIN mboms v ON v.id = m.mbom_id AND v.status <> 'ARCHIVED' "+
		"WHERE m.org_id = ? AND m.deleted_at IS NULL AND m.id <> ?), "+
		"down (part_id, path) AS ("+
		"SELECT pp.id, pp.part_number FROM parts pp WHERE pp.id = ? "+
		"UNION ALL SELECT e.part_id, down.path || ' > ' || pp.part_number FROM down "+
		"JOIN edges e ON e.parent_id = down.part_id "+
		"JOIN parts pp ON pp.id = e.part_id) "+
		"SELECT path FROM down WHERE part_id = ? LIMIT 1", p.OrgID, itemID, part, parent).Scan(&path)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return fmt.Errorf("sqlstore: mbom cycle check: %w", err)
	}
	return shopfloor.MBomCycle(parentPart.PartNumber, path)
}

// MBomSubstitutes lists the caller's mBOM substitutes.
func (s *Store) MBomSubstitutes(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.MBomSubstitute], error) {
	return list(ctx, s, mbomSubstitutes, opts)
}

// SubstitutesByMBomItemIDs returns each item's substitutes.
func (s *Store) SubstitutesByMBomItemIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.MBomSubstitute, error) {
	return grouped(ctx, s, mbomSubstitutes, "", "ms.mbom_item_id", ids)
}

// CreateMBomSubstitute lets a part replace an item's part.
func (s *Store) CreateMBomSubstitute(ctx context.Context, mbomItemID, partID int64) (*shopfloor.MBomSubstitute, error) {
	return mutate(ctx, s, mbomSubstitutes, "CreateMBomSubstitute", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		return s.insertSubstitute(ctx, tx, p, mbomItemID, partID)
	})
}

func (s *Store) insertSubstitute(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, mbomItemID, partID int64) (int64, error) {
	item, err := s.draftItem(ctx, tx, p, mbomItemID, mbomSubstitutes.entity, "mbomItemId")
	if err != nil {
		return 0, err
	}
	if err := exists(ctx, s, tx, parts, p, partID); err != nil {
		return 0, err
	}
	if partID == item.PartID {
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "MBomSubstitute partId %d is the mBOM item's own part.", partID)
	}
	var c changes
	c.set("mbom_item_id", mbomItemID)
	c.set("part_id", partID)
	id, err := s.insert(ctx, tx, mbomSubstitutes.name, p, c)
	if s.dialect.isUnique(err) {
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "MBomSubstitute partId %d is not unique for mBOM item %d.", partID, mbomItemID)
	}
	return id, err
}

// DeleteMBomSubstitute stops a part substituting.
func (s *Store) DeleteMBomSubstitute(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, mbomSubstitutes, "DeleteMBomSubstitute", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		sub, err := getIn(ctx, s, tx, mbomSubstitutes, p, id)
		if err != nil {
			return err
		}
		_, err = s.draftItem(ctx, tx, p, sub.MBomItemID, mbomSubstitutes.entity, "mbomItemId")
		return err
	})
}

// ReferenceDesignatorsByMBomItemIDs returns each item's reference
// designators.
func (s *Store) ReferenceDesignatorsByMBomItemIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.MBomReferenceDesignator, error) {
	return grouped(ctx, s, mbomDesignators, "", "mr.mbom_item_id", ids)
}

// CreateMBomReferenceDesignator names where an item goes: a change of the
// item (UpdateMBomItem), which keeps its etag.
func (s *Store) CreateMBomReferenceDesignator(ctx context.Context, mbomItemID int64, value string) (*shopfloor.MBomReferenceDesignator, error) {
	return mutate(ctx, s, mbomDesignators, "UpdateMBomItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := shopfloor.ValidateReferenceDesignator(&value); err != nil {
			return 0, err
		}
		if _, err := s.draftItem(ctx, tx, p, mbomItemID, mbomDesignators.entity, "mbomItemId"); err != nil {
			return 0, err
		}
		var c changes
		c.set("mbom_item_id", mbomItemID)
		c.set("value", value)
		id, err := s.insert(ctx, tx, mbomDesignators.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "MBomItemReferenceDesignator value %q is not unique for mBOM item %d.", value, mbomItemID)
		}
		return id, err
	})
}
