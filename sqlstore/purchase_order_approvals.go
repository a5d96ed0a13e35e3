package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

var approvalLevels = &table[shopfloor.ApprovalLevel]{
	entity: "PurchaseOrderApprovalLevel", name: "purchase_order_approval_levels", alias: "al",
	joins:   " LEFT JOIN roles alr ON alr.id = al.role_id",
	selects: "al.id, al.org_id, al.role_id, alr.name, al.cost_threshold, al.etag, al.created_at, al.updated_at, al.created_by_id, al.updated_by_id",
	fields: map[string]column{
		"id":     {"al.id", kindID},
		"roleId": {"al.role_id", kindID},
	},
	dest: func(v *shopfloor.ApprovalLevel) []any {
		return []any{&v.ID, &v.OrgID, &v.RoleID, &v.RoleName, &v.ThresholdCents, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var approvals = &table[shopfloor.PurchaseOrderApproval]{
	entity: "PurchaseOrderApproval", name: "purchase_order_approvals", alias: "pa",
	selects: "pa.id, pa.org_id, pa.purchase_order_id, pa.reviewer_id, pa.role_ids, pa.comment, pa.etag, pa.created_at, pa.updated_at, pa.created_by_id, pa.updated_by_id",
	dest: func(v *shopfloor.PurchaseOrderApproval) []any {
		return []any{&v.ID, &v.OrgID, &v.PurchaseOrderID, &v.ReviewerID, &v.RoleIDs, &v.Comment, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var approvalRequests = &table[shopfloor.PurchaseOrderApprovalRequest]{
	entity: "PurchaseOrderApprovalRequest", name: "purchase_order_approval_requests", alias: "par",
	selects: "par.id, par.org_id, par.purchase_order_id, par.reviewer_id, par.etag, par.created_at, par.updated_at, par.created_by_id, par.updated_by_id",
	dest: func(v *shopfloor.PurchaseOrderApprovalRequest) []any {
		return []any{&v.ID, &v.OrgID, &v.PurchaseOrderID, &v.ReviewerID, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// ApprovalLevels lists the organization's purchase-order approval policy.
func (s *Store) ApprovalLevels(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.ApprovalLevel], error) {
	return list(ctx, s, approvalLevels, opts)
}

// CreateApprovalLevel adds a level to the approval policy (an
// organization setting).
func (s *Store) CreateApprovalLevel(ctx context.Context, f shopfloor.ApprovalLevelFields) (*shopfloor.ApprovalLevel, error) {
	return mutate(ctx, s, approvalLevels, "UpdateOrganization", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, roles, p, *f.RoleID); err != nil {
			return 0, err
		}
		var c changes
		c.set("role_id", *f.RoleID)
		c.set("cost_threshold", *f.ThresholdCents)
		return s.insert(ctx, tx, approvalLevels.name, p, c)
	})
}

// DeleteApprovalLevel removes a level of the approval policy; reviews
// already given are kept.
func (s *Store) DeleteApprovalLevel(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, approvalLevels, "UpdateOrganization", id, etag, nil)
}

// ApprovalsByPurchaseOrderIDs returns the approvals of each order.
func (s *Store) ApprovalsByPurchaseOrderIDs(ctx context.Context, poIDs []int64) (map[int64][]shopfloor.PurchaseOrderApproval, error) {
	return grouped(ctx, s, approvals, "", "pa.purchase_order_id", poIDs)
}

// ApprovalRequestsByPurchaseOrderIDs returns the review requests of each order.
func (s *Store) ApprovalRequestsByPurchaseOrderIDs(ctx context.Context, poIDs []int64) (map[int64][]shopfloor.PurchaseOrderApprovalRequest, error) {
	return grouped(ctx, s, approvalRequests, "", "par.purchase_order_id", poIDs)
}

// approvalGate is the approval gate's verdict on an order of totalCents:
// each level of the policy it reaches needs an approval from its role.
func (s *Store) approvalGate(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, poID, totalCents int64) (error, error) {
	var levels []shopfloor.ApprovalLevel
	rows, err := s.query(ctx, tx, "SELECT al.role_id, r.name, al.cost_threshold FROM purchase_order_approval_levels al JOIN roles r ON r.id = al.role_id "+
		"WHERE al.org_id = ? AND al.deleted_at IS NULL ORDER BY al.cost_threshold, al.id", p.OrgID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: approval levels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l shopfloor.ApprovalLevel
		if err := rows.Scan(&l.RoleID, &l.RoleName, &l.ThresholdCents); err != nil {
			return nil, err
		}
		levels = append(levels, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var given []shopfloor.Approval
	rows, err = s.query(ctx, tx, "SELECT reviewer_id, role_ids FROM purchase_order_approvals WHERE purchase_order_id = ? AND org_id = ? AND deleted_at IS NULL", poID, p.OrgID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: approvals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a shopfloor.Approval
		var ids shopfloor.RoleIDs
		if err := rows.Scan(&a.UserID, &ids); err != nil {
			return nil, err
		}
		a.RoleIDs = ids
		given = append(given, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return shopfloor.ApprovalGate(fmt.Sprintf("approving purchase order %d", poID), shopfloor.PurchaseOrderRequirements(levels, totalCents), given), nil
}

// CreatePurchaseOrderApproval records the caller's approval of an order in
// review, with the roles they hold; when it satisfies the gate the order
// becomes APPROVED.
func (s *Store) CreatePurchaseOrderApproval(ctx context.Context, poID int64, comment *string) (*shopfloor.PurchaseOrderApproval, error) {
	return mutate(ctx, s, approvals, "CreatePurchaseOrderApproval", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		c := &changes{}
		if comment != nil {
			if err := shopfloor.CheckText("PurchaseOrderApproval", "comment", comment, shopfloor.MaxDescription); err != nil {
				return 0, err
			}
			c.set("comment", *comment)
		}
		status, err := s.lockPurchaseOrder(ctx, tx, p, poID)
		if err != nil {
			return 0, err
		}
		if status != shopfloor.PORequested {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PurchaseOrderApproval can only be given while its purchase order is REQUESTED; it is %s.", status)
		}
		var held shopfloor.RoleIDs
		rows, err := s.query(ctx, tx, userRoleIDs, p.UserID, p.UserID)
		if err != nil {
			return 0, fmt.Errorf("sqlstore: roles: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return 0, err
			}
			held = append(held, id)
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
		c.set("purchase_order_id", poID)
		c.set("reviewer_id", p.UserID)
		c.set("role_ids", held)
		id, err := s.insert(ctx, tx, approvals.name, p, *c)
		if err != nil {
			return 0, err
		}
		facts, err := s.purchaseOrderFacts(ctx, tx, p, poID, true)
		if err != nil || facts.Approval != nil {
			return id, err
		}
		if _, err := s.exec(ctx, tx, "UPDATE purchase_orders SET status = ?, etag = ?, updated_at = ?, updated_by_id = ? WHERE id = ?",
			shopfloor.POApproved, newEtag(), s.Now().UTC(), p.UserID, poID); err != nil {
			return 0, err
		}
		return id, s.outbox(ctx, tx, p, purchaseOrders.name, "UPDATE", poID)
	})
}

// CreatePurchaseOrderApprovalRequest asks a user of the org to review an order.
func (s *Store) CreatePurchaseOrderApprovalRequest(ctx context.Context, poID, reviewerID int64) (*shopfloor.PurchaseOrderApprovalRequest, error) {
	return mutate(ctx, s, approvalRequests, "CreatePurchaseOrderApprovalRequest", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if _, err := s.lockPurchaseOrder(ctx, tx, p, poID); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, users, p, reviewerID); err != nil {
			return 0, err
		}
		var c changes
		c.set("purchase_order_id", poID)
		c.set("reviewer_id", reviewerID)
		return s.insert(ctx, tx, approvalRequests.name, p, c)
	})
}

// DeletePurchaseOrderApprovalRequest withdraws a review request.
func (s *Store) DeletePurchaseOrderApprovalRequest(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, approvalRequests, "DeletePurchaseOrderApprovalRequest", id, etag, nil)
}
