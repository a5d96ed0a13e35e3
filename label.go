package shopfloor

import (
	"context"
	"time"
)

// Label is a tag from the organization's one library, put on any entity
// by its entityId (a procedure family, a step).
type Label struct {
	ID          int64
	OrgID       int64
	Value       string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// LabelFields make a label.
type LabelFields struct {
	Value *string
}

// Validate normalizes and validates a label.
func (f *LabelFields) Validate() error {
	c := &check{entity: "Label"}
	c.text("value", f.Value, true, MaxName)
	return c.result()
}

// LabelService manages the label library and what labels are put on.
type LabelService interface {
	Labels(ctx context.Context, opts ListOptions) (*Page[Label], error)
	CreateLabel(ctx context.Context, f LabelFields) (*Label, error)
	// DeleteLabel deletes a label and takes it off everything it is on.
	DeleteLabel(ctx context.Context, id int64, etag string) error
	// AddLabelToProcedureFamily and RemoveLabelFromProcedureFamily label
	// every version of a procedure.
	AddLabelToProcedureFamily(ctx context.Context, labelID, familyID int64) error
	RemoveLabelFromProcedureFamily(ctx context.Context, labelID, familyID int64) error
	// AddLabelToItem and RemoveLabelFromItem label any entity by its
	// entityId (a run, a run step, a location, a part, an issue).
	AddLabelToItem(ctx context.Context, labelID, entityID int64) error
	RemoveLabelFromItem(ctx context.Context, labelID, entityID int64) error
	// LabelsByEntityIDs returns the labels on each entity, by entityId.
	LabelsByEntityIDs(ctx context.Context, entityIDs []int64) (map[int64][]Label, error)
}
