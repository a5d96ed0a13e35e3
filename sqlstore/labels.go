package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var labels = &table[shopfloor.Label]{
	entity: "Label", name: "labels", alias: "lb",
	selects: "lb.id, lb.org_id, lb.value, lb.etag, lb.created_at, lb.updated_at, lb.created_by_id, lb.updated_by_id",
	fields: map[string]column{"id": {"lb.id", kindID}, "value": {"lb.value", kindText},
		"createdById": {"lb.created_by_id", kindID}, "updatedById": {"lb.updated_by_id", kindID}},
	dest: func(v *shopfloor.Label) []any {
		return []any{&v.ID, &v.OrgID, &v.Value, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Labels lists the caller's label library.
func (s *Store) Labels(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Label], error) {
	return list(ctx, s, labels, opts)
}

// LabelsByEntityIDs returns the labels on each entity.
func (s *Store) LabelsByEntityIDs(ctx context.Context, entityIDs []int64) (map[int64][]shopfloor.Label, error) {
	return grouped(ctx, s, labels, " JOIN label_links ll ON ll.label_id = lb.id", "ll.entity_id", entityIDs)
}

// CreateLabel adds a label; values are unique in the org.
func (s *Store) CreateLabel(ctx context.Context, f shopfloor.LabelFields) (*shopfloor.Label, error) {
	return mutate(ctx, s, labels, "CreateLabel", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		var c changes
		c.set("value", *f.Value)
		id, err := s.insert(ctx, tx, labels.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Label with value '%s' already exists.", *f.Value)
		}
		return id, err
	})
}

// DeleteLabel deletes a label and takes it off every entity.
func (s *Store) DeleteLabel(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, labels, "DeleteLabel", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		_, err := s.exec(ctx, tx, "DELETE FROM label_links WHERE label_id = ? AND org_id = ?", id, p.OrgID)
		return err
	})
}

// familyEntity returns the entityId of a procedure family of the caller's org.
func (s *Store) familyEntity(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, familyID int64) (int64, error) {
	var entity int64
	err := s.queryRow(ctx, tx, "SELECT id FROM entities WHERE kind = ? AND row_id = ? AND org_id = ?", procedureFamilyKind, familyID, p.OrgID).Scan(&entity)
	if err == sql.ErrNoRows {
		return 0, shopfloor.Errorf(shopfloor.CodeNotFound, "Procedure family with id %d not found.", familyID)
	}
	return entity, err
}

// Adding a label to an entity is idempotent, and so is taking it off.
const (
	addLabelSQL    = "INSERT INTO label_links (org_id, entity_id, label_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
	removeLabelSQL = "DELETE FROM label_links WHERE org_id = ? AND entity_id = ? AND label_id = ?"
)

// AddLabelToProcedureFamily labels every version of a procedure.
func (s *Store) AddLabelToProcedureFamily(ctx context.Context, labelID, familyID int64) error {
	return s.labelEntity(ctx, "AddLabelToProcedureFamily", labelID, addLabelSQL, s.familyOf(familyID))
}

// RemoveLabelFromProcedureFamily takes a label off a procedure family.
func (s *Store) RemoveLabelFromProcedureFamily(ctx context.Context, labelID, familyID int64) error {
	return s.labelEntity(ctx, "RemoveLabelFromProcedureFamily", labelID, removeLabelSQL, s.familyOf(familyID))
}

// AddLabelToItem puts a label on the live entity entityID names, of any
// kind.
func (s *Store) AddLabelToItem(ctx context.Context, labelID, entityID int64) error {
	return s.labelEntity(ctx, "AddLabelToItem", labelID, addLabelSQL, s.liveEntityID(entityID))
}

// RemoveLabelFromItem takes a label off the entity entityID names.
func (s *Store) RemoveLabelFromItem(ctx context.Context, labelID, entityID int64) error {
	return s.labelEntity(ctx, "RemoveLabelFromItem", labelID, removeLabelSQL, s.liveEntityID(entityID))
}

// entityOf finds, in the writing transaction, the entityId a label change
// is about.
type entityOf func(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal) (int64, error)

func (s *Store) familyOf(familyID int64) entityOf {
	return func(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		return s.familyEntity(ctx, tx, p, familyID)
	}
}

func (s *Store) liveEntityID(entityID int64) entityOf {
	return func(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		_, err := s.liveEntity(ctx, tx, p, entityID)
		return entityID, err
	}
}

// labelEntity runs stmt (addLabelSQL, removeLabelSQL) for a label of the
// caller's org and the entity entity finds.
func (s *Store) labelEntity(ctx context.Context, perm shopfloor.Permission, labelID int64, stmt string, entity entityOf) (err error) {
	_, err = mutate(ctx, s, labels, perm, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := exists(ctx, s, tx, labels, p, labelID); err != nil {
			return 0, err
		}
		entityID, err := entity(ctx, tx, p)
		if err != nil {
			return 0, err
		}
		_, err = s.exec(ctx, tx, stmt, p.OrgID, entityID, labelID)
		return labelID, err
	})
	return err
}
