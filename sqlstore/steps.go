package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

const stepKind = "Step"

var steps = &table[shopfloor.Step]{
	entity: "Step", name: "steps", alias: "s",
	selects: "s.id, s.org_id, " + entityID(stepKind, "s") + ", s.procedure_id, s.parent_id, s.position, s.title, s.type, s.content, s.slate_content, " +
		"s.lead_time, s.location_id, s.location_subtype_id, s.origin_step_id, s.attributes, s.etag, s.created_at, s.updated_at, s.created_by_id, s.updated_by_id",
	fields: map[string]column{
		"id":             {"s.id", kindID},
		"title":          {"s.title", kindText},
		"type":           {"s.type", kindEnum},
		"procedureId":    {"s.procedure_id", kindID},
		"parentId":       {"s.parent_id", kindID},
		"position":       {"s.position", kindFloat},
		"originStepId":   {"s.origin_step_id", kindID},
		"locationId":     {"s.location_id", kindID},
		"isStandardStep": {"(s.procedure_id IS NULL)", kindBool},
		"entityId":       {entityID(stepKind, "s"), kindID},
		"createdById":    {"s.created_by_id", kindID},
		"updatedById":    {"s.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.Step) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityID, &v.ProcedureID, &v.ParentID, &v.Position, &v.Title, &v.Type, &v.Content, jsonCol[any]{&v.SlateContent},
			jsonCol[any]{&v.LeadTime}, &v.LocationID, &v.LocationSubtypeID, &v.OriginStepID, &v.Attributes, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Step returns one step of the caller's org.
func (s *Store) Step(ctx context.Context, id int64) (*shopfloor.Step, error) {
	return get(ctx, s, steps, id)
}

// Steps lists the caller's steps.
func (s *Store) Steps(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Step], error) {
	return list(ctx, s, steps, opts)
}

// StepsByIDs returns the caller's steps among ids.
func (s *Store) StepsByIDs(ctx context.Context, ids []int64) ([]shopfloor.Step, error) {
	return byIDs(ctx, s, steps, ids)
}

// StepTrees reads every step under each procedure, all levels, with its
// position path, in one WITH RECURSIVE statement: the read a run's copy of
// a procedure starts from.
func (s *Store) StepTrees(ctx context.Context, procedureIDs []int64) (map[int64][]shopfloor.Step, error) {
	return s.readTrees(ctx, treeRoots{byProcedure: true}, procedureIDs)
}

// StepSubtrees reads every step under each step, all levels.
func (s *Store) StepSubtrees(ctx context.Context, stepIDs []int64) (map[int64][]shopfloor.Step, error) {
	return s.readTrees(ctx, treeRoots{byParent: true}, stepIDs)
}

func (s *Store) readTrees(ctx context.Context, roots treeRoots, keys []int64) (_ map[int64][]shopfloor.Step, err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	return s.trees(ctx, s.read, p, roots, keys)
}

func parsePath(path string) []int {
	parts := strings.Split(path, ".")
	out := make([]int, len(parts))
	for i, p := range parts {
		out[i], _ = strconv.Atoi(p)
	}
	return out
}

// StepPaths returns the position path of each step, from the top.
func (s *Store) StepPaths(ctx context.Context, ids []int64) (_ map[int64][]int, err error) {
	defer s.classify(&err)
	out := map[int64][]int{}
	if len(ids) == 0 {
		return out, nil
	}
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	in, args := s.dialect.idIn("id", ids)
	q := "WITH RECURSIVE up (start, id, parent_id, path) AS (" +
		"SELECT id, id, parent_id, CAST(position AS TEXT) FROM steps WHERE org_id = ? AND deleted_at IS NULL AND " + in + " " +
		"UNION ALL SELECT up.start, s.id, s.parent_id, CAST(s.position AS TEXT) || '.' || up.path FROM steps s JOIN up ON s.id = up.parent_id) " +
		"SELECT start, path FROM up WHERE parent_id IS NULL"
	rows, err := s.query(ctx, s.read, q, append([]any{p.OrgID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read step paths: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var path string
		if err := rows.Scan(&id, &path); err != nil {
			return nil, fmt.Errorf("sqlstore: read step paths: %w", err)
		}
		out[id] = parsePath(path)
	}
	return out, rows.Err()
}

func stepChanges(f shopfloor.StepFields) changes {
	var c changes
	setIf(&c, "title", f.Title)
	setIf(&c, "type", f.Type)
	setIf(&c, "content", f.Content)
	setJSON(&c, "slate_content", f.SlateContent)
	setJSON(&c, "lead_time", f.LeadTime)
	setIf(&c, "location_id", f.LocationID)
	setIf(&c, "location_subtype_id", f.LocationSubtypeID)
	setIf(&c, "attributes", f.Attributes)
	return c
}

// editableStep checks that a step may change: a standard step always, a
// procedure's step while the procedure is a draft. It returns the step's
// procedure.
func (s *Store) editableStep(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, stepID int64) (*int64, error) {
	var procedureID *int64
	err := s.queryRow(ctx, tx, "SELECT procedure_id FROM steps WHERE id = ? AND org_id = ? AND deleted_at IS NULL", stepID, p.OrgID).Scan(&procedureID)
	if err == sql.ErrNoRows {
		return nil, shopfloor.NotFound(steps.entity, stepID)
	} else if err != nil {
		return nil, err
	}
	return procedureID, s.editableProcedure(ctx, tx, p, procedureID)
}

// editableProcedure checks that steps may be added to or changed under a
// procedure (nil: standard steps, always).
func (s *Store) editableProcedure(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, procedureID *int64) error {
	if procedureID == nil {
		return nil
	}
	status, err := s.procedureStatus(ctx, tx, p, *procedureID)
	if err != nil {
		return err
	}
	return shopfloor.ProcedureEditable(status)
}

// stepDepth is how deep a step nests (a top-level step is at 1).
func (s *Store) stepDepth(ctx context.Context, tx *sql.Tx, stepID int64) (int, error) {
	var depth int
	err := s.queryRow(ctx, tx, "WITH RECURSIVE up (id, parent_id, depth) AS (SELECT id, parent_id, 1 FROM steps WHERE id = ? "+
		"UNION ALL SELECT s.id, s.parent_id, up.depth + 1 FROM steps s JOIN up ON s.id = up.parent_id) SELECT MAX(depth) FROM up", stepID).Scan(&depth)
	return depth, err
}

// stepHeight is how many levels a step's subtree spans (a leaf is 1).
func (s *Store) stepHeight(ctx context.Context, tx *sql.Tx, stepID int64) (int, error) {
	var height int
	err := s.queryRow(ctx, tx, "WITH RECURSIVE down (id, height) AS (SELECT id, 1 FROM steps WHERE id = ? "+
		"UNION ALL SELECT s.id, down.height + 1 FROM steps s JOIN down ON s.parent_id = down.id WHERE s.deleted_at IS NULL) SELECT MAX(height) FROM down", stepID).Scan(&height)
	return height, err
}

// placeStep checks where a step (or a subtree height levels high) goes:
// under an editable procedure, under a parent of the same procedure, no
// deeper than StepMaxDepth. It returns the next position among the
// siblings there.
func (s *Store) placeStep(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, procedureID, parentID *int64, height int) (int, error) {
	depth := height
	if parentID != nil {
		parentProcedure, err := s.editableStep(ctx, tx, p, *parentID)
		if err != nil {
			return 0, err
		}
		if !equalRefs(parentProcedure, procedureID) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Step parentId must be a step of the same procedure.")
		}
		d, err := s.stepDepth(ctx, tx, *parentID)
		if err != nil {
			return 0, err
		}
		depth += d
	} else if err := s.editableProcedure(ctx, tx, p, procedureID); err != nil {
		return 0, err
	}
	if err := shopfloor.StepDepth(depth); err != nil {
		return 0, err
	}
	var next int
	err := s.queryRow(ctx, tx, "SELECT COALESCE(MAX(position) + 1, 0) FROM steps WHERE org_id = ? AND deleted_at IS NULL AND "+
		siblingsOf(procedureID, parentID), siblingArgs(p.OrgID, procedureID, parentID)...).Scan(&next)
	return next, err
}

// siblingsOf is the condition of the steps beside a step with this
// procedure and parent.
func siblingsOf(procedureID, parentID *int64) string {
	if parentID != nil {
		return "parent_id = ?"
	}
	if procedureID != nil {
		return "parent_id IS NULL AND procedure_id = ?"
	}
	return "parent_id IS NULL AND procedure_id IS NULL AND id = -1" // standard steps stand alone
}

func siblingArgs(orgID int64, procedureID, parentID *int64) []any {
	switch {
	case parentID != nil:
		return []any{orgID, *parentID}
	case procedureID != nil:
		return []any{orgID, *procedureID}
	}
	return []any{orgID}
}

func equalRefs(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// CreateStep adds a step at the end of its siblings.
func (s *Store) CreateStep(ctx context.Context, f shopfloor.StepFields) (*shopfloor.Step, error) {
	return mutate(ctx, s, steps, "CreateStep", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, locations, p, f.LocationID); err != nil {
			return 0, err
		}
		if err := s.checkAttributesIf(ctx, tx, p, "STEP", f.Attributes); err != nil {
			return 0, err
		}
		position, err := s.placeStep(ctx, tx, p, f.ProcedureID, f.ParentID, 1)
		if err != nil {
			return 0, err
		}
		c := stepChanges(f)
		setIf(&c, "procedure_id", f.ProcedureID)
		setIf(&c, "parent_id", f.ParentID)
		c.set("position", position)
		return s.insertStep(ctx, tx, p, c)
	})
}

func (s *Store) insertStep(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, c changes) (int64, error) {
	id, err := s.insert(ctx, tx, steps.name, p, c)
	if err != nil {
		return 0, err
	}
	return id, s.registerEntity(ctx, tx, p, stepKind, id)
}

// UpdateStep changes a step if etag is current and its procedure is a
// draft, and moves it as move says.
func (s *Store) UpdateStep(ctx context.Context, id int64, etag string, f shopfloor.StepFields, move shopfloor.StepMove) (*shopfloor.Step, error) {
	return mutate(ctx, s, steps, "UpdateStep", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		procedureID, err := s.editableStep(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, locations, p, f.LocationID); err != nil {
			return 0, err
		}
		if err := s.checkAttributesIf(ctx, tx, p, "STEP", f.Attributes); err != nil {
			return 0, err
		}
		c := stepChanges(f)
		if move.Moves() {
			if err := s.moveStep(ctx, tx, p, id, procedureID, move, &c); err != nil {
				return 0, err
			}
		}
		return id, update(ctx, s, tx, steps, p, id, etag, c)
	})
}

// moveStep checks a step's move (a parent of its procedure, not under
// itself, no deeper than StepMaxDepth, a position among the siblings
// there), shifts the siblings it leaves and joins, and adds its new parent
// and position to c.
func (s *Store) moveStep(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64, procedureID *int64, move shopfloor.StepMove, c *changes) error {
	var parentID *int64
	var position int
	if err := s.queryRow(ctx, tx, "SELECT parent_id, position FROM steps WHERE id = ?", id).Scan(&parentID, &position); err != nil {
		return err
	}
	newParent := parentID
	if move.ParentSet {
		newParent = move.ParentID
	}
	underItself := false
	if newParent != nil {
		var err error
		if underItself, err = s.stepUnder(ctx, tx, *newParent, id); err != nil {
			return err
		}
	}
	if err := shopfloor.StepMoveCheck(0, 0, underItself); err != nil {
		return err
	}
	height, err := s.stepHeight(ctx, tx, id)
	if err != nil {
		return err
	}
	siblings, err := s.placeStep(ctx, tx, p, procedureID, newParent, height)
	if err != nil {
		return err
	}
	stays := equalRefs(parentID, newParent)
	to := siblings
	if stays {
		siblings, to = siblings-1, position
	}
	if move.Position != nil {
		to = *move.Position
	}
	if err := shopfloor.StepMoveCheck(to, siblings, false); err != nil {
		return err
	}
	if err := s.shiftSiblings(ctx, tx, p, procedureID, parentID, position+1, -1, id); err != nil {
		return err
	}
	if err := s.shiftSiblings(ctx, tx, p, procedureID, newParent, to, 1, id); err != nil {
		return err
	}
	c.set("parent_id", newParent)
	c.set("position", to)
	return nil
}

// stepUnder reports whether step is ancestor or under it.
func (s *Store) stepUnder(ctx context.Context, tx *sql.Tx, step, ancestor int64) (bool, error) {
	return s.hasAny(ctx, tx, "WITH RECURSIVE up (id, parent_id) AS (SELECT id, parent_id FROM steps WHERE id = ? "+
		"UNION ALL SELECT s.id, s.parent_id FROM steps s JOIN up ON s.id = up.parent_id) SELECT 1 FROM up WHERE id = ? LIMIT 1", step, ancestor)
}

// shiftSiblings moves the steps under procedureID and parentID from
// position on by delta, but step except: closing a gap (-1) or making room
// (+1). Their etags stay: their content does not change.
func (s *Store) shiftSiblings(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, procedureID, parentID *int64, from, delta int, except int64) error {
	_, err := s.exec(ctx, tx, "UPDATE steps SET position = position + ? WHERE org_id = ? AND deleted_at IS NULL AND position >= ? AND id <> ? AND "+
		siblingsOf(procedureID, parentID), append([]any{delta, p.OrgID, from, except}, siblingArgs(p.OrgID, procedureID, parentID)[1:]...)...)
	return err
}

// CopyStep copies a step and everything under it to the end of the
// siblings under procedureID and parentID; the copies name their origin.
func (s *Store) CopyStep(ctx context.Context, stepID int64, procedureID, parentID *int64) (*shopfloor.Step, error) {
	return mutate(ctx, s, steps, "CopyStep", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := exists(ctx, s, tx, steps, p, stepID); err != nil {
			return 0, err
		}
		height, err := s.stepHeight(ctx, tx, stepID)
		if err != nil {
			return 0, err
		}
		position, err := s.placeStep(ctx, tx, p, procedureID, parentID, height)
		if err != nil {
			return 0, err
		}
		copied, err := s.copySteps(ctx, tx, p, treeRoots{}, stepID, procedureID, parentID, &position)
		if err != nil {
			return 0, err
		}
		return copied[stepID], nil
	})
}

