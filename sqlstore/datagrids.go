package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

// columnLastSession is a column's LastSessionId: the latest session on its
// run step of the person who last set one of its cells.
const columnLastSession = "(SELECT se.id FROM sessions se WHERE se.run_step_id = dc.run_step_id AND se.deleted_at IS NULL AND se.created_by_id = " +
	"(SELECT v.updated_by_id FROM datagrid_values v WHERE v.column_id = dc.id AND v.deleted_at IS NULL ORDER BY v.updated_at DESC, v.id DESC LIMIT 1) " +
	"ORDER BY se.check_in DESC, se.id DESC LIMIT 1)"

var datagridColumns = &table[shopfloor.DatagridColumn]{
	entity: "DatagridColumn", name: "datagrid_columns", alias: "dc",
	selects: "dc.id, dc.org_id, dc.step_id, dc.run_step_id, dc.column_index, dc.header, dc.type, dc.unit, dc.options, dc.editable, dc.settable, dc.signoff_role_id, " +
		columnLastSession + ", dc.etag, dc.created_at, dc.updated_at, dc.created_by_id, dc.updated_by_id",
	fields:  map[string]column{"id": {"dc.id", kindID}},
	derived: []derived{{columnLastSession, nullID, []string{"LastSessionId"}}},
	dest: func(v *shopfloor.DatagridColumn) []any {
		return []any{&v.ID, &v.OrgID, &v.StepID, &v.RunStepID, &v.Index, &v.Header, &v.Type, &v.Unit, jsonCol[any]{&v.Options}, &v.Editable, &v.Settable, &v.SignoffRoleID,
			&v.LastSessionID, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var datagridRows = &table[shopfloor.DatagridRow]{
	entity: "DatagridRow", name: "datagrid_rows", alias: "dr",
	selects: "dr.id, dr.org_id, dr.step_id, dr.run_step_id, dr.row_index, dr.required, dr.allow_not_applicable, dr.etag, dr.created_at, dr.updated_at, dr.created_by_id, dr.updated_by_id",
	fields:  map[string]column{"id": {"dr.id", kindID}},
	dest: func(v *shopfloor.DatagridRow) []any {
		return []any{&v.ID, &v.OrgID, &v.StepID, &v.RunStepID, &v.Index, &v.Required, &v.AllowNotApplicable, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var datagridValues = &table[shopfloor.DatagridValue]{
	entity: "DatagridValue", name: "datagrid_values", alias: "dv",
	selects: "dv.id, dv.org_id, dv.row_id, dv.column_id, (SELECT c.type FROM datagrid_columns c WHERE c.id = dv.column_id), dv.value, dv.not_applicable, " +
		"dv.etag, dv.created_at, dv.updated_at, dv.created_by_id, dv.updated_by_id",
	fields: map[string]column{"id": {"dv.id", kindID}},
	dest: func(v *shopfloor.DatagridValue) []any {
		return []any{&v.ID, &v.OrgID, &v.RowID, &v.ColumnID, &v.Type, jsonCol[any]{&v.Value}, &v.NotApplicable,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// DatagridColumnsByStepIDs returns each step's columns (not its run
// steps' copies).
func (s *Store) DatagridColumnsByStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.DatagridColumn, error) {
	return groupedWhere(ctx, s, datagridColumns, "dc.run_step_id IS NULL", "dc.step_id", ids)
}

// DatagridRowsByStepIDs returns each step's rows (not its run steps'
// copies).
func (s *Store) DatagridRowsByStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.DatagridRow, error) {
	return groupedWhere(ctx, s, datagridRows, "dr.run_step_id IS NULL", "dr.step_id", ids)
}

// DatagridColumnsByRunStepIDs returns each run step's columns.
func (s *Store) DatagridColumnsByRunStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.DatagridColumn, error) {
	return grouped(ctx, s, datagridColumns, "", "dc.run_step_id", ids)
}

// DatagridRowsByRunStepIDs returns each run step's rows.
func (s *Store) DatagridRowsByRunStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.DatagridRow, error) {
	return grouped(ctx, s, datagridRows, "", "dr.run_step_id", ids)
}

// DatagridValuesByRowIDs returns each row's cells.
func (s *Store) DatagridValuesByRowIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.DatagridValue, error) {
	return grouped(ctx, s, datagridValues, "", "dv.row_id", ids)
}

func columnFields(col shopfloor.DatagridColumn) shopfloor.DatagridColumnFields {
	return shopfloor.DatagridColumnFields{StepID: col.StepID, Index: &col.Index, Header: col.Header, Type: &col.Type, Unit: col.Unit,
		Options: col.Options, Editable: &col.Editable, Settable: &col.Settable, SignoffRoleID: col.SignoffRoleID}
}

// columnChanges are a column's writable fields; a new column's also its
// step and index (newColumnChanges).
func columnChanges(f shopfloor.DatagridColumnFields) changes {
	var c changes
	setIf(&c, "header", f.Header)
	setIf(&c, "type", f.Type)
	setIf(&c, "unit", f.Unit)
	setJSON(&c, "options", f.Options)
	setIf(&c, "editable", f.Editable)
	setIf(&c, "settable", f.Settable)
	setIf(&c, "signoff_role_id", f.SignoffRoleID)
	return c
}

func newColumnChanges(f shopfloor.DatagridColumnFields) changes {
	c := columnChanges(f)
	c.set("step_id", f.StepID)
	setIf(&c, "run_step_id", f.RunStepID)
	c.set("column_index", indexOr(f.Index))
	return c
}

// rowChanges are a row's writable fields; a new row's also its step and
// index (newRowChanges).
func rowChanges(f shopfloor.DatagridRowFields) changes {
	var c changes
	setIf(&c, "required", f.Required)
	setIf(&c, "allow_not_applicable", f.AllowNotApplicable)
	return c
}

func newRowChanges(f shopfloor.DatagridRowFields) changes {
	c := rowChanges(f)
	c.set("step_id", f.StepID)
	setIf(&c, "run_step_id", f.RunStepID)
	c.set("row_index", indexOr(f.Index))
	return c
}

func indexOr(i *int) int {
	if i == nil {
		return 0
	}
	return *i
}

// CreateDatagridColumn adds a column to a step that may change, or to a
// run step's grid while the step is REDLINE (editableGrid).
func (s *Store) CreateDatagridColumn(ctx context.Context, f shopfloor.DatagridColumnFields) (*shopfloor.DatagridColumn, error) {
	return mutate(ctx, s, datagridColumns, "CreateDatagridColumn", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true, ""); err != nil {
			return 0, err
		}
		var err error
		if f.StepID, err = s.newGridItemStep(ctx, tx, p, datagridColumns.entity, f.StepID, f.RunStepID); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, roles, p, f.SignoffRoleID); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, datagridColumns.name, p, newColumnChanges(f))
	})
}

