package shopfloor

import (
	"context"
	"slices"
	"strings"
	"time"
)

// RunStep is a step of a run: a copy of a procedure's step (OriginStepID),
// or one added to the run as a redline.
type RunStep struct {
	ID           int64
	OrgID        int64
	EntityID     int64
	RunID        int64
	ParentID     *int64
	Position     int
	OriginStepID *int64
	Title        *string
	Type         string // StepTypes
	Content      *string
	SlateContent any
	Status       string // RunStepStatuses
	StartedAt    *time.Time
	CompletedAt  *time.Time
	Attributes   Attributes // its step's when the run was created, then its own
	Etag         string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	CreatedByID  *int64
	UpdatedByID  *int64
}

// Label names the step in messages: its title, or "untitled".
func (s *RunStep) Label() string {
	if s.Title == nil || *s.Title == "" {
		return "untitled"
	}
	return *s.Title
}

// RunStepStatuses are the states of a run step, as ION writes them (the
// same names as a run's).
var RunStepStatuses = RunStatuses

// runStepTransitions is the step state machine: a step is started, then
// completed or failed; it may be put on hold (and resumed), redlined
// (changed, then returned to TODO) or canceled; COMPLETE and CANCELED are
// final.
var runStepTransitions = map[string][]string{
	RunTodo:       {RunInProgress, RunHold, RunRedline, RunCanceled},
	RunInProgress: {RunComplete, RunHold, RunFailed, RunRedline, RunCanceled},
	RunHold:       {RunTodo, RunInProgress, RunCanceled},
	RunRedline:    {RunTodo, RunCanceled},
	RunFailed:     {RunRedline, RunHold, RunCanceled},
	RunComplete:   nil,
	RunCanceled:   nil,
}

// RunStepFacts are what a step's transition depends on besides its status.
type RunStepFacts struct {
	// Upstream are the steps this one depends on.
	Upstream []RunStep
	// Fields are the step's fields.
	Fields []RunStepField
}

// RunStepTransition is nil when a run step may move from status from to
// status to, and otherwise the 422 naming what forbids it: the machine, an
// upstream step not yet complete (to start), a required field without a
// value (to complete).
func RunStepTransition(from, to string, f RunStepFacts) error {
	if from == to {
		return nil
	}
	if err := statusTransition("RunStep", runStepTransitions, from, to); err != nil {
		return err
	}
	switch to {
	case RunInProgress:
		for _, up := range f.Upstream {
			if up.Status != RunComplete {
				return Errorf(CodeInvalid, "RunStep status cannot be IN_PROGRESS: upstream step %d (%s) is %s, not COMPLETE.", up.ID, up.Label(), up.Status)
			}
		}
	case RunComplete:
		for _, fld := range f.Fields {
			if fld.Required && fld.Value == nil && !fld.NotApplicable {
				return Errorf(CodeInvalid, "RunStep status cannot be COMPLETE: required field %d (%s) has no value.", fld.ID, fld.Name)
			}
		}
	}
	return nil
}

// statusTransition is nil when machine lets entity's status move from from
// to to, and otherwise the 422 naming both and what is allowed.
func statusTransition(entity string, machine map[string][]string, from, to string) error {
	next := machine[from]
	if slices.Contains(next, to) {
		return nil
	}
	allowed := "none: it is final"
	if len(next) > 0 {
		allowed = strings.Join(next, ", ")
	}
	return Errorf(CodeInvalid, "%s status cannot change from %s to %s; allowed from %s: %s.", entity, from, to, from, allowed)
}

// RunStepFields are the writable fields of a run step; nil means "not
// given". Title and content change only while the step is REDLINE.
type RunStepFields struct {
	RunID    *int64
	ParentID *int64
	Title    *string
	Content  *string
	Status   *string
}

// Validate normalizes and validates run step fields.
func (f *RunStepFields) Validate(create bool) error {
	c := &check{entity: "RunStep"}
	if create && f.RunID == nil {
		c.fail("runId", "is required.")
	}
	c.text("title", f.Title, false, MaxName)
	if f.Content != nil {
		c.length("content", *f.Content, StepMaxContent)
	}
	c.enum("status", f.Status, RunStepStatuses...)
	return c.result()
}

