package sqlstore

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

// entityRows names, by kind, the table and the column of its rows an
// entityId's row_id is: what says whether the entity is still live.
var entityRows = map[string][2]string{
	"Location":          {"locations", "id"},
	"Part":              {"parts", "id"},
	"Issue":             {"issues", "id"},
	procedureFamilyKind: {"procedures", "family_id"},
	stepKind:            {"steps", "id"},
	runKind:             {"runs", "id"},
	runStepKind:         {"run_steps", "id"},
}

// liveEntitySQL finds an entityId of an org whose row is not deleted (a
// family while any version is not); a kind not listed in entityRows is live
// while its entityId is.
var liveEntitySQL = func() string {
	var b strings.Builder
	b.WriteString("SELECT e.kind FROM entities e WHERE e.id = ? AND e.org_id = ? AND CASE e.kind")
	for _, kind := range slices.Sorted(maps.Keys(entityRows)) {
		t := entityRows[kind]
		b.WriteString(" WHEN '" + kind + "' THEN EXISTS (SELECT 1 FROM " + t[0] + " t WHERE t." + t[1] + " = e.row_id AND t.deleted_at IS NULL)")
	}
	b.WriteString(" ELSE TRUE END")
	return b.String()
}()

// liveEntity checks entityID names a live entity of the caller's org and
// returns its kind; another org's, a deleted one's, or none is not found.
func (s *Store) liveEntity(ctx context.Context, q querier, p *shopfloor.Principal, entityID int64) (string, error) {
	var kind string
	err := s.queryRow(ctx, q, liveEntitySQL, entityID, p.OrgID).Scan(&kind)
	if err == sql.ErrNoRows {
		return "", shopfloor.NotFound("Entity", entityID)
	}
	return kind, err
}
