package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

const runStepKind = "RunStep"

var runSteps = &table[shopfloor.RunStep]{
	entity: "RunStep", name: "run_steps", alias: "rs",
	selects: "rs.id, rs.org_id, " + entityID(runStepKind, "rs") + ", rs.run_id, rs.parent_id, rs.position, rs.origin_step_id, rs.title, rs.type, " +
		"rs.content, rs.slate_content, rs.status, rs.started_at, rs.completed_at, rs.attributes, rs.etag, rs.created_at, rs.updated_at, rs.created_by_id, rs.updated_by_id",
	derived: append([]derived{{entityID(runStepKind, "rs"), "0", []string{"entityId", "labels", "fileAttachments"}},
		omittable("rs.content", "content"), omittable("rs.slate_content", "slateContent"), omittable("rs.attributes", "attributes"),
		omittableTime("rs.started_at", "startedAt"), omittableTime("rs.completed_at", "completedAt")}, slices.Concat(recorded("rs"), authored("rs"))...),
	fields: map[string]column{"id": {"rs.id", kindID}, "runId": {"rs.run_id", kindID}},
	dest: func(v *shopfloor.RunStep) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityID, &v.RunID, &v.ParentID, &v.Position, &v.OriginStepID, &v.Title, &v.Type,
			&v.Content, jsonCol[any]{&v.SlateContent}, &v.Status, &v.StartedAt, &v.CompletedAt, &v.Attributes, &v.Etag, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}, &v.CreatedByID, &v.UpdatedByID}
	},
}

// RunStepsByIDs returns the caller's run steps among ids.
func (s *Store) RunStepsByIDs(ctx context.Context, ids []int64) ([]shopfloor.RunStep, error) {
	return byIDs(ctx, s, runSteps, ids)
}

// RunStepsByRunIDs reads every step of each run, all levels, in one
// statement, each run's by position among siblings.
func (s *Store) RunStepsByRunIDs(ctx context.Context, runIDs []int64) (map[int64][]shopfloor.RunStep, error) {
	out, err := grouped(ctx, s, runSteps, "", "rs.run_id", runIDs)
	for _, list := range out {
		byPosition(list)
	}
	return out, err
}

func byPosition(list []shopfloor.RunStep) {
	slices.SortStableFunc(list, func(a, b shopfloor.RunStep) int { return cmp.Compare(a.Position, b.Position) })
}

// runStepsIn reads a run's steps through tx.
func (s *Store) runStepsIn(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, runID int64) ([]shopfloor.RunStep, error) {
	return whereIn(ctx, s, tx, runSteps, p, "rs.run_id = ?", runID)
}

