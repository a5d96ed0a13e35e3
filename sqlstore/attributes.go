package sqlstore

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

var attributeDefinitions = &table[shopfloor.AttributeDefinition]{
	entity: "AttributeDefinition", name: "attribute_definitions", alias: "ad",
	selects: "ad.id, ad.org_id, ad.entity_type, ad.key, ad.type, ad.options, ad.etag, ad.created_at, ad.updated_at, ad.created_by_id, ad.updated_by_id",
	fields: map[string]column{
		"id":         {"ad.id", kindID},
		"entityType": {"ad.entity_type", kindEnum},
		"key":        {"ad.key", kindText},
		"type":       {"ad.type", kindEnum},
	},
	dest: func(v *shopfloor.AttributeDefinition) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityType, &v.Key, &v.Type, (*shopfloor.StringList)(&v.Options), &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// AttributeDefinitions lists the caller's attribute definitions.
func (s *Store) AttributeDefinitions(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.AttributeDefinition], error) {
	return list(ctx, s, attributeDefinitions, opts)
}

// SetAttributeDefinition creates or changes the definition of a key of an
// entity type, under that entity type's permission.
func (s *Store) SetAttributeDefinition(ctx context.Context, entityType, etag string, f shopfloor.AttributeDefinitionFields) (*shopfloor.AttributeDefinition, error) {
	if _, ok := shopfloor.AttributeEntities[entityType]; !ok {
		return nil, shopfloor.Errorf(shopfloor.CodeInvalid, "AttributeDefinition entityType must be one of %s.", strings.Join(slices.Sorted(maps.Keys(shopfloor.AttributeEntities)), ", "))
	}
	return mutate(ctx, s, attributeDefinitions, shopfloor.AttributeDefinitionPermission(entityType), func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		var c changes
		c.set("type", *f.Type)
		c.set("options", shopfloor.StringList(f.Options))
		var id int64
		err := s.queryRow(ctx, tx, "SELECT id FROM attribute_definitions WHERE org_id = ? AND entity_type = ? AND key = ? AND deleted_at IS NULL",
			p.OrgID, entityType, *f.Key).Scan(&id)
		switch {
		case err == sql.ErrNoRows:
			c.set("entity_type", entityType)
			c.set("key", *f.Key)
			id, err = s.insert(ctx, tx, attributeDefinitions.name, p, c)
			if s.dialect.isUnique(err) {
				return 0, shopfloor.ErrEtagMismatch // another writer defined the key first
			}
			return id, err
		case err != nil:
			return 0, err
		}
		return id, update(ctx, s, tx, attributeDefinitions, p, id, etag, c)
	})
}

// checkAttributes validates attributes given to an entity of entityType
// against the organization's definitions, in the writing transaction: the
// one check every entity with custom attributes calls.
func (s *Store) checkAttributes(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, entityType string, attrs shopfloor.Attributes) error {
	if len(attrs) == 0 {
		return nil
	}
	defs, err := whereIn(ctx, s, tx, attributeDefinitions, p, "ad.entity_type = ?", entityType)
	if err != nil {
		return err
	}
	return shopfloor.CheckAttributes(shopfloor.AttributeEntities[entityType], defs, attrs)
}

// checkAttributesIf is checkAttributes for attributes that may not be given.
func (s *Store) checkAttributesIf(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, entityType string, attrs *shopfloor.Attributes) error {
	if attrs == nil {
		return nil
	}
	return s.checkAttributes(ctx, tx, p, entityType, *attrs)
}

// setAttribute sets one custom attribute of a row of t, an entity of
// entityType whose attributes are the row's attributes column: the value is
// checked against the organization's definition, the row's etag must be
// current (and is renewed), and writable, when given, refuses rows that may
// not change (it runs first, so it takes the locks the entity's other
// writes take, in their order). It is the one path of every
// update<Entity>Attribute.
func setAttribute[T any](ctx context.Context, s *Store, t *table[T], entityType string, f shopfloor.AttributeFields,
	writable func(tx *sql.Tx, p *shopfloor.Principal) error) (*T, error) {
	return mutate(ctx, s, t, shopfloor.AttributePermission(entityType), func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(entityType); err != nil {
			return 0, err
		}
		if writable != nil {
			if err := writable(tx, p); err != nil {
				return 0, err
			}
		}
		var attrs shopfloor.Attributes
		err := s.queryRow(ctx, tx, "SELECT "+t.alias+".attributes FROM "+t.name+" "+t.alias+" WHERE "+t.alias+".id = ? AND "+t.scope()+s.dialect.forUpdate,
			*f.OwnerID, p.OrgID).Scan(&attrs)
		if err == sql.ErrNoRows {
			return 0, shopfloor.NotFound(t.entity, *f.OwnerID)
		}
		if err != nil {
			return 0, err
		}
		set := shopfloor.Attributes{{Key: *f.Key, Value: f.Value}}
		if err := s.checkAttributes(ctx, tx, p, entityType, set); err != nil {
			return 0, err
		}
		var c changes
		c.set("attributes", attrs.With(set[0]))
		return *f.OwnerID, update(ctx, s, tx, t, p, *f.OwnerID, f.Etag, c)
	})
}
