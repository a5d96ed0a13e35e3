package graph

import (
	"cmp"
	"context"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/graph/model"
)

func procedurePayload(p *shopfloor.Procedure, err error) (*model.ProcedurePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.ProcedurePayload{Procedure: p}, nil
}

func stepPayload(s *shopfloor.Step, err error) (*model.StepPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.StepPayload{Step: s}, nil
}

func stepFieldPayload(f *shopfloor.StepField, err error) (*model.StepFieldPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.StepFieldPayload{StepField: f}, nil
}

func columnPayload(c *shopfloor.DatagridColumn, err error) (*model.DatagridColumnPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.DatagridColumnPayload{DatagridColumn: c}, nil
}

func rowPayload(r *shopfloor.DatagridRow, err error) (*model.DatagridRowPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.DatagridRowPayload{DatagridRow: r}, nil
}

func familyLabelPayload(in model.LabelToProcedureFamilyInput, err error) (*model.LabelToProcedureFamilyPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.LabelToProcedureFamilyPayload{LabelID: in.LabelID, FamilyID: in.FamilyID}, nil
}

func itemLabelPayload(in model.LabelToItemInput, err error) (*model.LabelToItemPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.LabelToItemPayload{EntityID: in.EntityID, LabelID: in.LabelID}, nil
}

// loadIf loads an optional reference: nil loads nothing.
func loadIf[V any](ctx context.Context, b *batcher[*V], id *int64) (*V, error) {
	if id == nil {
		return nil, nil
	}
	return b.load(ctx, *id)
}

// wholePage is a nested connection's one page: every item.
func wholePage[T any](items []T) *shopfloor.Page[T] {
	return &shopfloor.Page[T]{Items: items, TotalCount: len(items)}
}

// edgeEnds are the other ends of the step's dependencies: ends gives an
// edge's (this end, other end).
func (r *stepResolver) edgeEnds(ctx context.Context, obj *shopfloor.Step, ends func(*shopfloor.StepEdge) (int64, int64)) ([]int64, error) {
	edges, err := loadersFrom(ctx).edgesByStep.load(ctx, obj.ID)
	out := []int64{}
	for i := range edges {
		if this, other := ends(&edges[i]); this == obj.ID {
			out = append(out, other)
		}
	}
	return out, err
}

// columns are the step's datagrid columns, by index.
func (r *stepResolver) columns(ctx context.Context, obj *shopfloor.Step) ([]shopfloor.DatagridColumn, error) {
	cols, err := loadersFrom(ctx).columnsByStep.load(ctx, obj.ID)
	cols = slices.Clone(cols)
	slices.SortStableFunc(cols, func(a, b shopfloor.DatagridColumn) int { return cmp.Compare(a.Index, b.Index) })
	return cols, err
}

// rows are the step's datagrid rows, by index.
func (r *stepResolver) rows(ctx context.Context, obj *shopfloor.Step) ([]shopfloor.DatagridRow, error) {
	rows, err := loadersFrom(ctx).rowsByStep.load(ctx, obj.ID)
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b shopfloor.DatagridRow) int { return cmp.Compare(a.Index, b.Index) })
	return rows, err
}
