package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var locations = &table[shopfloor.Location]{
	entity: "Location", name: "locations", alias: "l", liveCounted: true,
	selects: "l.id, l.org_id, " + entityID("Location", "l") + ", l.name, l.description, l.location_type, l.parent_id, l.inventory_available, l.status, l.attributes, " +
		"l.etag, l.created_at, l.updated_at, l.created_by_id, l.updated_by_id",
	derived: append([]derived{{entityID("Location", "l"), "0", []string{"entityId", "labels"}}, omittable("l.attributes", "attributes")}, recorded("l")...),
	fields: map[string]column{
		"id":                 {"l.id", kindID},
		"name":               {"l.name", kindText},
		"description":        {"l.description", kindText},
		"locationType":       {"l.location_type", kindEnum},
		"parentId":           {"l.parent_id", kindID},
		"inventoryAvailable": {"l.inventory_available", kindBool},
		"status":             {"l.status", kindEnum},
		"entityId":           {entityID("Location", "l"), kindID},
	},
	dest: func(v *shopfloor.Location) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityID, &v.Name, &v.Description, &v.LocationType, &v.ParentID, &v.InventoryAvailable, &v.Status,
			&v.Attributes, &v.Etag, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Location returns one location of the caller's org.
func (s *Store) Location(ctx context.Context, id int64) (*shopfloor.Location, error) {
	return get(ctx, s, locations, id)
}

// Locations lists the caller's locations.
func (s *Store) Locations(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Location], error) {
	return list(ctx, s, locations, opts)
}

// LocationsByIDs returns the caller's locations among ids.
func (s *Store) LocationsByIDs(ctx context.Context, ids []int64) ([]shopfloor.Location, error) {
	return byIDs(ctx, s, locations, ids)
}

func locationChanges(f shopfloor.LocationFields) changes {
	var c changes
	setIf(&c, "name", f.Name)
	setIf(&c, "description", f.Description)
	setIf(&c, "location_type", f.LocationType)
	setIf(&c, "parent_id", f.ParentID)
	setIf(&c, "inventory_available", f.InventoryAvailable)
	setIf(&c, "status", f.Status)
	return c
}

// CreateLocation adds a location under an optional parent.
func (s *Store) CreateLocation(ctx context.Context, f shopfloor.LocationFields) (*shopfloor.Location, error) {
	return mutate(ctx, s, locations, "CreateLocation", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, locations, p, f.ParentID); err != nil {
			return 0, err
		}
		id, err := s.insert(ctx, tx, locations.name, p, locationChanges(f))
		if err != nil {
			return 0, err
		}
		return id, s.registerEntity(ctx, tx, p, "Location", id)
	})
}

// UpdateLocation changes a location if etag is current; the tree stays a tree.
func (s *Store) UpdateLocation(ctx context.Context, id int64, etag string, f shopfloor.LocationFields) (*shopfloor.Location, error) {
	return mutate(ctx, s, locations, "UpdateLocation", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, locations, p, f.ParentID); err != nil {
			return 0, err
		}
		if f.ParentID != nil {
			cycle, err := s.hasAny(ctx, tx, "WITH RECURSIVE up(id, parent_id) AS ("+
				"SELECT id, parent_id FROM locations WHERE id = ? AND org_id = ? "+
				"UNION ALL SELECT l.id, l.parent_id FROM locations l JOIN up ON l.id = up.parent_id) "+
				"SELECT 1 FROM up WHERE id = ? LIMIT 1", *f.ParentID, p.OrgID, id)
			if err != nil {
				return 0, err
			}
			if cycle {
				return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Location parentId cannot be the location itself or one of its descendants.")
			}
		}
		return id, update(ctx, s, tx, locations, p, id, etag, locationChanges(f))
	})
}

// DeleteLocation soft-deletes a location that holds no inventory and no
// child locations.
func (s *Store) DeleteLocation(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, locations, "DeleteLocation", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		used, err := s.hasAny(ctx, tx, "SELECT 1 FROM part_inventories WHERE location_id = ? AND org_id = ? AND deleted_at IS NULL "+
			"UNION ALL SELECT 1 FROM locations WHERE parent_id = ? AND org_id = ? AND deleted_at IS NULL LIMIT 1", id, p.OrgID, id, p.OrgID)
		if err == nil && used {
			err = shopfloor.Errorf(shopfloor.CodeInvalid, "Location cannot be deleted while it holds inventory or child locations.")
		}
		return err
	})
}

// UpdateLocationAttribute sets one custom attribute of a location, under its etag.
func (s *Store) UpdateLocationAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.Location, error) {
	return setAttribute(ctx, s, locations, "LOCATION", f, nil)
}
