package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

// counted is a table whose rows a list reads.
type counted interface{ countSelect(d *dialect) string }

// listed are the tables the API lists, whose rows a query's cost counts.
var listed = []counted{apiKeys, users, inventories, locations, oauthApps, parts, roles, permissionGroups, subtypes, teams,
	issues, attributeDefinitions, barcodeTemplates, rules, notifications,
	suppliers, purchaseOrders, purchaseOrderLines, approvalLevels, receipts, receiptItems,
	procedures, steps, labels, approvalRoles, runs, mbomItems, mbomSubstitutes}

// countSelect counts the caller's live rows of t, named by its entity:
// from live_counts when t is liveCounted.
func (t *table[T]) countSelect(d *dialect) string {
	if t.liveCounted {
		return "SELECT '" + t.entity + "', " + t.liveCount()
	}
	return "SELECT '" + t.entity + "', COUNT(*) FROM " + t.from(d) + " WHERE " + t.scope()
}

// RowCounts implements shopfloor.RowCounter, in one statement.
func (s *Store) RowCounts(ctx context.Context) (_ map[string]int, err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	selects := make([]string, len(listed))
	args := make([]any, len(listed))
	for i, t := range listed {
		selects[i], args[i] = t.countSelect(s.dialect), p.OrgID
	}
	rows, err := s.query(ctx, s.read, strings.Join(selects, " UNION ALL "), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: count rows: %w", err)
	}
	defer rows.Close()
	counts := make(map[string]int, len(listed))
	for rows.Next() {
		var entity string
		var n int
		if err := rows.Scan(&entity, &n); err != nil {
			return nil, fmt.Errorf("sqlstore: count rows: %w", err)
		}
		counts[entity] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: count rows: %w", err)
	}
	return counts, nil
}
