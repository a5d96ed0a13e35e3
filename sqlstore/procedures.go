package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

// Procedure families are entities (kind ProcedureFamily, row id the family
// id), so labels attach to every version at once.
const procedureFamilyKind = "ProcedureFamily"

var procedures = &table[shopfloor.Procedure]{
	entity: "Procedure", name: "procedures", alias: "pr",
	selects: "pr.id, pr.org_id, pr.family_id, " + entityIDOf(procedureFamilyKind, "pr.family_id") + ", pr.version, pr.title, pr.description, pr.type, " +
		"pr.status, pr.export_controlled, pr.attributes, pr.etag, pr.created_at, pr.updated_at, pr.created_by_id, pr.updated_by_id",
	fields: map[string]column{
		"id":               {"pr.id", kindID},
		"familyId":         {"pr.family_id", kindID},
		"version":          {"pr.version", kindFloat},
		"title":            {"pr.title", kindText},
		"description":      {"pr.description", kindText},
		"type":             {"pr.type", kindEnum},
		"status":           {"pr.status", kindEnum},
		"exportControlled": {"pr.export_controlled", kindBool},
		"createdById":      {"pr.created_by_id", kindID},
		"updatedById":      {"pr.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.Procedure) []any {
		return []any{&v.ID, &v.OrgID, &v.FamilyID, &v.FamilyEntityID, &v.Version, &v.Title, &v.Description, &v.Type,
			&v.Status, &v.ExportControlled, &v.Attributes, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Procedure returns one procedure of the caller's org.
func (s *Store) Procedure(ctx context.Context, id int64) (*shopfloor.Procedure, error) {
	return get(ctx, s, procedures, id)
}

// Procedures lists the caller's procedures.
func (s *Store) Procedures(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Procedure], error) {
	return list(ctx, s, procedures, opts)
}

// ProceduresByIDs returns the caller's procedures among ids.
func (s *Store) ProceduresByIDs(ctx context.Context, ids []int64) ([]shopfloor.Procedure, error) {
	return byIDs(ctx, s, procedures, ids)
}

func procedureChanges(f shopfloor.ProcedureFields) changes {
	var c changes
	setIf(&c, "title", f.Title)
	setIf(&c, "description", f.Description)
	setIf(&c, "type", f.Type)
	setIf(&c, "export_controlled", f.ExportControlled)
	setIf(&c, "attributes", f.Attributes)
	setIf(&c, "status", f.Status)
	return c
}

// CreateProcedure adds a draft, the first version of a new family.
func (s *Store) CreateProcedure(ctx context.Context, f shopfloor.ProcedureFields) (*shopfloor.Procedure, error) {
	return mutate(ctx, s, procedures, "CreateProcedure", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		f.Status = nil
		if err := s.checkAttributesIf(ctx, tx, p, "PROCEDURE", f.Attributes); err != nil {
			return 0, err
		}
		id, err := s.insert(ctx, tx, procedures.name, p, procedureChanges(f))
		if err != nil {
			return 0, err
		}
		return id, s.startFamily(ctx, tx, p, id)
	})
}

// startFamily makes procedure id the first version of its own family.
func (s *Store) startFamily(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) error {
	if _, err := s.exec(ctx, tx, "UPDATE procedures SET family_id = id WHERE id = ?", id); err != nil {
		return fmt.Errorf("sqlstore: procedure family: %w", err)
	}
	return s.registerEntity(ctx, tx, p, procedureFamilyKind, id)
}

// procedureStatus reads a procedure's status in tx, locking its row on
// PostgreSQL so that no change under it races a status change.
func (s *Store) procedureStatus(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) (string, error) {
	var status string
	err := s.queryRow(ctx, tx, "SELECT status FROM procedures WHERE id = ? AND org_id = ? AND deleted_at IS NULL"+s.dialect.forUpdate, id, p.OrgID).Scan(&status)
	if err == sql.ErrNoRows {
		return "", shopfloor.NotFound(procedures.entity, id)
	}
	return status, err
}

// UpdateProcedure changes a draft, or moves any procedure through the
// status machine: a release needs the approvals the organization requires,
// and a return to draft withdraws the reviews given.
func (s *Store) UpdateProcedure(ctx context.Context, id int64, etag string, f shopfloor.ProcedureFields) (*shopfloor.Procedure, error) {
	return mutate(ctx, s, procedures, "UpdateProcedure", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		from, err := s.procedureStatus(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		if !f.OnlyStatus() {
			if err := shopfloor.ProcedureEditable(from); err != nil {
				return 0, err
			}
		}
		if err := s.checkAttributesIf(ctx, tx, p, "PROCEDURE", f.Attributes); err != nil {
			return 0, err
		}
		if f.Status != nil {
			if err := shopfloor.ProcedureTransition(from, *f.Status); err != nil {
				return 0, err
			}
			if err := s.statusChanged(ctx, tx, p, id, from, *f.Status); err != nil {
				return 0, err
			}
		}
		return id, update(ctx, s, tx, procedures, p, id, etag, procedureChanges(f))
	})
}

// statusChanged applies what a transition entails: the approval gate of a
// release, the withdrawal of reviews when a review returns to draft.
func (s *Store) statusChanged(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64, from, to string) error {
	switch {
	case from == shopfloor.ProcedureInReview && to == shopfloor.ProcedureReleased:
		return s.releaseGate(ctx, tx, p, id)
	case from == shopfloor.ProcedureInReview && to == shopfloor.ProcedureDraft:
		_, err := s.exec(ctx, tx, "UPDATE procedure_reviews SET deleted_at = ? WHERE procedure_id = ? AND org_id = ? AND deleted_at IS NULL",
			s.Now().UTC(), id, p.OrgID)
		return err
	}
	return nil
}

// DeleteProcedure soft-deletes a draft and its steps.
func (s *Store) DeleteProcedure(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, procedures, "DeleteProcedure", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		status, err := s.procedureStatus(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if status != shopfloor.ProcedureDraft {
			return shopfloor.Errorf(shopfloor.CodeInvalid, "Procedure status is %s: only a DRAFT procedure can be deleted; archive it instead.", status)
		}
		return s.softDeleteWhere(ctx, tx, p, steps.name, "procedure_id = ?", id)
	})
}

// CreateProcedureVersion makes the next version of a procedure's family: a
// draft with the procedure's fields and a copy of its whole step tree. A
// family has at most one version in draft or in review.
func (s *Store) CreateProcedureVersion(ctx context.Context, procedureID int64, etag string) (*shopfloor.Procedure, error) {
	return mutate(ctx, s, procedures, "CreateProcedureVersion", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if _, err := s.procedureStatus(ctx, tx, p, procedureID); err != nil {
			return 0, err
		}
		from, err := getIn(ctx, s, tx, procedures, p, procedureID)
		if err != nil {
			return 0, err
		}
		if etag != "" && etag != from.Etag {
			return 0, shopfloor.ErrEtagMismatch
		}
		var open int64
		err = s.queryRow(ctx, tx, "SELECT id FROM procedures WHERE family_id = ? AND org_id = ? AND deleted_at IS NULL AND status IN (?, ?) LIMIT 1",
			from.FamilyID, p.OrgID, shopfloor.ProcedureDraft, shopfloor.ProcedureInReview).Scan(&open)
		if err == nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Procedure familyId %d already has an open version (procedure %d); release or archive it first.", from.FamilyID, open)
		} else if err != sql.ErrNoRows {
			return 0, err
		}
		c := procedureChanges(shopfloor.ProcedureFields{Title: &from.Title, Description: from.Description, Type: from.Type,
			ExportControlled: &from.ExportControlled, Attributes: &from.Attributes})
		c.set("family_id", from.FamilyID)
		var version int
		if err := s.queryRow(ctx, tx, "SELECT MAX(version) FROM procedures WHERE family_id = ? AND org_id = ?", from.FamilyID, p.OrgID).Scan(&version); err != nil {
			return 0, err
		}
		c.set("version", version+1)
		id, err := s.insert(ctx, tx, procedures.name, p, c)
		if err != nil {
			return 0, err
		}
		_, err = s.copySteps(ctx, tx, p, treeRoots{byProcedure: true}, procedureID, &id, nil, nil)
		return id, err
	})
}

// UpdateProcedureAttribute sets one custom attribute of a draft procedure,
// under its etag.
func (s *Store) UpdateProcedureAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.Procedure, error) {
	return setAttribute(ctx, s, procedures, "PROCEDURE", f, func(tx *sql.Tx, p *shopfloor.Principal) error {
		return s.editableProcedure(ctx, tx, p, f.OwnerID)
	})
}
