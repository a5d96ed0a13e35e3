package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

var mbomVersions = &table[shopfloor.MBom]{
	entity: "MBom", name: "mboms", alias: "mb",
	selects: "mb.id, mb.org_id, mb.part_id, mb.version, mb.status, mb.etag, mb.created_at, mb.updated_at, mb.created_by_id, mb.updated_by_id",
	fields: map[string]column{
		"id":      {"mb.id", kindID},
		"partId":  {"mb.part_id", kindID},
		"version": {"mb.version", kindID},
		"status":  {"mb.status", kindEnum},
	},
	dest: func(v *shopfloor.MBom) []any {
		return []any{&v.ID, &v.OrgID, &v.PartID, &v.Version, &v.Status, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var mbomReviews = &table[shopfloor.MBomReview]{
	entity: "MBomReview", name: "mbom_reviews", alias: "mbr",
	selects: "mbr.id, mbr.org_id, mbr.mbom_id, mbr.approver_id, mbr.role_ids, mbr.comment, mbr.etag, mbr.created_at, mbr.updated_at, mbr.created_by_id, mbr.updated_by_id",
	fields:  map[string]column{"id": {"mbr.id", kindID}},
	dest: func(v *shopfloor.MBomReview) []any {
		return []any{&v.ID, &v.OrgID, &v.MBomID, &v.ApproverID, jsonCol[[]int64]{&v.RoleIDs}, &v.Comment, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// effectiveMBom holds for the version mv that is its part's effective mBOM:
// the released one, or the open one (DRAFT or IN_REVIEW) while none is
// released.
const effectiveMBom = "mv.deleted_at IS NULL AND (mv.status = 'RELEASED' OR (mv.status IN ('DRAFT', 'IN_REVIEW') AND NOT EXISTS (" +
	"SELECT 1 FROM mboms rv WHERE rv.org_id = mv.org_id AND rv.part_id = mv.part_id AND rv.status = 'RELEASED' AND rv.deleted_at IS NULL)))"

// MBom returns one mBOM version of the caller's org.
func (s *Store) MBom(ctx context.Context, id int64) (*shopfloor.MBom, error) {
	return get(ctx, s, mbomVersions, id)
}

// MBoms lists the caller's mBOM versions.
func (s *Store) MBoms(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.MBom], error) {
	return list(ctx, s, mbomVersions, opts)
}

// MBomsByIDs returns the caller's mBOM versions among ids.
func (s *Store) MBomsByIDs(ctx context.Context, ids []int64) ([]shopfloor.MBom, error) {
	return byIDs(ctx, s, mbomVersions, ids)
}

// MBomItemsByMBomIDs returns the items each version holds.
func (s *Store) MBomItemsByMBomIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.MBomItem, error) {
	return grouped(ctx, s, mbomItems, "", "m.mbom_id", ids)
}

// MBomReviewsByMBomIDs returns the approvals each version holds.
func (s *Store) MBomReviewsByMBomIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.MBomReview, error) {
	return grouped(ctx, s, mbomReviews, "", "mbr.mbom_id", ids)
}

// CreateMBom makes the next version of a part's mBOM, a draft holding a
// copy of the released version's items with their substitutes and
// reference designators; a part has one open version at a time.
func (s *Store) CreateMBom(ctx context.Context, partID int64) (*shopfloor.MBom, error) {
	return mutate(ctx, s, mbomVersions, "CreateMBomItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := s.lockOrganization(ctx, tx, p); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, parts, p, partID); err != nil {
			return 0, err
		}
		return s.newMBomVersion(ctx, tx, p, partID)
	})
}

// UpdateMBom moves a version through shopfloor.MBomTransition, in the
// transaction that writes it: a release passes the approval gate and
// archives the part's released version, a return to draft withdraws the
// approvals given.
func (s *Store) UpdateMBom(ctx context.Context, id int64, etag string, status string) (*shopfloor.MBom, error) {
	return mutate(ctx, s, mbomVersions, "UpdateMBomItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := s.lockOrganization(ctx, tx, p); err != nil {
			return 0, err
		}
		cur, err := getIn(ctx, s, tx, mbomVersions, p, id)
		if err != nil {
			return 0, err
		}
		facts := shopfloor.MBomTransitionFacts{ID: id}
		if err := s.queryRow(ctx, tx, "SELECT COUNT(*) FROM mbom_items WHERE mbom_id = ? AND org_id = ? AND deleted_at IS NULL", id, p.OrgID).Scan(&facts.Items); err != nil {
			return 0, fmt.Errorf("sqlstore: count mbom items: %w", err)
		}
		if status == shopfloor.MBomReleased {
			if facts.Requirements, facts.Approvals, err = s.gateFacts(ctx, tx, p, shopfloor.GateMBomRelease, mbomReviews.name, "mbom_id", id); err != nil {
				return 0, err
			}
		}
		if err := shopfloor.MBomTransition(cur.Status, status, facts); err != nil {
			return 0, err
		}
		switch {
		case cur.Status == shopfloor.MBomInReview && status == shopfloor.MBomReleased:
			if err := s.archiveReleased(ctx, tx, p, cur.PartID); err != nil {
				return 0, err
			}
		case cur.Status == shopfloor.MBomInReview && status == shopfloor.MBomDraft:
			if err := s.softDeleteWhere(ctx, tx, p, mbomReviews.name, "mbom_id = ?", id); err != nil {
				return 0, err
			}
		}
		var c changes
		c.set("status", status)
		return id, update(ctx, s, tx, mbomVersions, p, id, etag, c)
	})
}

