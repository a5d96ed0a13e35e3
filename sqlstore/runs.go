package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

const runKind = "Run"

var runs = &table[shopfloor.Run]{
	entity: "Run", name: "runs", alias: "r", liveCounted: true,
	selects: "r.id, r.org_id, " + entityID(runKind, "r") + ", r.procedure_id, r.part_inventory_id, r.part_id, r.title, r.status, r.attributes, " +
		"r.started_at, r.completed_at, r.archived_at, r.etag, r.created_at, r.updated_at, r.created_by_id, r.updated_by_id",
	fields: map[string]column{
		"id":              {"r.id", kindID},
		"title":           {"r.title", kindText},
		"status":          {"r.status", kindEnum},
		"procedureId":     {"r.procedure_id", kindID},
		"partInventoryId": {"r.part_inventory_id", kindID},
		"partId":          {"r.part_id", kindID},
		"archived":        {"(r.archived_at IS NOT NULL)", kindBool},
		"entityId":        {entityID(runKind, "r"), kindID},
		"createdById":     {"r.created_by_id", kindID},
		"updatedById":     {"r.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.Run) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityID, &v.ProcedureID, &v.PartInventoryID, &v.PartID, &v.Title, &v.Status, &v.Attributes,
			&v.StartedAt, &v.CompletedAt, &v.ArchivedAt, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Run returns one run of the caller's org.
func (s *Store) Run(ctx context.Context, id int64) (*shopfloor.Run, error) {
	return get(ctx, s, runs, id)
}

// Runs lists the caller's runs.
func (s *Store) Runs(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Run], error) {
	return list(ctx, s, runs, opts)
}

// RunsByIDs returns the caller's runs among ids.
func (s *Store) RunsByIDs(ctx context.Context, ids []int64) ([]shopfloor.Run, error) {
	return byIDs(ctx, s, runs, ids)
}

// RunsByPartIDs returns the caller's runs of each part, oldest first.
func (s *Store) RunsByPartIDs(ctx context.Context, partIDs []int64) (map[int64][]shopfloor.Run, error) {
	return grouped(ctx, s, runs, "", "r.part_id", partIDs)
}

// RunsByInventoryIDs returns the caller's runs of each unit of inventory,
// oldest first.
func (s *Store) RunsByInventoryIDs(ctx context.Context, inventoryIDs []int64) (map[int64][]shopfloor.Run, error) {
	return grouped(ctx, s, runs, "", "r.part_inventory_id", inventoryIDs)
}

// lockRun reads a run in tx, locking its row on PostgreSQL: every change
// of a run or of its steps and fields takes this lock first, so the run's
// roll-up and its read-only rule see every step as committed.
func (s *Store) lockRun(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) (*shopfloor.Run, error) {
	row := s.queryRow(ctx, tx, "SELECT "+runs.selects+" FROM runs r WHERE r.id = ? AND "+runs.scope()+s.dialect.forUpdate, id, p.OrgID)
	v, err := runs.scanOne(row)
	if err == sql.ErrNoRows {
		return nil, shopfloor.NotFound(runs.entity, id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: lock run: %w", err)
	}
	return &v, nil
}

// CreateRun starts a run of a released procedure, copying its whole step
// tree with fields and dependencies in the same transaction, and
// snapshotting the mBOM of its unit's part as the unit's build requirements
// when it has none.
func (s *Store) CreateRun(ctx context.Context, f shopfloor.RunFields) (*shopfloor.Run, error) {
	return mutate(ctx, s, runs, "CreateRun", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		status, err := s.procedureStatus(ctx, tx, p, *f.ProcedureID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.RunStartable(status); err != nil {
			return 0, err
		}
		if f.PartInventoryID != nil { // a run on a unit builds the unit's part unless told otherwise
			var unitPart int64
			if err := columnOf(ctx, s, tx, inventories, p, *f.PartInventoryID, "part_id", &unitPart); err != nil {
				return 0, err
			}
			if f.PartID == nil {
				f.PartID = &unitPart
			}
		}
		if err := existsIf(ctx, s, tx, parts, p, f.PartID); err != nil {
			return 0, err
		}
		if f.Title == nil || *f.Title == "" {
			f.Title = new(string)
			if err := columnOf(ctx, s, tx, procedures, p, *f.ProcedureID, "title", f.Title); err != nil {
				return 0, err
			}
		}
		var c changes
		c.set("procedure_id", *f.ProcedureID)
		setIf(&c, "part_inventory_id", f.PartInventoryID)
		setIf(&c, "part_id", f.PartID)
		c.set("title", *f.Title)
		c.set("status", shopfloor.RunTodo)
		id, err := s.insert(ctx, tx, runs.name, p, c)
		if err != nil {
			return 0, err
		}
		if err := s.registerEntity(ctx, tx, p, runKind, id); err != nil {
			return 0, err
		}
		if err := s.copyProcedureToRun(ctx, tx, p, *f.ProcedureID, id); err != nil {
			return 0, err
		}
		if err := s.holdInventory(ctx, tx, p, f.PartInventoryID); err != nil {
			return 0, err
		}
		if f.PartInventoryID == nil {
			return id, nil
		}
		return id, s.snapshotABom(ctx, tx, p, *f.PartInventoryID)
	})
}

// copyProcedureToRun copies a procedure's step tree into a new run in a
// fixed number of statements, whatever its size: the steps (read by WITH
// RECURSIVE from the top-level steps down, so a step under a deleted parent
// is left out), their parents, their entityIds, their fields (with their
// validations), their datagrids' columns, rows and cells (stepId stays the
// origin step, runStepId names the copy's owner), their dependencies, and
// the steps' webhook events (datagrids are no webhook resource).
func (s *Store) copyProcedureToRun(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, procedureID, runID int64) error {
	etag := s.dialect.randomEtag
	stmts := []struct {
		what string
		q    string
		args []any
	}{
		{"steps", "WITH RECURSIVE tree (id) AS (" +
			"SELECT s.id FROM steps s WHERE s.org_id = ? AND s.deleted_at IS NULL AND s.parent_id IS NULL AND s.procedure_id = ? " +
			"UNION ALL SELECT s.id FROM steps s JOIN tree ON s.parent_id = tree.id WHERE s.deleted_at IS NULL) " +
			"INSERT INTO run_steps (org_id, run_id, position, origin_step_id, title, type, content, slate_content, attributes, status, etag, created_at, updated_at, created_by_id, updated_by_id) " +
			"SELECT r.org_id, r.id, s.position, s.id, s.title, s.type, s.content, s.slate_content, s.attributes, 'TODO', " + etag + ", r.created_at, r.created_at, r.created_by_id, r.created_by_id " +
			"FROM tree JOIN steps s ON s.id = tree.id JOIN runs r ON r.id = ? ORDER BY s.id",
			[]any{p.OrgID, procedureID, runID}},
		{"parents", "UPDATE run_steps SET parent_id = (SELECT up.id FROM run_steps up JOIN steps s ON s.id = run_steps.origin_step_id " +
			"WHERE up.run_id = run_steps.run_id AND up.origin_step_id = s.parent_id) WHERE run_id = ?",
			[]any{runID}},
		{"entities", "INSERT INTO entities (org_id, kind, row_id) SELECT org_id, '" + runStepKind + "', id FROM run_steps WHERE run_id = ? ORDER BY id",
			[]any{runID}},
		{"fields", "INSERT INTO run_step_fields (org_id, run_step_id, origin_field_id, name, type, unit, options, required, allow_not_applicable, validations, " +
			"etag, created_at, updated_at, created_by_id, updated_by_id) " +
			"SELECT rs.org_id, rs.id, sf.id, sf.name, sf.type, sf.unit, sf.options, sf.required, sf.allow_not_applicable, sf.validations, " +
			etag + ", rs.created_at, rs.created_at, rs.created_by_id, rs.created_by_id " +
			"FROM run_steps rs JOIN step_fields sf ON sf.step_id = rs.origin_step_id AND sf.deleted_at IS NULL WHERE rs.run_id = ? ORDER BY sf.id",
			[]any{runID}},
		{"datagrid columns", "INSERT INTO datagrid_columns (org_id, step_id, run_step_id, origin_column_id, column_index, header, type, unit, options, " +
			"editable, settable, signoff_role_id, etag, created_at, updated_at, created_by_id, updated_by_id) " +
			"SELECT rs.org_id, dc.step_id, rs.id, dc.id, dc.column_index, dc.header, dc.type, dc.unit, dc.options, dc.editable, dc.settable, dc.signoff_role_id, " +
			etag + ", rs.created_at, rs.created_at, rs.created_by_id, rs.created_by_id " +
			"FROM run_steps rs JOIN datagrid_columns dc ON dc.step_id = rs.origin_step_id AND dc.run_step_id IS NULL AND dc.deleted_at IS NULL " +
			"WHERE rs.run_id = ? ORDER BY dc.id",
			[]any{runID}},
		{"datagrid rows", "INSERT INTO datagrid_rows (org_id, step_id, run_step_id, origin_row_id, row_index, required, allow_not_applicable, " +
			"etag, created_at, updated_at, created_by_id, updated_by_id) " +
			"SELECT rs.org_id, dr.step_id, rs.id, dr.id, dr.row_index, dr.required, dr.allow_not_applicable, " +
			etag + ", rs.created_at, rs.created_at, rs.created_by_id, rs.created_by_id " +
			"FROM run_steps rs JOIN datagrid_rows dr ON dr.step_id = rs.origin_step_id AND dr.run_step_id IS NULL AND dr.deleted_at IS NULL " +
			"WHERE rs.run_id = ? ORDER BY dr.id",
			[]any{runID}},
		{"datagrid values", "INSERT INTO datagrid_values (org_id, row_id, column_id, value, not_applicable, etag, created_at, updated_at, created_by_id, updated_by_id) " +
			"SELECT dr.org_id, dr.id, dc.id, dv.value, dv.not_applicable, " + etag + ", dr.created_at, dr.created_at, dv.created_by_id, dv.updated_by_id " +
			"FROM run_steps rs JOIN datagrid_rows dr ON dr.run_step_id = rs.id " +
			"JOIN datagrid_values dv ON dv.row_id = dr.origin_row_id AND dv.deleted_at IS NULL " +
			"JOIN datagrid_columns dc ON dc.run_step_id = rs.id AND dc.origin_column_id = dv.column_id WHERE rs.run_id = ? ORDER BY dv.id",
			[]any{runID}},
		{"dependencies", "INSERT INTO run_step_edges (org_id, run_step_id, upstream_run_step_id, created_at) " +
			"SELECT rs.org_id, rs.id, up.id, rs.created_at FROM step_edges se " +
			"JOIN run_steps rs ON rs.origin_step_id = se.step_id AND rs.run_id = ? " +
			"JOIN run_steps up ON up.origin_step_id = se.upstream_step_id AND up.run_id = ? WHERE se.deleted_at IS NULL",
			[]any{runID, runID}},
	}
	for _, st := range stmts {
		if _, err := s.exec(ctx, tx, st.q, st.args...); err != nil {
			return fmt.Errorf("sqlstore: copy procedure %s into run: %w", st.what, err)
		}
	}
	return s.outboxOf(ctx, tx, p, runSteps.name, "CREATE", "SELECT id FROM run_steps WHERE run_id = ?", runID)
}

// UpdateRun changes a run's title, or sets its status where a run's status
// is set rather than derived (shopfloor.RunTransition).
func (s *Store) UpdateRun(ctx context.Context, id int64, etag string, f shopfloor.RunFields) (*shopfloor.Run, error) {
	return s.changeRun(ctx, "UpdateRun", id, etag, f)
}

// CancelRun cancels a run: it becomes read-only.
func (s *Store) CancelRun(ctx context.Context, id int64, etag string) (*shopfloor.Run, error) {
	return s.changeRun(ctx, "CancelRun", id, etag, shopfloor.RunFields{Status: new(shopfloor.RunCanceled)})
}

// ArchiveRun archives a run, in any status: it stays readable, read-only.
func (s *Store) ArchiveRun(ctx context.Context, id int64, etag string) (*shopfloor.Run, error) {
	return mutate(ctx, s, runs, "ArchiveRun", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		run, err := s.lockRun(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		if run.ArchivedAt != nil {
			return 0, shopfloor.RunWritable(run)
		}
		var c changes
		c.set("archived_at", s.Now().UTC())
		if err := update(ctx, s, tx, runs, p, id, etag, c); err != nil {
			return 0, err
		}
		return id, s.holdInventory(ctx, tx, p, run.PartInventoryID)
	})
}

func (s *Store) changeRun(ctx context.Context, perm shopfloor.Permission, id int64, etag string, f shopfloor.RunFields) (*shopfloor.Run, error) {
	return mutate(ctx, s, runs, perm, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		f.ProcedureID, f.PartInventoryID, f.PartID = nil, nil, nil // fixed when the run is created
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		run, err := s.lockRun(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.RunWritable(run); err != nil {
			return 0, err
		}
		var c changes
		setIf(&c, "title", f.Title)
		if f.Status != nil && *f.Status != run.Status {
			steps, err := s.runStepsIn(ctx, tx, p, id)
			if err != nil {
				return 0, err
			}
			if err := shopfloor.RunTransition(run.Status, *f.Status, steps); err != nil {
				return 0, err
			}
			s.runStatusChanges(&c, run, *f.Status, false)
		}
		if err := update(ctx, s, tx, runs, p, id, etag, c); err != nil {
			return 0, err
		}
		return id, s.holdInventory(ctx, tx, p, run.PartInventoryID)
	})
}

// runStatusChanges sets a run's status to status in c, with the times the
// change stamps: the start (started says a step started), the completion.
func (s *Store) runStatusChanges(c *changes, run *shopfloor.Run, status string, started bool) {
	c.set("status", status)
	now := s.Now().UTC()
	if run.StartedAt == nil && (started || status == shopfloor.RunInProgress || status == shopfloor.RunComplete) {
		c.set("started_at", now)
	}
	if status == shopfloor.RunComplete {
		c.set("completed_at", now)
	}
}

// rollUp sets a run's status from its steps' after one of them changed
// (stepStarted: it started), in the transaction that changed it, which
// holds the run's lock.
func (s *Store) rollUp(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, run *shopfloor.Run, stepStarted bool) error {
	steps, err := s.runStepsIn(ctx, tx, p, run.ID)
	if err != nil {
		return err
	}
	statuses := make([]string, len(steps))
	for i, st := range steps {
		statuses[i] = st.Status
	}
	status := shopfloor.RunRollup(statuses, run.StartedAt != nil || stepStarted)
	if status == run.Status && (run.StartedAt != nil || !stepStarted) {
		return nil
	}
	var c changes
	s.runStatusChanges(&c, run, status, stepStarted)
	if err := update(ctx, s, tx, runs, p, run.ID, run.Etag, c); err != nil {
		return err
	}
	return s.holdInventory(ctx, tx, p, run.PartInventoryID)
}

// holdInventory records on a run's unit the open run holding it (not
// COMPLETE, CANCELED or archived; the oldest, when several do): the fact
// its WIP status derives from. The unit's row is locked first, so runs of
// one unit changing at once each see the others' commits; its etag stays,
// as a run changes no field of it.
func (s *Store) holdInventory(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, inventoryID *int64) error {
	if inventoryID == nil {
		return nil
	}
	var one int
	if err := s.queryRow(ctx, tx, "SELECT 1 FROM part_inventories WHERE id = ? AND org_id = ?"+s.dialect.forUpdate, *inventoryID, p.OrgID).Scan(&one); err != nil {
		return fmt.Errorf("sqlstore: lock run's inventory: %w", err)
	}
	_, err := s.exec(ctx, tx, "UPDATE part_inventories SET open_run_id = (SELECT MIN(r.id) FROM runs r WHERE r.part_inventory_id = part_inventories.id "+
		"AND r.status NOT IN ('"+shopfloor.RunComplete+"', '"+shopfloor.RunCanceled+"') AND r.archived_at IS NULL AND r.deleted_at IS NULL) WHERE id = ? AND org_id = ?",
		*inventoryID, p.OrgID)
	if err != nil {
		return fmt.Errorf("sqlstore: hold run's inventory: %w", err)
	}
	return nil
}

// UpdateRunAttribute sets one custom attribute of a run that is not
// read-only (RunWritable), under the run's etag.
func (s *Store) UpdateRunAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.Run, error) {
	return setAttribute(ctx, s, runs, "RUN", f, func(tx *sql.Tx, p *shopfloor.Principal) error {
		r, err := s.lockRun(ctx, tx, p, *f.OwnerID)
		if err != nil {
			return err
		}
		return shopfloor.RunWritable(r)
	})
}
