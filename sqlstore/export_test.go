package sqlstore

import (
	"context"
	"strings"
)

// ExplainPartsCount returns the database's plan for counting an
// organization's parts matching filters, as a parts list does.
func ExplainPartsCount(ctx context.Context, s *Store, orgID int64, filters map[string]any) (string, error) {
	from, args, err := parts.matching(s.dialect, orgID, filters)
	if err != nil {
		return "", err
	}
	rows, err := s.query(ctx, s.read, "EXPLAIN SELECT COUNT(*)"+from, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		plan = append(plan, line)
	}
	return strings.Join(plan, "\n"), rows.Err()
}