// archiveReleased archives the part's released version, if any, with its
// event: the one a release replaces.
func (s *Store) archiveReleased(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, partID int64) error {
	released := " WHERE org_id = ? AND part_id = ? AND status = 'RELEASED' AND deleted_at IS NULL"
	if err := s.outboxOf(ctx, tx, p, mbomVersions.name, "UPDATE", "SELECT id FROM mboms"+released, p.OrgID, partID); err != nil {
		return err
	}
	_, err := s.exec(ctx, tx, "UPDATE mboms SET status = 'ARCHIVED', etag = "+s.dialect.randomEtag+", updated_at = ?, updated_by_id = ?"+released,
		s.Now().UTC(), p.UserID, p.OrgID, partID)
	if err != nil {
		return fmt.Errorf("sqlstore: archive released mbom: %w", err)
	}
	return nil
}

// CreateMBomReview approves a version in review as the person the caller
// acts for, recording the roles they hold now (as CreateReview does a
// procedure's).
func (s *Store) CreateMBomReview(ctx context.Context, mbomID int64, comment *string) (*shopfloor.MBomReview, error) {
	return mutate(ctx, s, mbomReviews, "CreateReview", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := s.lockOrganization(ctx, tx, p); err != nil {
			return 0, err
		}
		v, err := getIn(ctx, s, tx, mbomVersions, p, mbomID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.MBomReviewCheck(v.Status, comment); err != nil {
			return 0, err
		}
		return s.insertReview(ctx, tx, p, mbomReviews.name, "mbom_id", mbomID, comment)
	})
}

// openMBom is a part's open version (DRAFT or IN_REVIEW): its id and
// status, or 0 when it has none.
func (s *Store) openMBom(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, partID int64) (id int64, status string, err error) {
	err = s.queryRow(ctx, tx, "SELECT id, status FROM mboms WHERE org_id = ? AND part_id = ? AND status IN ('DRAFT', 'IN_REVIEW') AND deleted_at IS NULL",
		p.OrgID, partID).Scan(&id, &status)
	if err == sql.ErrNoRows {
		return 0, "", nil
	}
	return id, status, err
}

// mbomDraft is the part's draft that new items under it join, made on
// demand as its next version; an open version in review takes none.
func (s *Store) mbomDraft(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, partID int64) (int64, error) {
	if err := s.lockOrganization(ctx, tx, p); err != nil {
		return 0, err
	}
	id, status, err := s.openMBom(ctx, tx, p, partID)
	switch {
	case err != nil:
		return 0, err
	case id == 0:
		return s.newMBomVersion(ctx, tx, p, partID)
	}
	return id, shopfloor.MBomEditable(mbomItems.entity, "parentId", partID, id, status)
}

