package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var stepEdges = &table[shopfloor.StepEdge]{
	entity: "StepEdge", name: "step_edges", alias: "se",
	selects: "se.id, se.org_id, se.step_id, se.upstream_step_id, se.etag, se.created_at, se.updated_at, se.created_by_id, se.updated_by_id",
	fields:  map[string]column{"id": {"se.id", kindID}},
	dest: func(v *shopfloor.StepEdge) []any {
		return []any{&v.ID, &v.OrgID, &v.StepID, &v.UpstreamStepID, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// StepEdgesByStepIDs returns the dependencies touching each step: those it
// has on upstream steps and those downstream steps have on it.
func (s *Store) StepEdgesByStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.StepEdge, error) {
	out := map[int64][]shopfloor.StepEdge{}
	if len(ids) == 0 {
		return out, nil
	}
	down, args := s.dialect.idIn("se.step_id", ids)
	up, _ := s.dialect.idIn("se.upstream_step_id", ids)
	edges, err := where(ctx, s, stepEdges, "("+down+" OR "+up+")", append(args, args...)...)
	if err != nil {
		return nil, err
	}
	for _, e := range edges {
		out[e.StepID] = append(out[e.StepID], e)
		out[e.UpstreamStepID] = append(out[e.UpstreamStepID], e)
	}
	return out, nil
}

// CreateStepEdge makes a step depend on an upstream step of the same
// procedure; a dependency that would close a cycle is refused.
func (s *Store) CreateStepEdge(ctx context.Context, stepID, upstreamStepID int64) (*shopfloor.StepEdge, error) {
	return mutate(ctx, s, stepEdges, "CreateStepEdge", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		stepProcedure, err := s.editableStep(ctx, tx, p, stepID)
		if err != nil {
			return 0, err
		}
		upstreamProcedure, err := s.editableStep(ctx, tx, p, upstreamStepID)
		if err != nil {
			return 0, err
		}
		// A cycle: the step is already upstream of the upstream step.
		cycle, err := s.hasAny(ctx, tx, "WITH RECURSIVE up (id) AS (SELECT CAST(? AS BIGINT) "+
			"UNION SELECT e.upstream_step_id FROM step_edges e JOIN up ON e.step_id = up.id WHERE e.deleted_at IS NULL AND e.org_id = ?) "+
			"SELECT 1 FROM up WHERE id = ? LIMIT 1", upstreamStepID, p.OrgID, stepID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.StepEdgeCheck(stepID, upstreamStepID, stepProcedure, upstreamProcedure, cycle); err != nil {
			return 0, err
		}
		var c changes
		c.set("step_id", stepID)
		c.set("upstream_step_id", upstreamStepID)
		id, err := s.insert(ctx, tx, stepEdges.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "StepEdge upstreamStepId %d is already upstream of step %d.", upstreamStepID, stepID)
		}
		return id, err
	})
}

// DeleteStepEdge removes a dependency of a step that may change.
func (s *Store) DeleteStepEdge(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, stepEdges, "DeleteStepEdge", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		edge, err := getIn(ctx, s, tx, stepEdges, p, id)
		if err != nil {
			return err
		}
		_, err = s.editableStep(ctx, tx, p, edge.StepID)
		return err
	})
}
