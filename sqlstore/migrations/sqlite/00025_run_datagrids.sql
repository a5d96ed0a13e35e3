-- +goose Up
-- A run step's datagrid: copies of its origin step's columns and rows (and
-- their cells), kept in the procedures' tables. run_step_id names the run
-- step that owns the copy (null on a procedure's step); step_id stays the
-- origin step; origin_*_id names the column or row it copies. (Plain
-- integers here: SQLite cannot drop a column a foreign key is declared on.)
ALTER TABLE datagrid_columns ADD COLUMN run_step_id INTEGER;
ALTER TABLE datagrid_columns ADD COLUMN origin_column_id INTEGER;
ALTER TABLE datagrid_rows ADD COLUMN run_step_id INTEGER;
ALTER TABLE datagrid_rows ADD COLUMN origin_row_id INTEGER;
CREATE INDEX datagrid_columns_run_step ON datagrid_columns (run_step_id) WHERE deleted_at IS NULL AND run_step_id IS NOT NULL;
CREATE INDEX datagrid_rows_run_step ON datagrid_rows (run_step_id) WHERE deleted_at IS NULL AND run_step_id IS NOT NULL;
-- Run step fields keep their step field's validations (a JSON list of {functionId, fieldId}).
ALTER TABLE run_step_fields ADD COLUMN validations TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE run_step_fields DROP COLUMN validations;
DROP INDEX datagrid_rows_run_step;
DROP INDEX datagrid_columns_run_step;
ALTER TABLE datagrid_rows DROP COLUMN origin_row_id;
ALTER TABLE datagrid_rows DROP COLUMN run_step_id;
ALTER TABLE datagrid_columns DROP COLUMN origin_column_id;
ALTER TABLE datagrid_columns DROP COLUMN run_step_id;
