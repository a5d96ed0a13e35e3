package graph

import (
	"context"
	"maps"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/graph/model"
)

// runLoaders are the batchers of runs and what hangs on them. A run's steps
// are read whole, every level, in one statement; whatever steps load, their
// fields, datagrids and dependencies then load as one batch each (the
// grids' cells, roles and signers through the procedures' batchers).
type runLoaders struct {
	run              *batcher[*shopfloor.Run]
	runStep          *batcher[*shopfloor.RunStep]
	stepsByRun       *batcher[[]shopfloor.RunStep]
	fieldsByRunStep  *batcher[[]shopfloor.RunStepField]
	columnsByRunStep *batcher[[]shopfloor.DatagridColumn]
	rowsByRunStep    *batcher[[]shopfloor.DatagridRow]
	upstreamsByStep  *batcher[[]int64]
	runsByPart       *batcher[[]shopfloor.Run]
	runsByInventory  *batcher[[]shopfloor.Run]
}

func newRunLoaders(s shopfloor.Store, l *loaders) runLoaders {
	r := runLoaders{
		run:              newBatcher(byID(s.RunsByIDs, func(v *shopfloor.Run) int64 { return v.ID })),
		runStep:          newBatcher(byID(s.RunStepsByIDs, func(v *shopfloor.RunStep) int64 { return v.ID })),
		stepsByRun:       newBatcher(s.RunStepsByRunIDs),
		fieldsByRunStep:  newBatcher(s.RunStepFieldsByStepIDs),
		columnsByRunStep: newBatcher(s.DatagridColumnsByRunStepIDs),
		rowsByRunStep:    newBatcher(s.DatagridRowsByRunStepIDs),
		upstreamsByStep:  newBatcher(s.RunStepUpstreams),
		runsByPart:       newBatcher(s.RunsByPartIDs),
		runsByInventory:  newBatcher(s.RunsByInventoryIDs),
	}
	r.stepsByRun.fetched = func(m map[int64][]shopfloor.RunStep) {
		all := slices.Concat(slices.Collect(maps.Values(m))...)
		r.runStepsLoaded(ids(all, func(st *shopfloor.RunStep) int64 { return st.ID }))
		l.labelsByEntity.register(ids(all, func(st *shopfloor.RunStep) int64 { return st.EntityID }))
	}
	r.runStep.fetched = func(m map[int64]*shopfloor.RunStep) {
		r.runStepsLoaded(slices.Collect(maps.Keys(m)))
		r.run.register(ids(derefs(slices.Collect(maps.Values(m))), func(st *shopfloor.RunStep) int64 { return st.RunID }))
	}
	r.columnsByRunStep.fetched = func(m map[int64][]shopfloor.DatagridColumn) {
		l.role.register(collect(m, func(c *shopfloor.DatagridColumn) []int64 { return idIf(c.SignoffRoleID) }))
	}
	r.rowsByRunStep.fetched = func(m map[int64][]shopfloor.DatagridRow) {
		l.valuesByRow.register(collect(m, func(r *shopfloor.DatagridRow) []int64 { return []int64{r.ID} }))
	}
	r.run.fetched = func(m map[int64]*shopfloor.Run) { l.runsLoaded(derefs(slices.Collect(maps.Values(m)))) }
	listed := func(m map[int64][]shopfloor.Run) { l.runsLoaded(slices.Concat(slices.Collect(maps.Values(m))...)) }
	r.runsByPart.fetched, r.runsByInventory.fetched = listed, listed
	return r
}

// runStepsLoaded makes the fields, datagrids and dependencies of these run
// steps one batch each.
func (r *runLoaders) runStepsLoaded(stepIDs []int64) {
	r.fieldsByRunStep.register(stepIDs)
	r.columnsByRunStep.register(stepIDs)
	r.rowsByRunStep.register(stepIDs)
	r.upstreamsByStep.register(stepIDs)
}

// runStepColumns are a run step's datagrid columns, by index.
func runStepColumns(ctx context.Context, obj *shopfloor.RunStep) ([]shopfloor.DatagridColumn, error) {
	return columnsByIndex(loadersFrom(ctx).columnsByRunStep.load(ctx, obj.ID))
}

// runStepRows are a run step's datagrid rows, by index.
func runStepRows(ctx context.Context, obj *shopfloor.RunStep) ([]shopfloor.DatagridRow, error) {
	return rowsByIndex(loadersFrom(ctx).rowsByRunStep.load(ctx, obj.ID))
}

// runsLoaded makes the steps, labels, procedures, units and parts of these
// runs one batch each.
func (l *loaders) runsLoaded(items []shopfloor.Run) {
	l.stepsByRun.register(ids(items, func(v *shopfloor.Run) int64 { return v.ID }))
	l.labelsByEntity.register(ids(items, func(v *shopfloor.Run) int64 { return v.EntityID }))
	l.procedure.register(ids(items, func(v *shopfloor.Run) int64 { return v.ProcedureID }))
	var inventories, parts []int64
	for _, v := range items {
		inventories = append(inventories, idIf(v.PartInventoryID)...)
		parts = append(parts, idIf(v.PartID)...)
	}
	l.inventory.register(inventories)
	l.part.register(parts)
}

// sessionsLoaded makes the steps and people of these sessions one batch
// each.
func (l *loaders) sessionsLoaded(items []shopfloor.Session) {
	l.runStep.register(ids(items, func(v *shopfloor.Session) int64 { return v.RunStepID }))
	var people []int64
	for _, v := range items {
		people = append(people, idIf(v.CreatedByID)...)
	}
	l.user.register(people)
}

// runStepChildren are the steps of a run directly under parent (nil: the
// top level), by position.
func runStepChildren(ctx context.Context, runID int64, parent *int64) ([]shopfloor.RunStep, error) {
	all, err := loadersFrom(ctx).stepsByRun.load(ctx, runID)
	child := func(st *shopfloor.RunStep) bool {
		return (parent == nil && st.ParentID == nil) || (parent != nil && st.ParentID != nil && *st.ParentID == *parent)
	}
	n := 0
	for i := range all {
		if child(&all[i]) {
			n++
		}
	}
	if n == len(all) && n > 0 {
		return all, err // a run without nested steps: its steps as loaded
	}
	out := make([]shopfloor.RunStep, 0, n)
	for i := range all {
		if child(&all[i]) {
			out = append(out, all[i])
		}
	}
	return out, err
}

func runPayload(v *shopfloor.Run, err error) (*model.RunPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.RunPayload{Run: v}, nil
}

func sessionPayload(v *shopfloor.Session, err error) (*model.SessionPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.SessionPayload{Session: v}, nil
}

func runStepFieldPayload(v *shopfloor.RunStepField, err error) (*model.RunStepFieldPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.RunStepFieldPayload{RunStepField: v}, nil
}
