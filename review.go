package shopfloor

import (
	"context"
	"time"
)

// GateProcedureRelease is the approval gate of releasing a procedure.
const GateProcedureRelease = "PROCEDURE_RELEASE"

// ApprovalRole is one approval an organization requires before a gated
// change: Count approvers holding the role.
type ApprovalRole struct {
	ID        int64
	OrgID     int64
	Gate      string
	RoleID    int64
	Count     int
	Etag      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ApprovalRoleFields configure an approval role.
type ApprovalRoleFields struct {
	RoleID int64
	Count  int
}

// ApprovalRoleMaxCount bounds the approvals one role may be required for.
const ApprovalRoleMaxCount = 100

// Validate checks the count.
func (f *ApprovalRoleFields) Validate() error {
	c := &check{entity: "ApprovalRole"}
	if f.Count < 1 || f.Count > ApprovalRoleMaxCount {
		c.fail("count", "must be between 1 and %d.", ApprovalRoleMaxCount)
	}
	return c.result()
}

// Review is a reviewer's approval of a procedure in review, with the roles
// the reviewer held when giving it.
type Review struct {
	ID          int64
	OrgID       int64
	ProcedureID int64
	// ApproverID is the person approving: the user, or for an API key the
	// person who made it.
	ApproverID  int64
	RoleIDs     []int64
	Comment     *string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// ReviewMaxComment is the longest review comment.
const ReviewMaxComment = 4096

// ReviewService gives reviews and configures the approvals a release needs.
type ReviewService interface {
	ApprovalRoles(ctx context.Context, opts ListOptions) (*Page[ApprovalRole], error)
	CreateApprovalRole(ctx context.Context, gate string, f ApprovalRoleFields) (*ApprovalRole, error)
	DeleteApprovalRole(ctx context.Context, id int64, etag string) error
	// CreateReview approves a procedure in review as the caller, holding
	// the roles they hold now.
	CreateReview(ctx context.Context, procedureID int64, comment *string) (*Review, error)
	ReviewsByProcedureIDs(ctx context.Context, ids []int64) (map[int64][]Review, error)
}

// ReviewCheck validates a review of a procedure in status.
func ReviewCheck(status string, comment *string) error {
	c := &check{entity: "Review"}
	c.text("comment", comment, false, ReviewMaxComment)
	if c.err == nil && status != ProcedureInReview {
		c.fail("procedureId", "must name a procedure IN_REVIEW; it is %s.", status)
	}
	return c.result()
}
