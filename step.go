package shopfloor

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Step is one step of a procedure (or, without one, a standard step):
// content or a datagrid, with fields, nested steps and dependencies.
type Step struct {
	ID                int64
	OrgID             int64
	EntityID          int64
	ProcedureID       *int64
	ParentID          *int64
	Position          int // among its siblings, from 0
	Title             *string
	Type              string // StepTypes
	Content           *string
	SlateContent      any
	LeadTime          any
	LocationID        *int64
	LocationSubtypeID *int64
	OriginStepID      *int64
	Attributes        Attributes
	Etag              string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	CreatedByID       *int64
	UpdatedByID       *int64
	// Path is the position of the step and its ancestors, from the top:
	// [1 0 2] is step 1.0.2, the third child of the first child of the
	// second top-level step. Its length is the step's depth.
	Path []int
}

// StepTypes are the kinds of step.
var StepTypes = []string{"CONTENT", "DATAGRID"}

// StepMaxDepth is how deep steps nest: a top-level step is at depth 1.
const StepMaxDepth = 5

// PositionPath is the step's position in dot notation, from 0: "1.0.2".
func (s *Step) PositionPath() string {
	parts := make([]string, len(s.Path))
	for i, p := range s.Path {
		parts[i] = strconv.Itoa(p)
	}
	return strings.Join(parts, ".")
}

// StepDepth is nil when a step at depth fits, and otherwise the 422
// naming the limit.
func StepDepth(depth int) error {
	if depth <= StepMaxDepth {
		return nil
	}
	return Errorf(CodeInvalid, "Step parentId would nest steps %d levels deep; at most %d are allowed.", depth, StepMaxDepth)
}

// StepMove is where updateStep moves a step: under ParentID when ParentSet
// (nil: the top level), to Position among its siblings there (nil: where
// it is, or after the last of new siblings).
type StepMove struct {
	ParentSet bool
	ParentID  *int64
	Position  *int
}

// Moves reports whether m moves the step at all.
func (m StepMove) Moves() bool { return m.ParentSet || m.Position != nil }

// StepMoveCheck validates a move to position among siblings other steps
// (0 to siblings, the end), under a parent that must not be the step
// itself or under it (underItself).
func StepMoveCheck(position, siblings int, underItself bool) error {
	c := &check{entity: "Step"}
	switch {
	case underItself:
		c.fail("parentId", "must not be the step itself or a step under it.")
	case position < 0 || position > siblings:
		c.fail("position", "must be between 0 and %d.", siblings)
	}
	return c.result()
}

// StepFields are the writable fields of a step; nil means "not given".
type StepFields struct {
	ProcedureID       *int64
	ParentID          *int64
	Title             *string
	Type              *string
	Content           *string
	SlateContent      any
	LeadTime          any
	LocationID        *int64
	LocationSubtypeID *int64
	Attributes        *Attributes
}

// StepMaxContent is the largest content of a step, and of its Slate JSON.
const StepMaxContent = 1 << 20

// Validate normalizes and validates step fields.
func (f *StepFields) Validate(create bool) error {
	c := &check{entity: "Step"}
	c.text("title", f.Title, false, MaxName)
	c.enum("type", f.Type, StepTypes...)
	if f.Content != nil {
		c.length("content", *f.Content, StepMaxContent)
	}
	c.json("slateContent", f.SlateContent, StepMaxContent)
	c.json("leadTime", f.LeadTime, MaxName)
	c.attributes("attributes", f.Attributes)
	if create && f.Type == nil {
		f.Type = ptr("CONTENT")
	}
	return c.result()
}

