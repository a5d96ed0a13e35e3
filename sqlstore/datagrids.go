package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var datagridColumns = &table[shopfloor.DatagridColumn]{
	entity: "DatagridColumn", name: "datagrid_columns", alias: "dc",
	selects: "dc.id, dc.org_id, dc.step_id, dc.column_index, dc.header, dc.type, dc.unit, dc.options, dc.editable, dc.settable, dc.signoff_role_id, " +
		"dc.etag, dc.created_at, dc.updated_at, dc.created_by_id, dc.updated_by_id",
	fields: map[string]column{"id": {"dc.id", kindID}},
	dest: func(v *shopfloor.DatagridColumn) []any {
		return []any{&v.ID, &v.OrgID, &v.StepID, &v.Index, &v.Header, &v.Type, &v.Unit, jsonCol[any]{&v.Options}, &v.Editable, &v.Settable, &v.SignoffRoleID,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var datagridRows = &table[shopfloor.DatagridRow]{
	entity: "DatagridRow", name: "datagrid_rows", alias: "dr",
	selects: "dr.id, dr.org_id, dr.step_id, dr.row_index, dr.required, dr.allow_not_applicable, dr.etag, dr.created_at, dr.updated_at, dr.created_by_id, dr.updated_by_id",
	fields:  map[string]column{"id": {"dr.id", kindID}},
	dest: func(v *shopfloor.DatagridRow) []any {
		return []any{&v.ID, &v.OrgID, &v.StepID, &v.Index, &v.Required, &v.AllowNotApplicable, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
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

// DatagridColumnsByStepIDs returns each step's columns, by index.
func (s *Store) DatagridColumnsByStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.DatagridColumn, error) {
	return grouped(ctx, s, datagridColumns, "", "dc.step_id", ids)
}

// DatagridRowsByStepIDs returns each step's rows.
func (s *Store) DatagridRowsByStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.DatagridRow, error) {
	return grouped(ctx, s, datagridRows, "", "dr.step_id", ids)
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
	c.set("row_index", indexOr(f.Index))
	return c
}

func indexOr(i *int) int {
	if i == nil {
		return 0
	}
	return *i
}

// CreateDatagridColumn adds a column to a step that may change.
func (s *Store) CreateDatagridColumn(ctx context.Context, f shopfloor.DatagridColumnFields) (*shopfloor.DatagridColumn, error) {
	return mutate(ctx, s, datagridColumns, "CreateDatagridColumn", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true, ""); err != nil {
			return 0, err
		}
		if _, err := s.editableStep(ctx, tx, p, f.StepID); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, roles, p, f.SignoffRoleID); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, datagridColumns.name, p, newColumnChanges(f))
	})
}

// CreateDatagridRow adds a row to a step that may change.
func (s *Store) CreateDatagridRow(ctx context.Context, f shopfloor.DatagridRowFields) (*shopfloor.DatagridRow, error) {
	return mutate(ctx, s, datagridRows, "CreateDatagridRow", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		if _, err := s.editableStep(ctx, tx, p, f.StepID); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, datagridRows.name, p, newRowChanges(f))
	})
}

// SetDatagridValue sets the cell of a row at a column of the same step,
// typed by the column; a set cell is overwritten.
func (s *Store) SetDatagridValue(ctx context.Context, rowID, columnID int64, value any, notApplicable *bool) (*shopfloor.DatagridValue, error) {
	return mutate(ctx, s, datagridValues, "SetDatagridValue", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		row, err := getIn(ctx, s, tx, datagridRows, p, rowID)
		if err != nil {
			return 0, err
		}
		col, err := getIn(ctx, s, tx, datagridColumns, p, columnID)
		if err != nil {
			return 0, err
		}
		if row.StepID != col.StepID {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "DatagridValue columnId must be a column of the row's step.")
		}
		if _, err := s.editableStep(ctx, tx, p, row.StepID); err != nil {
			return 0, err
		}
		if value, err = shopfloor.DatagridValueCheck(col, value); err != nil {
			return 0, err
		}
		var c changes
		c.set("value", jsonText(value))
		setIf(&c, "not_applicable", notApplicable)
		var id int64
		var etag string
		err = s.queryRow(ctx, tx, "SELECT id, etag FROM datagrid_values WHERE row_id = ? AND column_id = ? AND org_id = ? AND deleted_at IS NULL",
			rowID, columnID, p.OrgID).Scan(&id, &etag)
		if err == sql.ErrNoRows {
			c.set("row_id", rowID)
			c.set("column_id", columnID)
			return s.insert(ctx, tx, datagridValues.name, p, c)
		} else if err != nil {
			return 0, err
		}
		return id, update(ctx, s, tx, datagridValues, p, id, etag, c)
	})
}