// CreateDatagridRow adds a row to a step that may change, or to a run
// step's grid while the step is REDLINE.
func (s *Store) CreateDatagridRow(ctx context.Context, f shopfloor.DatagridRowFields) (*shopfloor.DatagridRow, error) {
	return mutate(ctx, s, datagridRows, "CreateDatagridRow", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		var err error
		if f.StepID, err = s.newGridItemStep(ctx, tx, p, datagridRows.entity, f.StepID, f.RunStepID); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, datagridRows.name, p, newRowChanges(f))
	})
}

// SetDatagridValue sets the cell of a row at a column of the same grid,
// typed by the column; a set cell is overwritten, if etag (when given) is
// current. A procedure's cell is set while the procedure may change; a run
// step's as its fields' values are (RunDatagridValueCheck), changing the
// cell alone: the row, the step and the run keep their etags.
func (s *Store) SetDatagridValue(ctx context.Context, rowID, columnID int64, etag string, value any, notApplicable *bool) (*shopfloor.DatagridValue, error) {
	return mutate(ctx, s, datagridValues, "SetDatagridValue", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		row, err := getIn(ctx, s, tx, datagridRows, p, rowID)
		if err != nil {
			return 0, err
		}
		col, err := getIn(ctx, s, tx, datagridColumns, p, columnID)
		if err != nil {
			return 0, err
		}
		if row.StepID != col.StepID || !equalRefs(row.RunStepID, col.RunStepID) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "DatagridValue columnId must be a column of the row's step.")
		}
		if row.RunStepID != nil {
			value, err = s.runCellValue(ctx, tx, p, col, row, value, notApplicable)
		} else if _, err = s.editableStep(ctx, tx, p, row.StepID); err == nil {
			value, err = shopfloor.DatagridValueCheck(col, value)
		}
		if err != nil {
			return 0, err
		}
		var c changes
		c.set("value", jsonText(value))
		setIf(&c, "not_applicable", notApplicable)
		var id int64
		var current string
		err = s.queryRow(ctx, tx, "SELECT id, etag FROM datagrid_values WHERE row_id = ? AND column_id = ? AND org_id = ? AND deleted_at IS NULL",
			rowID, columnID, p.OrgID).Scan(&id, &current)
		if err == sql.ErrNoRows {
			if etag != "" { // the etag of a cell since cleared away, or of another one
				return 0, shopfloor.ErrEtagMismatch
			}
			c.set("row_id", rowID)
			c.set("column_id", columnID)
			return s.insert(ctx, tx, datagridValues.name, p, c)
		} else if err != nil {
			return 0, err
		}
		if etag == "" {
			etag = current
		}
		return id, update(ctx, s, tx, datagridValues, p, id, etag, c)
	})
}
