package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var subtypes = &table[shopfloor.PartSubtype]{
	entity: "PartSubtype", name: "part_subtypes", alias: "st",
	selects: "st.id, st.org_id, st.name, st.description, st.etag, st.created_at, st.updated_at",
	fields: map[string]column{
		"id":          {"st.id", kindID},
		"name":        {"st.name", kindText},
		"description": {"st.description", kindText},
	},
	dest: func(v *shopfloor.PartSubtype) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.Description, &v.Etag, &v.CreatedAt, &v.UpdatedAt}
	},
}

// PartSubtype returns one subtype of the caller's org.
func (s *Store) PartSubtype(ctx context.Context, id int64) (*shopfloor.PartSubtype, error) {
	return get(ctx, s, subtypes, id)
}

// PartSubtypes lists the caller's subtypes.
func (s *Store) PartSubtypes(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.PartSubtype], error) {
	return list(ctx, s, subtypes, opts)
}

// SubtypesByPartIDs returns the subtypes of each part, in one statement.
func (s *Store) SubtypesByPartIDs(ctx context.Context, partIDs []int64) (map[int64][]shopfloor.PartSubtype, error) {
	return grouped(ctx, s, subtypes, " JOIN part_subtype_links k ON k.subtype_id = st.id", "k.part_id", partIDs)
}

func subtypeChanges(f shopfloor.PartSubtypeFields) changes {
	var c changes
	setIf(&c, "name", f.Name)
	setIf(&c, "description", f.Description)
	return c
}

func duplicateSubtype(name string) error {
	return shopfloor.Errorf(shopfloor.CodeInvalid, "PartSubtype with name '%s' already exists.", name)
}

// CreatePartSubtype adds a subtype; names are unique in the org.
func (s *Store) CreatePartSubtype(ctx context.Context, f shopfloor.PartSubtypeFields) (*shopfloor.PartSubtype, error) {
	return mutate(ctx, s, subtypes, "CreatePartSubtype", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		id, err := s.insert(ctx, tx, subtypes.name, p, subtypeChanges(f))
		if s.dialect.isUnique(err) {
			return 0, duplicateSubtype(*f.Name)
		}
		return id, err
	})
}

// UpdatePartSubtype changes a subtype if etag is current.
func (s *Store) UpdatePartSubtype(ctx context.Context, id int64, etag string, f shopfloor.PartSubtypeFields) (*shopfloor.PartSubtype, error) {
	return mutate(ctx, s, subtypes, "UpdatePartSubtype", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		err := update(ctx, s, tx, subtypes, p, id, etag, subtypeChanges(f))
		if s.dialect.isUnique(err) {
			return 0, duplicateSubtype(*f.Name)
		}
		return id, err
	})
}

// DeletePartSubtype soft-deletes a subtype and untags its parts.
func (s *Store) DeletePartSubtype(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, subtypes, "DeletePartSubtype", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		_, err := s.exec(ctx, tx, "DELETE FROM part_subtype_links WHERE org_id = ? AND subtype_id = ?", p.OrgID, id)
		return err
	})
}
