package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// CompactLiveCounts folds the rows that migration 00028's triggers append
// to live_counts into one per organization and table, holding their sum, so
// that a count reads few rows. It deletes only the rows its statement sees:
// rows appended meanwhile stay beside the sum, and a replica compacting at
// the same time sums the rest, so every snapshot keeps its totals.
func (s *Store) CompactLiveCounts(ctx context.Context) (err error) {
	defer s.classify(&err)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.query(ctx, tx, "DELETE FROM live_counts WHERE (org_id, table_name) IN "+
			"(SELECT org_id, table_name FROM live_counts GROUP BY org_id, table_name HAVING COUNT(*) > 1) RETURNING org_id, table_name, n")
		if err != nil {
			return fmt.Errorf("sqlstore: compact live counts: %w", err)
		}
		type key struct {
			org   int64
			table string
		}
		sums := map[key]int64{}
		for rows.Next() {
			var k key
			var n int64
			if err := rows.Scan(&k.org, &k.table, &n); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: compact live counts: %w", err)
			}
			sums[k] += n
		}
		if err := cmp.Or(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("sqlstore: compact live counts: %w", err)
		}
		if len(sums) == 0 {
			return nil
		}
		args := make([]any, 0, 3*len(sums))
		for k, n := range sums {
			args = append(args, k.org, k.table, n)
		}
		values := strings.Repeat(", (?, ?, ?)", len(sums))[2:]
		if _, err := s.exec(ctx, tx, "INSERT INTO live_counts (org_id, table_name, n) VALUES "+values, args...); err != nil {
			return fmt.Errorf("sqlstore: compact live counts: %w", err)
		}
		return nil
	})
}