// RunStepUpstreams returns the ids of the steps each step depends on.
func (s *Store) RunStepUpstreams(ctx context.Context, stepIDs []int64) (_ map[int64][]int64, err error) {
	defer s.classify(&err)
	out := map[int64][]int64{}
	if len(stepIDs) == 0 {
		return out, nil
	}
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	in, args := s.dialect.idIn("run_step_id", stepIDs)
	rows, err := s.query(ctx, s.read, "SELECT run_step_id, upstream_run_step_id FROM run_step_edges WHERE org_id = ? AND "+in+" ORDER BY upstream_run_step_id",
		append([]any{p.OrgID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read run step edges: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var step, up int64
		if err := rows.Scan(&step, &up); err != nil {
			return nil, fmt.Errorf("sqlstore: read run step edges: %w", err)
		}
		out[step] = append(out[step], up)
	}
	return out, rows.Err()
}

// CreateRunStep adds a step to a run (under a step of it, when given), in
// REDLINE, after its siblings: a change made while the run executes, which
// leaves the procedure as it is.
func (s *Store) CreateRunStep(ctx context.Context, f shopfloor.RunStepFields) (*shopfloor.RunStep, error) {
	return mutate(ctx, s, runSteps, "CreateRunStep", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		run, err := s.lockRun(ctx, tx, p, *f.RunID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.RunWritable(run); err != nil {
			return 0, err
		}
		siblings := "parent_id IS NULL"
		args := []any{run.ID, p.OrgID}
		if f.ParentID != nil {
			parent, err := getIn(ctx, s, tx, runSteps, p, *f.ParentID)
			if err != nil {
				return 0, err
			}
			if parent.RunID != run.ID {
				return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "RunStep parentId must be a step of run %d.", run.ID)
			}
			siblings = "parent_id = ?"
			args = append(args, parent.ID)
		}
		var position int
		if err := s.queryRow(ctx, tx, "SELECT COALESCE(MAX(position) + 1, 0) FROM run_steps WHERE run_id = ? AND org_id = ? AND deleted_at IS NULL AND "+siblings,
			args...).Scan(&position); err != nil {
			return 0, fmt.Errorf("sqlstore: run step position: %w", err)
		}
		var c changes
		c.set("run_id", run.ID)
		setIf(&c, "parent_id", f.ParentID)
		c.set("position", position)
		setIf(&c, "title", f.Title)
		setIf(&c, "content", f.Content)
		c.set("status", shopfloor.RunRedline)
		id, err := s.insert(ctx, tx, runSteps.name, p, c)
		if err != nil {
			return 0, err
		}
		if err := s.registerEntity(ctx, tx, p, runStepKind, id); err != nil {
			return 0, err
		}
		return id, s.rollUp(ctx, tx, p, run, false)
	})
}

// UpdateRunStep moves a step through the state machine, and edits a
// redlined step's title and content; the run rolls up in the same
// transaction. The step's fields keep their etags; a step that stops being
// in progress checks out the people checked in to it.
func (s *Store) UpdateRunStep(ctx context.Context, id int64, etag string, f shopfloor.RunStepFields) (*shopfloor.RunStep, error) {
	return mutate(ctx, s, runSteps, "UpdateRunStep", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		f.RunID, f.ParentID = nil, nil
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		step, run, err := s.lockRunStep(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		var c changes
		if f.Title != nil || f.Content != nil {
			if err := shopfloor.RunStepEditable(step.Status); err != nil {
				return 0, err
			}
			setIf(&c, "title", f.Title)
			setIf(&c, "content", f.Content)
		}
		if f.Status != nil && *f.Status != step.Status {
			facts, err := s.runStepFacts(ctx, tx, p, step, *f.Status)
			if err != nil {
				return 0, err
			}
			if err := shopfloor.RunStepTransition(step.Status, *f.Status, facts); err != nil {
				return 0, err
			}
			c.set("status", *f.Status)
			if *f.Status == shopfloor.RunInProgress && step.StartedAt == nil {
				c.set("started_at", s.Now().UTC())
			}
			if *f.Status == shopfloor.RunComplete {
				c.set("completed_at", s.Now().UTC())
			}
			if step.Status == shopfloor.RunInProgress {
				if err := s.checkOutStep(ctx, tx, p, id); err != nil {
					return 0, err
				}
			}
		}
		if err := update(ctx, s, tx, runSteps, p, id, etag, c); err != nil {
			return 0, err
		}
		return id, s.rollUp(ctx, tx, p, run, f.Status != nil && *f.Status == shopfloor.RunInProgress)
	})
}

// lockRunStep reads a step and its run in tx, the run locked first, then
// the step as committed after the lock; a read-only run refuses.
func (s *Store) lockRunStep(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) (*shopfloor.RunStep, *shopfloor.Run, error) {
	var runID int64
	err := s.queryRow(ctx, tx, "SELECT run_id FROM run_steps WHERE "+runSteps.rowScope(), id, p.OrgID).Scan(&runID)
	if err == sql.ErrNoRows {
		return nil, nil, shopfloor.NotFound(runSteps.entity, id)
	} else if err != nil {
		return nil, nil, fmt.Errorf("sqlstore: find run step: %w", err)
	}
	run, err := s.lockRun(ctx, tx, p, runID)
	if err != nil {
		return nil, nil, err
	}
	if err := shopfloor.RunWritable(run); err != nil {
		return nil, nil, err
	}
	step, err := getIn(ctx, s, tx, runSteps, p, id)
	return step, run, err
}

// runStepFacts reads what a step's move to status depends on: its upstream
// steps to start, its fields to complete.
func (s *Store) runStepFacts(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, step *shopfloor.RunStep, to string) (shopfloor.RunStepFacts, error) {
	var facts shopfloor.RunStepFacts
	var err error
	switch to {
	case shopfloor.RunInProgress:
		facts.Upstream, err = whereIn(ctx, s, tx, runSteps, p, "rs.id IN (SELECT upstream_run_step_id FROM run_step_edges WHERE run_step_id = ?)", step.ID)
	case shopfloor.RunComplete:
		facts.Fields, err = whereIn(ctx, s, tx, runStepFields, p, "rf.run_step_id = ?", step.ID)
	}
	return facts, err
}

// UpdateRunStepAttribute sets one custom attribute of a step of a run that
// is not read-only, under the step's etag.
func (s *Store) UpdateRunStepAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.RunStep, error) {
	return setAttribute(ctx, s, runSteps, "RUN_STEP", f, func(tx *sql.Tx, p *shopfloor.Principal) error {
		_, _, err := s.lockRunStep(ctx, tx, p, *f.OwnerID)
		return err
	})
}
