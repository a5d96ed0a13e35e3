package graph

import (
	"context"
	"maps"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

// procedureLoaders are the batchers of procedures and what hangs on them.
// A procedure's step tree is read whole, in one statement, and primes the
// children of every step in it; whatever steps load, their fields,
// datagrids, dependencies and labels then load as one batch each, at
// every level at once.
type procedureLoaders struct {
	procedure          *batcher[*shopfloor.Procedure]
	step               *batcher[*shopfloor.Step]
	stepTree           *batcher[[]shopfloor.Step] // by procedure: every level
	stepChildren       *batcher[[]shopfloor.Step] // by step
	stepPath           *batcher[[]int]
	fieldsByStep       *batcher[[]shopfloor.StepField]
	columnsByStep      *batcher[[]shopfloor.DatagridColumn]
	rowsByStep         *batcher[[]shopfloor.DatagridRow]
	valuesByRow        *batcher[[]shopfloor.DatagridValue]
	edgesByStep        *batcher[[]shopfloor.StepEdge]
	labelsByEntity     *batcher[[]shopfloor.Label]
	reviewsByProcedure *batcher[[]shopfloor.Review]
	role               *batcher[*shopfloor.Role]
	user               *batcher[*shopfloor.User]
}

func newProcedureLoaders(s shopfloor.Store, l *loaders) procedureLoaders {
	p := procedureLoaders{
		procedure:          newBatcher(byID(s.ProceduresByIDs, func(p *shopfloor.Procedure) int64 { return p.ID })),
		step:               newBatcher(byID(s.StepsByIDs, func(st *shopfloor.Step) int64 { return st.ID })),
		stepTree:           newBatcher(s.StepTrees),
		stepPath:           newBatcher(s.StepPaths),
		fieldsByStep:       newBatcher(s.StepFieldsByStepIDs),
		columnsByStep:      newBatcher(s.DatagridColumnsByStepIDs),
		rowsByStep:         newBatcher(s.DatagridRowsByStepIDs),
		valuesByRow:        newBatcher(s.DatagridValuesByRowIDs),
		edgesByStep:        newBatcher(s.StepEdgesByStepIDs),
		labelsByEntity:     newBatcher(s.LabelsByEntityIDs),
		reviewsByProcedure: newBatcher(s.ReviewsByProcedureIDs),
		role:               newBatcher(byID(s.RolesByIDs, func(r *shopfloor.Role) int64 { return r.ID })),
		user:               newBatcher(byID(s.UsersByIDs, func(u *shopfloor.User) int64 { return u.ID })),
	}
	p.stepChildren = newBatcher(func(ctx context.Context, ids []int64) (map[int64][]shopfloor.Step, error) {
		trees, err := s.StepSubtrees(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[int64][]shopfloor.Step, len(ids))
		var all []shopfloor.Step
		for _, id := range ids {
			for i := range trees[id] {
				trees[id][i].Path = nil // relative to id: the path loads apart
			}
			all = append(all, trees[id]...)
			out[id] = childrenOf(trees[id], id)
		}
		p.treeLoaded(l, all)
		return out, nil
	})
	p.stepTree.fetched = func(m map[int64][]shopfloor.Step) {
		p.treeLoaded(l, slices.Concat(slices.Collect(maps.Values(m))...))
	}
	p.step.fetched = func(m map[int64]*shopfloor.Step) {
		p.stepsLoaded(l, derefs(slices.Collect(maps.Values(m))))
	}
	// Each hook registers what a whole batch names as one batch.
	p.fieldsByStep.fetched = func(m map[int64][]shopfloor.StepField) {
		p.role.register(collect(m, func(f *shopfloor.StepField) []int64 { return idIf(f.SignoffRoleID) }))
	}
	p.columnsByStep.fetched = func(m map[int64][]shopfloor.DatagridColumn) {
		p.role.register(collect(m, func(c *shopfloor.DatagridColumn) []int64 { return idIf(c.SignoffRoleID) }))
	}
	p.rowsByStep.fetched = func(m map[int64][]shopfloor.DatagridRow) {
		p.valuesByRow.register(collect(m, func(r *shopfloor.DatagridRow) []int64 { return []int64{r.ID} }))
	}
	p.valuesByRow.fetched = func(m map[int64][]shopfloor.DatagridValue) {
		p.user.register(collect(m, func(v *shopfloor.DatagridValue) []int64 {
			if v.Type != "SIGNOFF" {
				return nil
			}
			return idIf(v.UpdatedByID)
		}))
	}
	return p
}

// proceduresLoaded makes the step trees, labels and reviews of these
// procedures one batch each.
func (p *procedureLoaders) proceduresLoaded(items []shopfloor.Procedure) {
	p.stepTree.register(ids(items, func(v *shopfloor.Procedure) int64 { return v.ID }))
	p.reviewsByProcedure.register(ids(items, func(v *shopfloor.Procedure) int64 { return v.ID }))
	p.labelsByEntity.register(ids(items, func(v *shopfloor.Procedure) int64 { return v.FamilyEntityID }))
}

// treeLoaded primes the children of every step of a tree read whole (a
// leaf has none) and makes what hangs on its steps one batch each.
func (p *procedureLoaders) treeLoaded(l *loaders, tree []shopfloor.Step) {
	children := make(map[int64][]shopfloor.Step, len(tree))
	for _, st := range tree {
		children[st.ID] = []shopfloor.Step{}
	}
	for _, st := range tree {
		if st.ParentID != nil {
			if _, in := children[*st.ParentID]; in {
				children[*st.ParentID] = append(children[*st.ParentID], st)
			}
		}
	}
	p.stepChildren.prime(children)
	p.stepsLoaded(l, tree)
}

// stepsLoaded makes the fields, datagrids, dependencies, labels, locations
// and procedures of these steps one batch each.
func (p *procedureLoaders) stepsLoaded(l *loaders, items []shopfloor.Step) {
	stepIDs := ids(items, func(st *shopfloor.Step) int64 { return st.ID })
	p.fieldsByStep.register(stepIDs)
	p.columnsByStep.register(stepIDs)
	p.rowsByStep.register(stepIDs)
	p.edgesByStep.register(stepIDs)
	p.labelsByEntity.register(ids(items, func(st *shopfloor.Step) int64 { return st.EntityID }))
	var locs, procs, paths []int64
	for _, st := range items {
		locs = append(locs, idIf(st.LocationID)...)
		procs = append(procs, idIf(st.ProcedureID)...)
		if st.Path == nil {
			paths = append(paths, st.ID)
		}
	}
	l.location.register(locs)
	p.procedure.register(procs)
	p.stepPath.register(paths)
}

// childrenOf are the steps of tree directly under parent, in order.
func childrenOf(tree []shopfloor.Step, parent int64) []shopfloor.Step {
	out := []shopfloor.Step{}
	for _, st := range tree {
		if st.ParentID != nil && *st.ParentID == parent {
			out = append(out, st)
		}
	}
	return out
}

// collect gathers the keys each item of a batch names.
func collect[T any](m map[int64][]T, keys func(*T) []int64) []int64 {
	var out []int64
	for _, items := range m {
		for i := range items {
			out = append(out, keys(&items[i])...)
		}
	}
	return out
}

func idIf(id *int64) []int64 {
	if id == nil {
		return nil
	}
	return []int64{*id}
}

func derefs[T any](items []*T) []T {
	out := make([]T, len(items))
	for i, v := range items {
		out[i] = *v
	}
	return out
}
