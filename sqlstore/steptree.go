package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

// treeRoots says where a tree read starts: at the top-level steps of
// procedures, at the children of steps, or at steps themselves; the
// trees are keyed by the procedure, the parent or the step.
type treeRoots struct {
	byProcedure, byParent bool
}

func (r treeRoots) firstLevel() (key, cond string) {
	switch {
	case r.byProcedure:
		return "s.procedure_id", "s.parent_id IS NULL AND s.procedure_id"
	case r.byParent:
		return "s.parent_id", "s.parent_id"
	}
	return "s.id", "s.id"
}

// trees reads whole step trees through q in one WITH RECURSIVE statement,
// each tree in position-path order (paths count from the first level).
func (s *Store) trees(ctx context.Context, q querier, p *shopfloor.Principal, roots treeRoots, keys []int64) (map[int64][]shopfloor.Step, error) {
	out := map[int64][]shopfloor.Step{}
	if len(keys) == 0 {
		return out, nil
	}
	key, cond := roots.firstLevel()
	in, args := s.dialect.idIn(cond, keys)
	query := "WITH RECURSIVE tree (id, tree_key, path) AS (" +
		"SELECT s.id, " + key + ", CAST(s.position AS TEXT) FROM steps s " +
		"WHERE s.org_id = ? AND s.deleted_at IS NULL AND " + in + " " +
		"UNION ALL SELECT s.id, tree.tree_key, tree.path || '.' || CAST(s.position AS TEXT) FROM steps s JOIN tree ON s.parent_id = tree.id " +
		"WHERE s.org_id = ? AND s.deleted_at IS NULL) " +
		"SELECT " + steps.selects + ", tree.tree_key, tree.path FROM tree JOIN steps s ON s.id = tree.id"
	rows, err := s.query(ctx, q, query, append(append([]any{p.OrgID}, args...), p.OrgID)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read step trees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var treeKey int64
		var path string
		v, err := steps.scanOne(rows, &treeKey, &path)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read step trees: %w", err)
		}
		v.Path = parsePath(path)
		out[treeKey] = append(out[treeKey], v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: read step trees: %w", err)
	}
	for _, tree := range out {
		slices.SortFunc(tree, func(a, b shopfloor.Step) int { return slices.Compare(a.Path, b.Path) })
	}
	return out, nil
}

func stepIDs(tree []shopfloor.Step) []int64 {
	out := make([]int64, len(tree))
	for i := range tree {
		out[i] = tree[i].ID
	}
	return out
}

func sortedIDs(m map[int64]int64) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// copySteps copies the step trees rooted at roots (the top-level steps of
// a procedure, or one step) in tx: each step with its fields, datagrid
// columns, rows and values, and the dependencies among the copied steps.
// Copies go under procedureID; the first level under parentID, at
// position when given (else where they were). Each copy names its origin.
// It returns the new id of each copied step.
func (s *Store) copySteps(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, roots treeRoots, key int64, procedureID, parentID *int64, position *int) (map[int64]int64, error) {
	trees, err := s.trees(ctx, tx, p, roots, []int64{key})
	if err != nil {
		return nil, err
	}
	tree := trees[key]
	slices.SortStableFunc(tree, func(a, b shopfloor.Step) int { return len(a.Path) - len(b.Path) }) // parents first
	copied := make(map[int64]int64, len(tree))
	for _, st := range tree {
		c := stepChanges(shopfloor.StepFields{Title: st.Title, Type: &st.Type, Content: st.Content, SlateContent: st.SlateContent, LeadTime: st.LeadTime,
			LocationID: st.LocationID, LocationSubtypeID: st.LocationSubtypeID, Attributes: &st.Attributes})
		setIf(&c, "procedure_id", procedureID)
		pos, parent := st.Position, parentID
		if len(st.Path) > 1 {
			mapped := copied[*st.ParentID]
			parent = &mapped
		} else if position != nil {
			pos = *position
		}
		setIf(&c, "parent_id", parent)
		c.set("position", pos)
		c.set("origin_step_id", st.ID)
		if copied[st.ID], err = s.insertStep(ctx, tx, p, c); err != nil {
			return nil, err
		}
	}
	if len(copied) == 0 {
		return copied, nil
	}
	return copied, s.copyStepContents(ctx, tx, p, copied)
}