// DeleteStep soft-deletes a step with everything under it, and closes the
// gap among its siblings.
func (s *Store) DeleteStep(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, steps, "DeleteStep", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		procedureID, err := s.editableStep(ctx, tx, p, id)
		if err != nil {
			return err
		}
		var parentID *int64
		var position int
		if err := s.queryRow(ctx, tx, "SELECT parent_id, position FROM steps WHERE id = ?", id).Scan(&parentID, &position); err != nil {
			return err
		}
		under, err := s.trees(ctx, tx, p, treeRoots{byParent: true}, []int64{id})
		if err != nil {
			return err
		}
		gone := append(stepIDs(under[id]), id)
		now := s.Now().UTC()
		if len(gone) > 1 {
			in, args := s.dialect.idIn("id", gone[:len(gone)-1])
			if err := s.softDeleteWhere(ctx, tx, p, steps.name, in, args...); err != nil {
				return err
			}
		}
		down, args := s.dialect.idIn("step_id", gone)
		up, _ := s.dialect.idIn("upstream_step_id", gone)
		if _, err := s.exec(ctx, tx, "UPDATE step_edges SET deleted_at = ? WHERE deleted_at IS NULL AND ("+down+" OR "+up+")",
			append(append([]any{now}, args...), args...)...); err != nil {
			return err
		}
		return s.shiftSiblings(ctx, tx, p, procedureID, parentID, position+1, -1, id)
	})
}

// UpdateStepAttribute sets one custom attribute of a step that may change
// (a standard step, or a draft procedure's), under the step's etag.
func (s *Store) UpdateStepAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.Step, error) {
	return setAttribute(ctx, s, steps, "STEP", f, func(tx *sql.Tx, p *shopfloor.Principal) error {
		_, err := s.editableStep(ctx, tx, p, *f.OwnerID)
		return err
	})
}