// RunStepEditable is nil when a step's title and content may change: only
// a redlined step is edited, which records the change on the run without
// touching the procedure.
func RunStepEditable(status string) error {
	if status == RunRedline {
		return nil
	}
	return Errorf(CodeInvalid, "RunStep status is %s: only a REDLINE step can be edited.", status)
}

// RunStepField is an input of a run step: a copy of a step field (or one
// added by a redline) with the value entered while the step runs.
type RunStepField struct {
	ID                 int64
	OrgID              int64
	RunStepID          int64
	OriginFieldID      *int64
	Name               string
	Type               string // FieldTypes
	Unit               *string
	Options            any
	Required           bool
	AllowNotApplicable bool
	// Validations are the step field's, as copied (fieldId names a field
	// of the procedure's step: the originFieldId of its run copy).
	Validations   []StepFieldValidation
	Value         any
	NotApplicable bool
	Etag          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CreatedByID   *int64
	UpdatedByID   *int64
}

// RunStepFieldValueCheck validates a value entered in a field of a step in
// stepStatus, against the field's type (FieldValueCheck), and returns the
// value to store: values are entered while the step is IN_PROGRESS, and a
// field is marked not applicable only where it allows it.
func RunStepFieldValueCheck(f *RunStepField, stepStatus string, value any, notApplicable *bool) (any, error) {
	if err := enteredInProgress("RunStepField", &f.RunStepID, stepStatus); err != nil {
		return nil, err
	}
	if notApplicable != nil && *notApplicable && !f.AllowNotApplicable {
		return nil, Errorf(CodeInvalid, "RunStepField notApplicable is not allowed for field %d (%s).", f.ID, f.Name)
	}
	return FieldValueCheck("RunStepField", "field", f.Type, f.Options, value)
}

// enteredInProgress is nil when a value of entity may be entered on run
// step stepID in stepStatus: only while it is IN_PROGRESS.
func enteredInProgress(entity string, stepID *int64, stepStatus string) error {
	if stepStatus == RunInProgress {
		return nil
	}
	return Errorf(CodeInvalid, "%s value can only be entered while its step is IN_PROGRESS; step %d is %s.", entity, *stepID, stepStatus)
}

// RunStepService manages the steps of runs and their fields.
type RunStepService interface {
	// RunStepsByIDs returns the run steps among ids.
	RunStepsByIDs(ctx context.Context, ids []int64) ([]RunStep, error)
	// RunStepsByRunIDs reads every step of each run, all levels, ordered
	// by parent and position.
	RunStepsByRunIDs(ctx context.Context, runIDs []int64) (map[int64][]RunStep, error)
	// RunStepUpstreams returns the ids of the steps each step depends on.
	RunStepUpstreams(ctx context.Context, stepIDs []int64) (map[int64][]int64, error)
	// CreateRunStep adds a step to a run, in REDLINE.
	CreateRunStep(ctx context.Context, f RunStepFields) (*RunStep, error)
	// UpdateRunStep moves a step through its state machine (and edits a
	// redlined step); the run's status rolls up in the same transaction.
	UpdateRunStep(ctx context.Context, id int64, etag string, f RunStepFields) (*RunStep, error)
	// UpdateRunStepAttribute sets one custom attribute of a writable run's step, under the step's etag.
	UpdateRunStepAttribute(ctx context.Context, f AttributeFields) (*RunStep, error)

	RunStepFieldsByStepIDs(ctx context.Context, ids []int64) (map[int64][]RunStepField, error)
	// DatagridColumnsByRunStepIDs and DatagridRowsByRunStepIDs return each
	// run step's grid: its copy of its origin step's, as redlines changed it.
	DatagridColumnsByRunStepIDs(ctx context.Context, ids []int64) (map[int64][]DatagridColumn, error)
	DatagridRowsByRunStepIDs(ctx context.Context, ids []int64) (map[int64][]DatagridRow, error)
	// CreateRunStepField adds a field to a redlined step.
	CreateRunStepField(ctx context.Context, runStepID int64, f StepFieldFields) (*RunStepField, error)
	UpdateRunStepFieldValue(ctx context.Context, id int64, etag string, value any, notApplicable *bool) (*RunStepField, error)
}