// copyStepContents copies what hangs on the copied steps: fields,
// datagrids and the dependencies among them.
func (s *Store) copyStepContents(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, copied map[int64]int64) error {
	old := sortedIDs(copied)
	in, args := s.dialect.idIn("sf.step_id", old)
	fields, err := where(ctx, s, stepFields, in, args...)
	if err != nil {
		return err
	}
	for _, f := range fields {
		c := stepFieldChanges(shopfloor.StepFieldFields{Name: &f.Name, Type: &f.Type, Unit: f.Unit, Options: f.Options, Display: f.Display,
			Required: &f.Required, AllowNotApplicable: &f.AllowNotApplicable, AllowedIonType: f.AllowedIonType, SignoffRoleID: f.SignoffRoleID,
			PeerReviewRequired: &f.PeerReviewRequired, Validations: f.Validations})
		c.set("step_id", copied[f.StepID])
		if _, err := s.insert(ctx, tx, stepFields.name, p, c); err != nil {
			return err
		}
	}
	down, _ := s.dialect.idIn("se.step_id", old)
	up, _ := s.dialect.idIn("se.upstream_step_id", old)
	edges, err := where(ctx, s, stepEdges, down+" AND "+up, append(args, args...)...)
	if err != nil {
		return err
	}
	for _, e := range edges {
		var c changes
		c.set("step_id", copied[e.StepID])
		c.set("upstream_step_id", copied[e.UpstreamStepID])
		if _, err := s.insert(ctx, tx, stepEdges.name, p, c); err != nil {
			return err
		}
	}
	return s.copyDatagrids(ctx, tx, p, old, copied)
}

// copyDatagrids copies the columns, rows and values of the copied steps.
func (s *Store) copyDatagrids(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, old []int64, copied map[int64]int64) error {
	in, args := s.dialect.idIn("dc.step_id", old)
	cols, err := where(ctx, s, datagridColumns, "dc.run_step_id IS NULL AND "+in, args...)
	if err != nil {
		return err
	}
	in, _ = s.dialect.idIn("dr.step_id", old)
	rows, err := where(ctx, s, datagridRows, "dr.run_step_id IS NULL AND "+in, args...)
	if err != nil {
		return err
	}
	newCols, newRows := map[int64]int64{}, map[int64]int64{}
	for _, col := range cols {
		f := columnFields(col)
		f.StepID = copied[col.StepID]
		if newCols[col.ID], err = s.insert(ctx, tx, datagridColumns.name, p, newColumnChanges(f)); err != nil {
			return err
		}
	}
	for _, row := range rows {
		f := shopfloor.DatagridRowFields{StepID: copied[row.StepID], Index: &row.Index, Required: &row.Required, AllowNotApplicable: &row.AllowNotApplicable}
		if newRows[row.ID], err = s.insert(ctx, tx, datagridRows.name, p, newRowChanges(f)); err != nil {
			return err
		}
	}
	if len(rows) == 0 {
		return nil
	}
	in, args = s.dialect.idIn("dv.row_id", sortedIDs(newRows))
	values, err := where(ctx, s, datagridValues, in, args...)
	if err != nil {
		return err
	}
	for _, v := range values {
		var c changes
		c.set("row_id", newRows[v.RowID])
		c.set("column_id", newCols[v.ColumnID])
		c.set("value", jsonText(v.Value))
		c.set("not_applicable", v.NotApplicable)
		if _, err := s.insert(ctx, tx, datagridValues.name, p, c); err != nil {
			return err
		}
	}
	return nil
}
