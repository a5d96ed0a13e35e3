package graph

import (
	"cmp"
	"context"
	"slices"
	"strconv"

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
	return columnsByIndex(loadersFrom(ctx).columnsByStep.load(ctx, obj.ID))
}

// rows are the step's datagrid rows, by index.
func (r *stepResolver) rows(ctx context.Context, obj *shopfloor.Step) ([]shopfloor.DatagridRow, error) {
	return rowsByIndex(loadersFrom(ctx).rowsByStep.load(ctx, obj.ID))
}

func columnsByIndex(cols []shopfloor.DatagridColumn, err error) ([]shopfloor.DatagridColumn, error) {
	return byIndex(cols, func(c *shopfloor.DatagridColumn) int { return c.Index }), err
}

func rowsByIndex(rows []shopfloor.DatagridRow, err error) ([]shopfloor.DatagridRow, error) {
	return byIndex(rows, func(r *shopfloor.DatagridRow) int { return r.Index }), err
}

// byIndex is a copy of a grid's columns or rows, sorted by index.
func byIndex[T any](items []T, index func(*T) int) []T {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(a, b T) int { return cmp.Compare(index(&a), index(&b)) })
	return items
}

// linkedDatagrid is a grid's linked-list shape: each column and row names
// the one before it, each row holds its values by column id.
func linkedDatagrid(ctx context.Context, cols []shopfloor.DatagridColumn, rows []shopfloor.DatagridRow) (*model.Datagrid, error) {
	grid := &model.Datagrid{Columns: []model.DatagridLinkedColumn{}, Rows: []model.DatagridLinkedRow{}}
	var prev *int64
	for _, c := range cols {
		grid.Columns = append(grid.Columns, model.DatagridLinkedColumn{ID: c.ID, PrevID: prev, Header: c.Header, Type: c.Type, Unit: c.Unit,
			Options: c.Options, Editable: c.Editable, SignoffRoleID: c.SignoffRoleID})
		prev = &c.ID
	}
	prev = nil
	for _, row := range rows {
		values, err := loadersFrom(ctx).valuesByRow.load(ctx, row.ID)
		if err != nil {
			return nil, err
		}
		data := map[string]any{}
		for _, v := range values {
			data[strconv.FormatInt(v.ColumnID, 10)] = v.Value
		}
		grid.Rows = append(grid.Rows, model.DatagridLinkedRow{ID: row.ID, PrevID: prev, Data: data})
		prev = &row.ID
	}
	return grid, nil
}
