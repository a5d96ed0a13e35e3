package shopfloor

import (
	"context"
	"time"
)

// Run is one execution of a released procedure, usually against a unit (a
// part inventory): a copy of the procedure's steps and fields taken when the
// run was created, worked through on the floor. Its status rolls up from
// its steps' (RunRollup).
type Run struct {
	ID              int64
	OrgID           int64
	EntityID        int64
	ProcedureID     int64
	PartInventoryID *int64
	PartID          *int64
	Title           string
	Status          string // RunStatuses
	Attributes      Attributes
	StartedAt       *time.Time
	CompletedAt     *time.Time
	ArchivedAt      *time.Time
	Etag            string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CreatedByID     *int64
	UpdatedByID     *int64
}

// The statuses of a run, as ION writes them.
const (
	RunTodo       = "TODO"
	RunInProgress = "IN_PROGRESS"
	RunHold       = "HOLD"
	RunRedline    = "REDLINE"
	RunFailed     = "FAILED"
	RunComplete   = "COMPLETE"
	RunCanceled   = "CANCELED"
)

// RunStatuses are the statuses of a run.
var RunStatuses = []string{RunTodo, RunInProgress, RunHold, RunRedline, RunFailed, RunComplete, RunCanceled}

// RunFields are the writable fields of a run; nil means "not given".
type RunFields struct {
	ProcedureID     *int64
	PartInventoryID *int64
	PartID          *int64
	Title           *string
	Status          *string
}

// Validate normalizes and validates run fields.
func (f *RunFields) Validate(create bool) error {
	c := &check{entity: "Run"}
	if create && f.ProcedureID == nil {
		c.fail("procedureId", "is required.")
	}
	c.text("title", f.Title, false, MaxName)
	c.enum("status", f.Status, RunStatuses...)
	if create && f.Status != nil && *f.Status != RunTodo {
		c.fail("status", "of a new run must be TODO.")
	}
	return c.result()
}

// RunStartable is nil when a run may be started from a procedure in status,
// and otherwise the 422: a run executes a released version.
func RunStartable(status string) error {
	if status == ProcedureReleased {
		return nil
	}
	return Errorf(CodeInvalid, "Run procedureId names a %s procedure: only a RELEASED procedure can be run.", status)
}

// RunWritable is nil while a run and what hangs on it may change, and
// otherwise the 422: a completed, canceled or archived run is read-only.
func RunWritable(r *Run) error {
	switch {
	case r.ArchivedAt != nil:
		return Errorf(CodeInvalid, "Run %d is archived: an archived run is read-only.", r.ID)
	case r.Status == RunComplete:
		return Errorf(CodeInvalid, "Run %d is COMPLETE: a completed run is read-only.", r.ID)
	case r.Status == RunCanceled:
		return Errorf(CodeInvalid, "Run %d is CANCELED: a canceled run is read-only.", r.ID)
	}
	return nil
}

// RunRollup is a run's status from its steps' statuses, as ION derives it:
// any REDLINE step makes the run REDLINE, else any HOLD makes it HOLD, else
// any FAILED makes it FAILED, else any step in progress makes it
// IN_PROGRESS; a run whose steps are all COMPLETE (canceled steps left
// aside, and at least one) is COMPLETE, one whose steps are all TODO is TODO
// unless it was started, and any other mix is IN_PROGRESS.
func RunRollup(stepStatuses []string, started bool) string {
	count := map[string]int{}
	for _, s := range stepStatuses {
		count[s]++
	}
	live := len(stepStatuses) - count[RunCanceled]
	switch {
	case count[RunRedline] > 0:
		return RunRedline
	case count[RunHold] > 0:
		return RunHold
	case count[RunFailed] > 0:
		return RunFailed
	case count[RunInProgress] > 0:
		return RunInProgress
	case live > 0 && count[RunComplete] == live:
		return RunComplete
	case count[RunComplete] == 0 && !started:
		return RunTodo
	}
	return RunInProgress
}

// RunTransition is nil when updateRun may set a run's status to to, given
// its steps' statuses, and otherwise the 422. Only IN_PROGRESS (starting
// the run), COMPLETE (once every step is) and CANCELED are set on a run;
// the other statuses derive from its steps.
func RunTransition(from, to string, steps []RunStep) error {
	if from == to {
		return nil
	}
	switch to {
	case RunCanceled:
		return nil
	case RunInProgress:
		if from == RunTodo {
			return nil
		}
	case RunComplete:
		for _, st := range steps {
			if st.Status != RunComplete && st.Status != RunCanceled {
				return Errorf(CodeInvalid, "Run status cannot be COMPLETE: step %d (%s) is %s.", st.ID, st.Label(), st.Status)
			}
		}
		return nil
	default:
		return Errorf(CodeInvalid, "Run status cannot be set to %s: it is derived from the run's steps; set it on a step.", to)
	}
	return Errorf(CodeInvalid, "Run status cannot change from %s to %s.", from, to)
}

// RunService manages runs, their steps and fields.
type RunService interface {
	Run(ctx context.Context, id int64) (*Run, error)
	Runs(ctx context.Context, opts ListOptions) (*Page[Run], error)
	RunsByIDs(ctx context.Context, ids []int64) ([]Run, error)
	// RunsByPartIDs returns each part's runs, oldest first.
	RunsByPartIDs(ctx context.Context, partIDs []int64) (map[int64][]Run, error)
	// RunsByInventoryIDs returns the runs of each unit of inventory, oldest
	// first.
	RunsByInventoryIDs(ctx context.Context, inventoryIDs []int64) (map[int64][]Run, error)
	// CreateRun starts a run of a released procedure: a copy of its whole
	// step tree, fields and dependencies, in one transaction.
	CreateRun(ctx context.Context, f RunFields) (*Run, error)
	// UpdateRun changes a run's title, or its status (RunTransition).
	UpdateRun(ctx context.Context, id int64, etag string, f RunFields) (*Run, error)
	CancelRun(ctx context.Context, id int64, etag string) (*Run, error)
	ArchiveRun(ctx context.Context, id int64, etag string) (*Run, error)
	// UpdateRunAttribute sets one custom attribute of a writable run,
	// under the run's etag.
	UpdateRunAttribute(ctx context.Context, f AttributeFields) (*Run, error)
	RunStepService
	SessionService
}