// StepService manages steps and what hangs on them.
type StepService interface {
	Step(ctx context.Context, id int64) (*Step, error)
	Steps(ctx context.Context, opts ListOptions) (*Page[Step], error)
	StepsByIDs(ctx context.Context, ids []int64) ([]Step, error)
	// StepTrees reads the whole step tree of each procedure, every level,
	// in one statement, ordered by position path.
	StepTrees(ctx context.Context, procedureIDs []int64) (map[int64][]Step, error)
	// StepSubtrees reads the steps under each step, every level.
	StepSubtrees(ctx context.Context, stepIDs []int64) (map[int64][]Step, error)
	// StepPaths returns each step's position path from the top.
	StepPaths(ctx context.Context, ids []int64) (map[int64][]int, error)
	CreateStep(ctx context.Context, f StepFields) (*Step, error)
	// UpdateStep changes a step's fields and, as move says, its place.
	UpdateStep(ctx context.Context, id int64, etag string, f StepFields, move StepMove) (*Step, error)
	// UpdateStepAttribute sets one custom attribute of a step that may change, under its etag.
	UpdateStepAttribute(ctx context.Context, f AttributeFields) (*Step, error)
	// CopyStep copies a step with its nested steps, fields and datagrid
	// under a procedure and parent (both optional).
	CopyStep(ctx context.Context, stepID int64, procedureID, parentID *int64) (*Step, error)
	DeleteStep(ctx context.Context, id int64, etag string) error

	StepFieldsByStepIDs(ctx context.Context, ids []int64) (map[int64][]StepField, error)
	CreateStepField(ctx context.Context, stepID int64, f StepFieldFields) (*StepField, error)
	UpdateStepField(ctx context.Context, id int64, etag string, f StepFieldFields) (*StepField, error)
	DeleteStepField(ctx context.Context, id int64, etag string) error

	StepEdgesByStepIDs(ctx context.Context, ids []int64) (map[int64][]StepEdge, error)
	CreateStepEdge(ctx context.Context, stepID, upstreamStepID int64) (*StepEdge, error)
	DeleteStepEdge(ctx context.Context, id int64, etag string) error

	DatagridColumnsByStepIDs(ctx context.Context, ids []int64) (map[int64][]DatagridColumn, error)
	DatagridRowsByStepIDs(ctx context.Context, ids []int64) (map[int64][]DatagridRow, error)
	DatagridValuesByRowIDs(ctx context.Context, ids []int64) (map[int64][]DatagridValue, error)
	CreateDatagridColumn(ctx context.Context, f DatagridColumnFields) (*DatagridColumn, error)
	CreateDatagridRow(ctx context.Context, f DatagridRowFields) (*DatagridRow, error)
	UpdateDatagridColumn(ctx context.Context, id int64, etag string, f DatagridColumnFields) (*DatagridColumn, error)
	UpdateDatagridRow(ctx context.Context, id int64, etag string, f DatagridRowFields) (*DatagridRow, error)
	DeleteDatagridColumn(ctx context.Context, id int64, etag string) error
	DeleteDatagridRow(ctx context.Context, id int64, etag string) error
	ReorderDatagridColumn(ctx context.Context, id int64, etag string, place DatagridPlace) (*DatagridColumn, error)
	ReorderDatagridRow(ctx context.Context, id int64, etag string, place DatagridPlace) (*DatagridRow, error)
	// SetDatagridValue sets a cell, if etag (when given) is current.
	SetDatagridValue(ctx context.Context, rowID, columnID int64, etag string, value any, notApplicable *bool) (*DatagridValue, error)
}

// StepEdge is a dependency: the step starts once its upstream step is done.
type StepEdge struct {
	ID             int64
	OrgID          int64
	StepID         int64
	UpstreamStepID int64
	Etag           string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	CreatedByID    *int64
	UpdatedByID    *int64
}

// StepEdgeCheck validates a new dependency between two steps of the given
// procedures; cycle tells whether the step is already upstream of the
// upstream step.
func StepEdgeCheck(stepID, upstreamID int64, stepProcedure, upstreamProcedure *int64, cycle bool) error {
	c := &check{entity: "StepEdge"}
	switch {
	case stepID == upstreamID:
		c.fail("upstreamStepId", "must not be the step itself.")
	case (stepProcedure == nil) != (upstreamProcedure == nil) || (stepProcedure != nil && *stepProcedure != *upstreamProcedure):
		c.fail("upstreamStepId", "must be a step of the same procedure.")
	case cycle:
		c.fail("upstreamStepId", "would make a cycle: step %d already depends on step %d.", upstreamID, stepID)
	}
	return c.result()
}
