package demo

import (
	"context"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// seedRun starts a run of the released demo procedure on a demo unit (a
// serialized inventory, when there is one), starts its first step and the
// first under it, and tracks time on them: a session checked out on the
// first, one still open on the one under it; it also starts the datagrid
// step and logs the first torque there (seedRunGrid).
func seedRun(ctx context.Context, s *sqlstore.Store, spec orgSpec) error {
	procs, err := s.Procedures(ctx, shopfloor.ListOptions{Filters: map[string]any{"status": map[string]any{"eq": shopfloor.ProcedureReleased}}})
	if err != nil || len(procs.Items) == 0 {
		return err
	}
	f := shopfloor.RunFields{ProcedureID: &procs.Items[0].ID, Title: ptr(spec.prefix + " Final assembly, first unit")}
	units, err := s.PartInventories(ctx, shopfloor.ListOptions{Filters: map[string]any{"serialNumber": map[string]any{"neq": nil}}})
	if err != nil {
		return err
	}
	if len(units.Items) > 0 {
		f.PartInventoryID, f.PartID = &units.Items[0].ID, &units.Items[0].PartID
	}
	run, err := s.CreateRun(ctx, f)
	if err != nil {
		return err
	}
	steps, err := s.RunStepsByRunIDs(ctx, []int64{run.ID})
	if err != nil || len(steps[run.ID]) == 0 {
		return err
	}
	// Start the first step and the first step under it, and enter the first
	// value there.
	var parent *int64
	var started []int64
	for range 2 {
		i := slices.IndexFunc(steps[run.ID], func(st shopfloor.RunStep) bool { return st.Position == 0 && equalID(st.ParentID, parent) })
		if i < 0 {
			return nil
		}
		st := steps[run.ID][i]
		if _, err := s.UpdateRunStep(ctx, st.ID, st.Etag, shopfloor.RunStepFields{Status: ptr(shopfloor.RunInProgress)}); err != nil {
			return err
		}
		parent = &st.ID
		started = append(started, st.ID)
	}
	for i, id := range started {
		se, err := s.CheckIn(ctx, shopfloor.SessionFields{RunStepID: &id})
		if err != nil {
			return err
		}
		if i == 0 {
			if _, err := s.CheckOut(ctx, se.ID, se.Etag, shopfloor.SessionFields{}); err != nil {
				return err
			}
		}
	}
	fields, err := s.RunStepFieldsByStepIDs(ctx, []int64{*parent})
	if err != nil || len(fields[*parent]) == 0 {
		return err
	}
	f0 := fields[*parent][0]
	if _, err = s.UpdateRunStepFieldValue(ctx, f0.ID, f0.Etag, spec.prefix+"-TW-0042", nil); err != nil {
		return err
	}
	return seedRunGrid(ctx, s, steps[run.ID])
}

// seedRunGrid starts the run's first DATAGRID step and enters a measured
// torque in the last column of its first row.
func seedRunGrid(ctx context.Context, s *sqlstore.Store, steps []shopfloor.RunStep) error {
	i := slices.IndexFunc(steps, func(st shopfloor.RunStep) bool { return st.Type == "DATAGRID" })
	if i < 0 {
		return nil
	}
	st := steps[i]
	if _, err := s.UpdateRunStep(ctx, st.ID, st.Etag, shopfloor.RunStepFields{Status: ptr(shopfloor.RunInProgress)}); err != nil {
		return err
	}
	cols, err := s.DatagridColumnsByRunStepIDs(ctx, []int64{st.ID})
	if err != nil || len(cols[st.ID]) == 0 {
		return err
	}
	rows, err := s.DatagridRowsByRunStepIDs(ctx, []int64{st.ID})
	if err != nil || len(rows[st.ID]) == 0 {
		return err
	}
	last := cols[st.ID][len(cols[st.ID])-1]
	_, err = s.SetDatagridValue(ctx, rows[st.ID][0].ID, last.ID, "", 9.8, nil)
	return err
}

func equalID(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
