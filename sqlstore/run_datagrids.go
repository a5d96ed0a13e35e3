package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

// newGridItemStep checks that a new column or row (entity) may be added to
// the grid of a procedure's step (stepID) or of a run step (runStepID; a
// stepID given too must be its origin), and returns the step it records:
// the procedure's step, or the run step's origin.
func (s *Store) newGridItemStep(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, entity string, stepID int64, runStepID *int64) (int64, error) {
	if runStepID == nil {
		_, err := s.editableStep(ctx, tx, p, stepID)
		return stepID, err
	}
	step, err := s.redlinedRunStep(ctx, tx, p, *runStepID)
	if err != nil {
		return 0, err
	}
	if step.Type != "DATAGRID" || step.OriginStepID == nil {
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "%s runStepId must name a DATAGRID step; step %d is %s.", entity, step.ID, step.Type)
	}
	if stepID != 0 && stepID != *step.OriginStepID {
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "%s stepId must be run step %d's origin step %d, or left out.", entity, step.ID, *step.OriginStepID)
	}
	return *step.OriginStepID, nil
}

// editableGrid checks that a grid's columns and rows may change: a
// procedure's step's while the procedure may (editableStep), a run step's
// while the step is REDLINE, as its fields (the run locked first).
func (s *Store) editableGrid(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, stepID int64, runStepID *int64) error {
	if runStepID == nil {
		_, err := s.editableStep(ctx, tx, p, stepID)
		return err
	}
	_, err := s.redlinedRunStep(ctx, tx, p, *runStepID)
	return err
}

// redlinedRunStep reads a run step under its run's lock, if it may be
// edited: a step of a writable run, in REDLINE.
func (s *Store) redlinedRunStep(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) (*shopfloor.RunStep, error) {
	step, _, err := s.lockRunStep(ctx, tx, p, id)
	if err != nil {
		return nil, err
	}
	return step, shopfloor.RunStepEditable(step.Status)
}

// runCellValue checks a value entered in a cell of a run step's grid
// (shopfloor.RunDatagridValueCheck) under the run's lock, and returns the
// value to store.
func (s *Store) runCellValue(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, col *shopfloor.DatagridColumn, row *shopfloor.DatagridRow,
	value any, notApplicable *bool) (any, error) {
	step, _, err := s.lockRunStep(ctx, tx, p, *row.RunStepID)
	if err != nil {
		return nil, err
	}
	holds := true
	if col.Type == "SIGNOFF" && col.SignoffRoleID != nil {
		signer, err := s.person(ctx, tx, p) // an API key signs for its creator, as reviews do
		if err != nil {
			return nil, err
		}
		held, err := s.heldRoles(ctx, tx, signer)
		if err != nil {
			return nil, err
		}
		holds = slices.Contains(held, *col.SignoffRoleID)
	}
	return shopfloor.RunDatagridValueCheck(col, row, step.Status, value, notApplicable, holds)
}
