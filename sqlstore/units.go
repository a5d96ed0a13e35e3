package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var units = &table[shopfloor.UnitOfMeasurement]{
	entity: "UnitOfMeasurement", name: "units_of_measurement", alias: "um",
	selects: "um.id, um.org_id, um.type, um.etag, um.created_at, um.updated_at, um.created_by_id, um.updated_by_id",
	fields: map[string]column{
		"id":          {"um.id", kindID},
		"type":        {"um.type", kindText},
		"createdById": {"um.created_by_id", kindID},
		"updatedById": {"um.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.UnitOfMeasurement) []any {
		return []any{&v.ID, &v.OrgID, &v.Type, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// UnitsOfMeasurement lists the caller's units.
func (s *Store) UnitsOfMeasurement(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.UnitOfMeasurement], error) {
	return list(ctx, s, units, opts)
}

// UnitsOfMeasurementByIDs returns the caller's units among ids.
func (s *Store) UnitsOfMeasurementByIDs(ctx context.Context, ids []int64) ([]shopfloor.UnitOfMeasurement, error) {
	return byIDs(ctx, s, units, ids)
}

// CreateUnitOfMeasurement adds a unit; types are unique in the org.
func (s *Store) CreateUnitOfMeasurement(ctx context.Context, f shopfloor.UnitOfMeasurementFields) (*shopfloor.UnitOfMeasurement, error) {
	return mutate(ctx, s, units, "CreateUnitOfMeasurement", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		var c changes
		c.set("type", *f.Type)
		id, err := s.insert(ctx, tx, units.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "UnitOfMeasurement with type '%s' already exists.", *f.Type)
		}
		return id, err
	})
}
