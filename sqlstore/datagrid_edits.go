package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

// UpdateDatagridColumn changes a column of a grid that may change (editableGrid), if etag
// is current. A new type or options must fit the cells already set (a
// numeric string becomes the number a NUMBER column keeps).
func (s *Store) UpdateDatagridColumn(ctx context.Context, id int64, etag string, f shopfloor.DatagridColumnFields) (*shopfloor.DatagridColumn, error) {
	return mutate(ctx, s, datagridColumns, "UpdateDatagridColumn", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		col, err := getIn(ctx, s, tx, datagridColumns, p, id)
		if err != nil {
			return 0, err
		}
		f.StepID, f.RunStepID = 0, nil // fixed when the column is made
		if err := f.Validate(false, col.Type); err != nil {
			return 0, err
		}
		if err := s.editableGrid(ctx, tx, p, col.StepID, col.RunStepID); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, roles, p, f.SignoffRoleID); err != nil {
			return 0, err
		}
		if f.Type != nil || f.Options != nil {
			if err := s.fitCells(ctx, tx, p, col, f); err != nil {
				return 0, err
			}
		}
		return id, update(ctx, s, tx, datagridColumns, p, id, etag, columnChanges(f))
	})
}

// fitCells checks the cells set in col against its changed type and
// options, and stores each one's value as the changed column keeps it.
func (s *Store) fitCells(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, col *shopfloor.DatagridColumn, f shopfloor.DatagridColumnFields) error {
	changed, field := *col, "options"
	if f.Type != nil {
		changed.Type, field = *f.Type, "type"
	}
	if f.Options != nil {
		changed.Options = f.Options
	}
	cells, err := whereIn(ctx, s, tx, datagridValues, p, "dv.column_id = ?", col.ID)
	if err != nil {
		return err
	}
	for _, cell := range cells {
		value, err := shopfloor.DatagridValueCheck(&changed, cell.Value)
		if err != nil {
			return shopfloor.Errorf(shopfloor.CodeInvalid, "DatagridColumn %s does not fit the value set in row %d; clear it first.", field, cell.RowID)
		}
		was, _ := json.Marshal(cell.Value)
		if now, _ := json.Marshal(value); string(now) == string(was) {
			continue
		}
		var c changes
		c.set("value", jsonText(value))
		if err := update(ctx, s, tx, datagridValues, p, cell.ID, cell.Etag, c); err != nil {
			return err
		}
	}
	return nil
}

// UpdateDatagridRow changes a row of a grid that may change
// (editableGrid), if etag is current.
func (s *Store) UpdateDatagridRow(ctx context.Context, id int64, etag string, f shopfloor.DatagridRowFields) (*shopfloor.DatagridRow, error) {
	return mutate(ctx, s, datagridRows, "UpdateDatagridRow", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		row, err := getIn(ctx, s, tx, datagridRows, p, id)
		if err != nil {
			return 0, err
		}
		if err := s.editableGrid(ctx, tx, p, row.StepID, row.RunStepID); err != nil {
			return 0, err
		}
		return id, update(ctx, s, tx, datagridRows, p, id, etag, rowChanges(f))
	})
}

// datagridItems are a datagrid's columns or its rows: their table, the
// column holding their index, the cells' column naming them, and what a
// message calls one.
type datagridItems[T any] struct {
	t                *table[T]
	indexCol, cellOf string
	noun             string
	del, reorder     shopfloor.Permission
	ownerOf          func(*T) (stepID int64, runStepID *int64)
}

var columnItems = datagridItems[shopfloor.DatagridColumn]{
	t: datagridColumns, indexCol: "column_index", cellOf: "column_id", noun: "column",
	del: "DeleteDatagridColumn", reorder: "ReorderDatagridColumn",
	ownerOf: func(c *shopfloor.DatagridColumn) (int64, *int64) { return c.StepID, c.RunStepID },
}

var rowItems = datagridItems[shopfloor.DatagridRow]{
	t: datagridRows, indexCol: "row_index", cellOf: "row_id", noun: "row",
	del: "DeleteDatagridRow", reorder: "ReorderDatagridRow",
	ownerOf: func(r *shopfloor.DatagridRow) (int64, *int64) { return r.StepID, r.RunStepID },
}

// DeleteDatagridColumn soft-deletes a column with its cells; the columns
// after it close the gap.
func (s *Store) DeleteDatagridColumn(ctx context.Context, id int64, etag string) error {
	return deleteDatagridItem(ctx, s, columnItems, id, etag)
}

// DeleteDatagridRow soft-deletes a row with its cells; the rows after it
// close the gap.
func (s *Store) DeleteDatagridRow(ctx context.Context, id int64, etag string) error {
	return deleteDatagridItem(ctx, s, rowItems, id, etag)
}

// ReorderDatagridColumn moves a column among its step's, if etag is
// current; every column's index then counts from 0.
func (s *Store) ReorderDatagridColumn(ctx context.Context, id int64, etag string, place shopfloor.DatagridPlace) (*shopfloor.DatagridColumn, error) {
	return reorderDatagridItem(ctx, s, columnItems, id, etag, place)
}

