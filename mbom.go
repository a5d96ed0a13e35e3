package shopfloor

import (
	"context"
	"fmt"
	"time"
)

// MBom is one version of an assembly part's manufacturing BOM: the items
// under the part that a version holds. A part has at most one RELEASED
// version and at most one open one (DRAFT or IN_REVIEW); items change only
// in a DRAFT, and a part's effective mBOM is its released version's items,
// or its open version's while none is released.
type MBom struct {
	ID          int64
	OrgID       int64
	PartID      int64
	Version     int
	Status      string // MBomStatuses
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// The statuses of an mBOM version.
const (
	MBomDraft    = "DRAFT"
	MBomInReview = "IN_REVIEW"
	MBomReleased = "RELEASED"
	MBomArchived = "ARCHIVED"
)

// MBomStatuses in the order of the status machine.
var MBomStatuses = []string{MBomDraft, MBomInReview, MBomReleased, MBomArchived}

// GateMBomRelease is the approval gate of releasing an mBOM version
// (ION's gateType RELEASED).
const GateMBomRelease = "MBOM_RELEASED"

// MBomGateTypes are the gate types of createMbomApprovalRole, by the
// approval gate each names.
var MBomGateTypes = map[string]string{"RELEASED": GateMBomRelease}

// mbomTransitions: a draft goes to review, a review returns to draft or is
// released (through the approval gate), a release is archived (releasing
// the next version archives it too).
var mbomTransitions = map[string][]string{
	MBomDraft:    {MBomInReview},
	MBomInReview: {MBomDraft, MBomReleased},
	MBomReleased: {MBomArchived},
	MBomArchived: nil,
}

// MBomTransitionFacts are what a status change of an mBOM version depends
// on: its id, how many items it holds, and for a release the approvals the
// organization requires and those the version holds.
type MBomTransitionFacts struct {
	ID           int64
	Items        int
	Requirements []ApprovalRequirement
	Approvals    []Approval
}

// MBomTransition is nil when an mBOM version may move from status from to
// status to, and otherwise the 422 of the machine, the 422 of a review of
// an empty mBOM, or the approval gate's 403 of a release without the
// approvals required. Staying in the same status is always allowed.
func MBomTransition(from, to string, f MBomTransitionFacts) error {
	if from == to {
		return nil
	}
	if err := statusTransition("MBom", mbomTransitions, from, to); err != nil {
		return err
	}
	switch to {
	case MBomInReview:
		if f.Items == 0 {
			return Errorf(CodeInvalid, "MBom status cannot be IN_REVIEW: mBOM %d has no items.", f.ID)
		}
	case MBomReleased:
		return ApprovalGate(fmt.Sprintf("releasing mBOM %d", f.ID), f.Requirements, f.Approvals)
	}
	return nil
}

// MBomEditable is nil for a draft, and otherwise the 422 refusing a change
// of its items (and their substitutes and reference designators): the
// change came through the entity's field, of value id.
func MBomEditable(entity, field string, id, mbomID int64, status string) error {
	if status == MBomDraft {
		return nil
	}
	return Errorf(CodeInvalid, "%s %s %d: mBOM %d is %s; only a DRAFT mBOM can be edited.", entity, field, id, mbomID, status)
}

// MBomReview is an approver's approval of an mBOM version in review, with
// the roles the approver held when giving it (a procedure's Review's twin).
type MBomReview struct {
	ID          int64
	OrgID       int64
	MBomID      int64
	ApproverID  int64
	RoleIDs     []int64
	Comment     *string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// MBomReviewCheck validates a review of an mBOM version in status.
func MBomReviewCheck(status string, comment *string) error {
	c := &check{entity: "MBomReview"}
	c.text("comment", comment, false, ReviewMaxComment)
	if c.err == nil && status != MBomInReview {
		c.fail("mbomId", "must name a version IN_REVIEW; it is %s.", status)
	}
	return c.result()
}

// MBomVersionService manages the versions of mBOMs and their approvals.
type MBomVersionService interface {
	MBom(ctx context.Context, id int64) (*MBom, error)
	MBoms(ctx context.Context, opts ListOptions) (*Page[MBom], error)
	MBomsByIDs(ctx context.Context, ids []int64) ([]MBom, error)
	// MBomItemsByMBomIDs are the items each version holds.
	MBomItemsByMBomIDs(ctx context.Context, ids []int64) (map[int64][]MBomItem, error)
	// CreateMBom makes the next version of a part's mBOM: a draft with a
	// copy of the released version's items (empty when none is released).
	CreateMBom(ctx context.Context, partID int64) (*MBom, error)
	// UpdateMBom moves a version through MBomTransition; releasing it
	// archives the part's previously released version.
	UpdateMBom(ctx context.Context, id int64, etag string, status string) (*MBom, error)
	// CreateMBomReview approves a version in review as the caller.
	CreateMBomReview(ctx context.Context, mbomID int64, comment *string) (*MBomReview, error)
	MBomReviewsByMBomIDs(ctx context.Context, ids []int64) (map[int64][]MBomReview, error)
}

// GateType is the createMbomApprovalRole gateType of an mBOM approval role
// (RELEASED), and "" for a role of another gate.
func (r *ApprovalRole) GateType() string {
	for gateType, gate := range MBomGateTypes {
		if gate == r.Gate {
			return gateType
		}
	}
	return ""
}