// newMBomVersion inserts a part's next version, a draft, with a set-wise
// copy of its released version's items, their substitutes and reference
// designators, and their events.
func (s *Store) newMBomVersion(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, partID int64) (int64, error) {
	open, status, err := s.openMBom(ctx, tx, p, partID)
	if err != nil {
		return 0, err
	}
	if open != 0 {
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "MBom partId %d already has an open version (mBOM %d, %s); release it or return it to DRAFT.", partID, open, status)
	}
	var version int
	if err := s.queryRow(ctx, tx, "SELECT COALESCE(MAX(version), 0) FROM mboms WHERE org_id = ? AND part_id = ? AND deleted_at IS NULL", p.OrgID, partID).Scan(&version); err != nil {
		return 0, fmt.Errorf("sqlstore: mbom version: %w", err)
	}
	var c changes
	c.set("part_id", partID)
	c.set("version", version+1)
	c.set("status", shopfloor.MBomDraft)
	id, err := s.insert(ctx, tx, mbomVersions.name, p, c)
	if err != nil {
		return 0, err
	}
	etag := s.dialect.randomEtag
	newRows := "JOIN mboms d ON d.id = ? "
	stmts := []struct{ what, q string }{
		{"items", "INSERT INTO mbom_items (org_id, mbom_id, parent_id, part_id, quantity, made_on_assembly, etag, created_at, updated_at, created_by_id, updated_by_id) " +
			"SELECT d.org_id, d.id, m.parent_id, m.part_id, m.quantity, m.made_on_assembly, " + etag + ", d.created_at, d.created_at, d.created_by_id, d.created_by_id " +
			"FROM mbom_items m " + newRows + "JOIN mboms r ON r.id = m.mbom_id AND r.status = 'RELEASED' AND r.deleted_at IS NULL " +
			"WHERE m.org_id = d.org_id AND m.parent_id = d.part_id AND m.deleted_at IS NULL ORDER BY m.id"},
		{"substitutes", "INSERT INTO mbom_substitutes (org_id, mbom_item_id, part_id, etag, created_at, updated_at, created_by_id, updated_by_id) " +
			"SELECT d.org_id, n.id, ms.part_id, " + etag + ", d.created_at, d.created_at, d.created_by_id, d.created_by_id " +
			"FROM mbom_substitutes ms " + newRows + "JOIN mbom_items n ON n.mbom_id = d.id AND n.deleted_at IS NULL " +
			"JOIN mbom_items o ON o.id = ms.mbom_item_id AND o.part_id = n.part_id AND o.deleted_at IS NULL " +
			"JOIN mboms r ON r.id = o.mbom_id AND r.part_id = d.part_id AND r.status = 'RELEASED' AND r.deleted_at IS NULL " +
			"WHERE ms.deleted_at IS NULL ORDER BY ms.id"},
		{"reference designators", "INSERT INTO mbom_reference_designators (org_id, mbom_item_id, value, etag, created_at, updated_at, created_by_id, updated_by_id) " +
			"SELECT d.org_id, n.id, mr.value, " + etag + ", d.created_at, d.created_at, d.created_by_id, d.created_by_id " +
			"FROM mbom_reference_designators mr " + newRows + "JOIN mbom_items n ON n.mbom_id = d.id AND n.deleted_at IS NULL " +
			"JOIN mbom_items o ON o.id = mr.mbom_item_id AND o.part_id = n.part_id AND o.deleted_at IS NULL " +
			"JOIN mboms r ON r.id = o.mbom_id AND r.part_id = d.part_id AND r.status = 'RELEASED' AND r.deleted_at IS NULL " +
			"WHERE mr.deleted_at IS NULL ORDER BY mr.id"},
	}
	for _, st := range stmts {
		if _, err := s.exec(ctx, tx, st.q, id); err != nil {
			return 0, fmt.Errorf("sqlstore: copy mbom %s: %w", st.what, err)
		}
	}
	if err := s.outboxOf(ctx, tx, p, mbomItems.name, "CREATE", "SELECT id FROM mbom_items WHERE mbom_id = ?", id); err != nil {
		return 0, err
	}
	return id, s.outboxOf(ctx, tx, p, mbomSubstitutes.name, "CREATE",
		"SELECT ms.id AS id FROM mbom_substitutes ms JOIN mbom_items n ON n.id = ms.mbom_item_id WHERE n.mbom_id = ?", id)
}

// draftItem reads an mBOM item about to change (through the entity's
// field): only one of a DRAFT version changes.
func (s *Store) draftItem(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, itemID int64, entity, field string) (*shopfloor.MBomItem, error) {
	item, err := getIn(ctx, s, tx, mbomItems, p, itemID)
	if err != nil {
		return nil, err
	}
	var status string
	if err := s.queryRow(ctx, tx, "SELECT status FROM mboms WHERE id = ? AND org_id = ?", item.MBomID, p.OrgID).Scan(&status); err != nil {
		return nil, fmt.Errorf("sqlstore: mbom of item: %w", err)
	}
	return item, shopfloor.MBomEditable(entity, field, itemID, item.MBomID, status)
}

// mbomUse is nil unless a live mBOM item, of any version, uses the part as
// its assembly, its part or a substitute: then the 422 naming that use,
// refusing the part's deletion.
func (s *Store) mbomUse(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, partID int64) error {
	for _, use := range []struct{ q, msg string }{
		{"SELECT id FROM mbom_items WHERE parent_id = ? AND org_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
			"Part %d cannot be deleted: it is the assembly of mBOM item %d."},
		{"SELECT id FROM mbom_items WHERE part_id = ? AND org_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
			"Part %d cannot be deleted: it is the part of mBOM item %d."},
		{"SELECT mbom_item_id FROM mbom_substitutes WHERE part_id = ? AND org_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
			"Part %d cannot be deleted: it is a substitute in mBOM item %d."},
	} {
		var itemID int64
		switch err := s.queryRow(ctx, tx, use.q, partID, p.OrgID).Scan(&itemID); {
		case err == nil:
			return shopfloor.Errorf(shopfloor.CodeInvalid, use.msg, partID, itemID)
		case err != sql.ErrNoRows:
			return fmt.Errorf("sqlstore: mbom use of part: %w", err)
		}
	}
	return nil
}