// ReorderDatagridRow moves a row among its step's, as ReorderDatagridColumn.
func (s *Store) ReorderDatagridRow(ctx context.Context, id int64, etag string, place shopfloor.DatagridPlace) (*shopfloor.DatagridRow, error) {
	return reorderDatagridItem(ctx, s, rowItems, id, etag, place)
}

func deleteDatagridItem[T any](ctx context.Context, s *Store, items datagridItems[T], id int64, etag string) error {
	var stepID int64
	var runStepID *int64
	return removeThen(ctx, s, items.t, items.del, id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		item, err := getIn(ctx, s, tx, items.t, p, id)
		if err != nil {
			return err
		}
		stepID, runStepID = items.ownerOf(item)
		return s.editableGrid(ctx, tx, p, stepID, runStepID)
	}, func(tx *sql.Tx, p *shopfloor.Principal) error {
		if _, err := s.exec(ctx, tx, "UPDATE datagrid_values SET deleted_at = ? WHERE "+items.cellOf+" = ? AND org_id = ? AND deleted_at IS NULL",
			s.Now().UTC(), id, p.OrgID); err != nil {
			return err
		}
		order, err := s.datagridOrder(ctx, tx, p, items.t.name, items.indexCol, stepID, runStepID)
		if err != nil {
			return err
		}
		return s.renumber(ctx, tx, items.t.name, items.indexCol, order, orderIDs(order), 0)
	})
}

func reorderDatagridItem[T any](ctx context.Context, s *Store, items datagridItems[T], id int64, etag string, place shopfloor.DatagridPlace) (*T, error) {
	return mutate(ctx, s, items.t, items.reorder, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		item, err := getIn(ctx, s, tx, items.t, p, id)
		if err != nil {
			return 0, err
		}
		stepID, runStepID := items.ownerOf(item)
		if err := s.editableGrid(ctx, tx, p, stepID, runStepID); err != nil {
			return 0, err
		}
		order, err := s.datagridOrder(ctx, tx, p, items.t.name, items.indexCol, stepID, runStepID)
		if err != nil {
			return 0, err
		}
		moved, err := shopfloor.DatagridMove(items.t.entity, items.noun, orderIDs(order), id, place)
		if err != nil {
			return 0, err
		}
		var c changes
		c.set(items.indexCol, slices.Index(moved, id))
		if err := update(ctx, s, tx, items.t, p, id, etag, c); err != nil {
			return 0, err
		}
		return id, s.renumber(ctx, tx, items.t.name, items.indexCol, order, moved, id)
	})
}

// indexed is a column's or row's id and index.
type indexed struct {
	id    int64
	index int
}

// datagridOrder reads the ids and indexes of the columns or rows of a
// procedure's step (runStepID nil) or of a run step (positions).
func (s *Store) datagridOrder(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, tableName, indexCol string, stepID int64, runStepID *int64) ([]indexed, error) {
	if runStepID != nil {
		return s.positions(ctx, tx, p, tableName, indexCol, "run_step_id = ?", *runStepID)
	}
	return s.positions(ctx, tx, p, tableName, indexCol, "step_id = ? AND run_step_id IS NULL", stepID)
}

// positions reads the ids and indexes of the live rows of tableName that
// owner (a condition on one id: a step's columns or rows, an order's lines)
// holds for ownerID, in the order reads give them: by index, then id.
func (s *Store) positions(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, tableName, indexCol, owner string, ownerID int64) ([]indexed, error) {
	rows, err := s.query(ctx, tx, "SELECT id, "+indexCol+" FROM "+tableName+" WHERE org_id = ? AND "+owner+" AND deleted_at IS NULL ORDER BY "+
		indexCol+", id", p.OrgID, ownerID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read %s order: %w", tableName, err)
	}
	defer rows.Close()
	var out []indexed
	for rows.Next() {
		var it indexed
		if err := rows.Scan(&it.id, &it.index); err != nil {
			return nil, fmt.Errorf("sqlstore: read %s order: %w", tableName, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func orderIDs(order []indexed) []int64 {
	ids := make([]int64, len(order))
	for i, it := range order {
		ids[i] = it.id
	}
	return ids
}

// renumber gives the items of want the indexes 0, 1, … where they differ
// from order's, but for skip (written by the caller, etag checked). The
// other items keep their etags, as steps closing a gap do.
func (s *Store) renumber(ctx context.Context, tx *sql.Tx, tableName, indexCol string, order []indexed, want []int64, skip int64) error {
	was := make(map[int64]int, len(order))
	for _, it := range order {
		was[it.id] = it.index
	}
	for i, id := range want {
		if id == skip || was[id] == i {
			continue
		}
		if _, err := s.exec(ctx, tx, "UPDATE "+tableName+" SET "+indexCol+" = ? WHERE id = ?", i, id); err != nil {
			return err
		}
	}
	return nil
}
