package shopfloor

import (
	"context"
	"time"
)

// Procedure is one version of a work instruction: a tree of steps that runs
// are started from. Every version of one procedure shares its FamilyID (the
// id of the first version).
type Procedure struct {
	ID               int64
	OrgID            int64
	FamilyID         int64
	FamilyEntityID   int64 // the family's entityId: its labels hang on it
	Version          int
	Title            string
	Description      *string
	Type             *string // Proceduretypes
	Status           string  // ProcedureStatuses
	ExportControlled bool
	Attributes       Attributes
	Etag             string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	CreatedByID      *int64
	UpdatedByID      *int64
}

// Enumerations of Procedure.
var (
	ProcedureTypes = []string{"BUILD", "MAINTENANCE", "TEST", "INSPECTION"}
	// ProcedureStatuses in the order of the status machine.
	ProcedureStatuses = []string{ProcedureDraft, ProcedureInReview, ProcedureReleased, ProcedureArchived}
)

// The statuses of a procedure.
const (
	ProcedureDraft    = "DRAFT"
	ProcedureInReview = "IN_REVIEW"
	ProcedureReleased = "RELEASED"
	ProcedureArchived = "ARCHIVED"
)

// procedureTransitions are the status changes the machine allows: a draft
// goes to review (or is archived unreleased), a review returns to draft or
// is released (through the approval gate), a release is archived. A
// released procedure changes through a new version, never back to draft.
var procedureTransitions = map[string][]string{
	ProcedureDraft:    {ProcedureInReview, ProcedureArchived},
	ProcedureInReview: {ProcedureDraft, ProcedureReleased},
	ProcedureReleased: {ProcedureArchived},
	ProcedureArchived: nil,
}

// ProcedureTransition is nil when a procedure may move from status from to
// status to, and otherwise the 422 naming both and what is allowed. Staying
// in the same status is no transition and always allowed. The approval gate
// of a release is checked apart (ApprovalGate), with the approvals.
func ProcedureTransition(from, to string) error {
	if from == to {
		return nil
	}
	return statusTransition("Procedure", procedureTransitions, from, to)
}

// ProcedureEditable is nil for a draft, and otherwise the 422 refusing a
// change of the procedure or of anything under it (steps, fields,
// datagrids, dependencies): only a draft is edited, a released procedure
// through a new version.
func ProcedureEditable(status string) error {
	if status == ProcedureDraft {
		return nil
	}
	return Errorf(CodeInvalid, "Procedure status is %s: only a DRAFT procedure can be edited.", status)
}

// ProcedureFields are the writable fields of a procedure; nil means "not
// given". Status moves the procedure through its status machine.
type ProcedureFields struct {
	Title            *string
	Description      *string
	Type             *string
	ExportControlled *bool
	Attributes       *Attributes
	Status           *string
}

// ProcedureMaxDescription is the longest procedure description.
const ProcedureMaxDescription = 4096

// Validate normalizes and validates procedure fields.
func (f *ProcedureFields) Validate(create bool) error {
	c := &check{entity: "Procedure"}
	c.text("title", f.Title, create, MaxName)
	c.text("description", f.Description, false, ProcedureMaxDescription)
	c.enum("type", f.Type, ProcedureTypes...)
	c.enum("status", f.Status, ProcedureStatuses...)
	c.attributes("attributes", f.Attributes)
	if create && f.Status != nil && *f.Status != ProcedureDraft {
		c.fail("status", "of a new procedure must be DRAFT.")
	}
	return c.result()
}

// OnlyStatus reports whether the fields change nothing but the status: the
// one change a procedure that is not a draft takes.
func (f *ProcedureFields) OnlyStatus() bool {
	return f.Title == nil && f.Description == nil && f.Type == nil && f.ExportControlled == nil && f.Attributes == nil
}

// ProcedureService manages procedures, their versions, reviews and the
// organization's approval roles.
type ProcedureService interface {
	Procedure(ctx context.Context, id int64) (*Procedure, error)
	Procedures(ctx context.Context, opts ListOptions) (*Page[Procedure], error)
	ProceduresByIDs(ctx context.Context, ids []int64) ([]Procedure, error)
	CreateProcedure(ctx context.Context, f ProcedureFields) (*Procedure, error)
	// UpdateProcedure changes a draft's fields, or any procedure's status
	// through the status machine; a release passes the approval gate.
	UpdateProcedure(ctx context.Context, id int64, etag string, f ProcedureFields) (*Procedure, error)
	// UpdateProcedureAttribute sets one custom attribute of a draft, under its etag.
	UpdateProcedureAttribute(ctx context.Context, f AttributeFields) (*Procedure, error)
	DeleteProcedure(ctx context.Context, id int64, etag string) error
	// CreateProcedureVersion makes the next version of a procedure's
	// family: a draft with its fields and a copy of its steps.
	CreateProcedureVersion(ctx context.Context, procedureID int64, etag string) (*Procedure, error)
	ReviewService
	StepService
	LabelService
}
