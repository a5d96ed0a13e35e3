package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

var approvalRoles = &table[shopfloor.ApprovalRole]{
	entity: "ApprovalRole", name: "approval_roles", alias: "ar",
	selects: "ar.id, ar.org_id, ar.gate, ar.role_id, ar.count, ar.etag, ar.created_at, ar.updated_at",
	fields:  map[string]column{"id": {"ar.id", kindID}, "roleId": {"ar.role_id", kindID}, "gate": {"ar.gate", kindEnum}},
	dest: func(v *shopfloor.ApprovalRole) []any {
		return []any{&v.ID, &v.OrgID, &v.Gate, &v.RoleID, &v.Count, &v.Etag, &v.CreatedAt, &v.UpdatedAt}
	},
}

var reviews = &table[shopfloor.Review]{
	entity: "Review", name: "procedure_reviews", alias: "rv",
	selects: "rv.id, rv.org_id, rv.procedure_id, rv.approver_id, rv.role_ids, rv.comment, rv.etag, rv.created_at, rv.updated_at, rv.created_by_id, rv.updated_by_id",
	fields:  map[string]column{"id": {"rv.id", kindID}},
	dest: func(v *shopfloor.Review) []any {
		return []any{&v.ID, &v.OrgID, &v.ProcedureID, &v.ApproverID, jsonCol[[]int64]{&v.RoleIDs}, &v.Comment, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// ApprovalRoles lists the approvals the caller's organization requires.
func (s *Store) ApprovalRoles(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.ApprovalRole], error) {
	return list(ctx, s, approvalRoles, opts)
}

// CreateApprovalRole requires count approvals from holders of a role at a
// gate; a role is required once per gate.
func (s *Store) CreateApprovalRole(ctx context.Context, gate string, f shopfloor.ApprovalRoleFields) (*shopfloor.ApprovalRole, error) {
	return mutate(ctx, s, approvalRoles, "UpdateOrganization", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, roles, p, f.RoleID); err != nil {
			return 0, err
		}
		var c changes
		c.set("gate", gate)
		c.set("role_id", f.RoleID)
		c.set("count", f.Count)
		id, err := s.insert(ctx, tx, approvalRoles.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "ApprovalRole roleId %d is already required.", f.RoleID)
		}
		return id, err
	})
}

// DeleteApprovalRole stops requiring an approval.
func (s *Store) DeleteApprovalRole(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, approvalRoles, "UpdateOrganization", id, etag, nil)
}

// ReviewsByProcedureIDs returns the reviews each procedure holds.
func (s *Store) ReviewsByProcedureIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.Review, error) {
	return grouped(ctx, s, reviews, "", "rv.procedure_id", ids)
}

// CreateReview approves a procedure in review as the person the caller
// acts for, recording the roles they hold now (directly and through teams).
func (s *Store) CreateReview(ctx context.Context, procedureID int64, comment *string) (*shopfloor.Review, error) {
	return mutate(ctx, s, reviews, "CreateReview", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		status, err := s.procedureStatus(ctx, tx, p, procedureID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.ReviewCheck(status, comment); err != nil {
			return 0, err
		}
		return s.insertReview(ctx, tx, p, reviews.name, "procedure_id", procedureID, comment)
	})
}

// insertReview records an approval of the row that ownerCol names, given
// by the person the caller acts for, with the roles they hold now: a
// procedure's review or an mBOM version's.
func (s *Store) insertReview(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, table, ownerCol string, ownerID int64, comment *string) (int64, error) {
	approver, err := s.person(ctx, tx, p)
	if err != nil {
		return 0, err
	}
	held, err := s.heldRoles(ctx, tx, approver)
	if err != nil {
		return 0, err
	}
	var c changes
	c.set(ownerCol, ownerID)
	c.set("approver_id", approver)
	c.set("role_ids", jsonText(held))
	setIf(&c, "comment", comment)
	return s.insert(ctx, tx, table, p, c)
}

// heldRoles are the roles a user holds, directly and through teams.
func (s *Store) heldRoles(ctx context.Context, tx *sql.Tx, userID int64) ([]int64, error) {
	rows, err := s.query(ctx, tx, userRoleIDs+" ORDER BY 1", userID, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: held roles: %w", err)
	}
	defer rows.Close()
	held := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		held = append(held, id)
	}
	return held, rows.Err()
}

// releaseGate is the approval gate of releasing a procedure: the approval
// roles of the organization against the reviews the procedure holds.
func (s *Store) releaseGate(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, procedureID int64) error {
	reqs, approvals, err := s.gateFacts(ctx, tx, p, shopfloor.GateProcedureRelease, reviews.name, "procedure_id", procedureID)
	if err != nil || len(reqs) == 0 {
		return err
	}
	return shopfloor.ApprovalGate(fmt.Sprintf("releasing procedure %d", procedureID), reqs, approvals)
}

// gateFacts are what an approval gate decides on: the organization's
// approval roles at gate and, when there are any, the approvals (rows of
// reviewTable, holding approver_id and role_ids) given to the row id of
// subjectCol.
func (s *Store) gateFacts(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, gate, reviewTable, subjectCol string, id int64) ([]shopfloor.ApprovalRequirement, []shopfloor.Approval, error) {
	rows, err := s.query(ctx, tx, "SELECT ar.role_id, r.name, ar.count FROM approval_roles ar JOIN roles r ON r.id = ar.role_id "+
		"WHERE ar.org_id = ? AND ar.gate = ? AND ar.deleted_at IS NULL ORDER BY r.name", p.OrgID, gate)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlstore: approval roles: %w", err)
	}
	var reqs []shopfloor.ApprovalRequirement
	for rows.Next() {
		var r shopfloor.ApprovalRequirement
		if err := rows.Scan(&r.RoleID, &r.RoleName, &r.Count); err != nil {
			rows.Close()
			return nil, nil, err
		}
		reqs = append(reqs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(reqs) == 0 {
		return nil, nil, err
	}
	rows, err = s.query(ctx, tx, "SELECT approver_id, role_ids FROM "+reviewTable+" WHERE "+subjectCol+" = ? AND org_id = ? AND deleted_at IS NULL", id, p.OrgID)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlstore: reviews: %w", err)
	}
	defer rows.Close()
	var approvals []shopfloor.Approval
	for rows.Next() {
		var a shopfloor.Approval
		if err := rows.Scan(&a.UserID, jsonCol[[]int64]{&a.RoleIDs}); err != nil {
			return nil, nil, err
		}
		approvals = append(approvals, a)
	}
	return reqs, approvals, rows.Err()
}
