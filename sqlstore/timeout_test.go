package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// A statement that runs past the store's statement timeout is stopped by
// the engine and answered as the contract's 504 class, with no SQL in the
// message; the store goes on serving.
func TestStatementTimeout(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "slow.example", shopfloor.RoleAdmin)
		p := must[*shopfloor.Principal](t)(shopfloor.PrincipalFrom(ctx))
		_, err := s.DB().ExecContext(ctx, fmt.Sprintf(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 50000)
			INSERT INTO parts (org_id, part_number, description, revision, part_type, status, etag, created_at, updated_at)
			SELECT %d, 'P-' || n, 'part ' || n, 'A', 'PART', 'ACTIVE', 'e', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM g`, p.OrgID))
		if err != nil {
			t.Fatal(err)
		}
		count := shopfloor.ListOptions{First: ptr(0), Filters: map[string]any{"description": map[string]any{"ilike": "%zz%"}}}
		s.StatementTimeout = time.Millisecond
		_, err = s.Parts(ctx, count)
		wantCode(t, err, shopfloor.CodeTimeout, "A database statement ran longer than 1ms and was cancelled; narrow the filters or the page.")
		s.StatementTimeout = time.Minute
		if page := must[*shopfloor.Page[shopfloor.Part]](t)(s.Parts(ctx, count)); page.TotalCount != 0 {
			t.Fatalf("%d parts match", page.TotalCount)
		}
	})
}
