package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor/demo"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// dataset is what the generator adds to the demo seed, per demo
// organization (the first one is measured): the issue's data set is the demo
// seed's 100 parts, 16 locations and 199 inventory rows plus these.
type dataset struct {
	parts, locations [2]int
	inventoryPerPart int
}

// issueData gives 10,100 parts, 50,199 inventory rows, 1,016 locations and
// 9,060 parts in the measured organization.
var issueData = dataset{parts: [2]int{9000, 1000}, locations: [2]int{900, 100}, inventoryPerPart: 5}

// loaded is what the benchmark needs to know of a loaded database.
type loaded struct {
	creds []demo.Org
	// orgID and userID are the measured organization and its admin.
	orgID, userID int64
	// inventoryIDs are the measured organization's generated inventory.
	inventoryIDs []int64
	// runID is the measured organization's run of runSteps steps.
	runID int64
	// rebind renders ? placeholders in the engine's own.
	rebind func(string) string
}

// load seeds the demo data set through the store, then adds the generated
// rows with bulk inserts. The generator is deterministic (a fixed seed). On
// PostgreSQL it then vacuums and analyzes the tables, as autovacuum soon would (the
// visibility map lets counts read the index alone); SQLite's
// statistics are Shopfloor's own business (it optimizes at open).
func load(ctx context.Context, store *sqlstore.Store, postgres bool, d dataset) (*loaded, error) {
	creds, err := demo.Seed(ctx, store, nil)
	if err != nil {
		return nil, err
	}
	db := store.DB()
	out := &loaded{creds: creds, rebind: store.Rebind}
	rng := rand.New(rand.NewPCG(19, 19))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	b := &bulk{tx: tx, rebind: store.Rebind}
	for i, org := range creds {
		var orgID, userID, each int64
		err := tx.QueryRowContext(ctx, store.Rebind("SELECT o.id, u.id, m.id FROM organizations o JOIN users u ON u.org_id = o.id "+
			"JOIN units_of_measurement m ON m.org_id = o.id AND m.type = 'each' WHERE o.domain = ? ORDER BY u.id LIMIT 1"),
			org.Domain).Scan(&orgID, &userID, &each)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			out.orgID, out.userID = orgID, userID
		}
		audit := func(row []any) []any { return append(row, "", now, now, userID, userID) }
		locs, err := b.insert(ctx, "locations", "name, description, location_type, inventory_available, status", d.locations[i], func(n int) []any {
			return audit([]any{fmt.Sprintf("Bin %s-%04d", org.Domain, n), nil, "BIN", n%10 != 0, "AVAILABLE"})
		})
		if err != nil {
			return nil, err
		}
		lot := make([]bool, d.parts[i])
		parts, err := b.insert(ctx, "parts", "part_number, description, revision, part_type, tracking_type, status, sourcing_strategy, cost, lead_time, export_controlled",
			d.parts[i], func(n int) []any {
				lot[n] = n%2 == 1
				var tracking any
				if lot[n] {
					tracking = "LOT"
				}
				return audit([]any{fmt.Sprintf("BENCH-%06d", n), fmt.Sprintf("Generated part %d", n), "A", "PART", tracking, "RELEASED", "BUY",
					float64(1 + rng.IntN(500)), float64(1 + rng.IntN(60)), false})
			})
		if err != nil {
			return nil, err
		}
		invs, err := b.insert(ctx, "part_inventories", "part_id, location_id, lot_number, quantity, cost, unit_of_measure_id",
			len(parts)*d.inventoryPerPart, func(n int) []any {
				part := n / d.inventoryPerPart
				var lotNumber any
				if lot[part] {
					lotNumber = fmt.Sprintf("LOT-%d", n)
				}
				return audit([]any{parts[part], locs[rng.IntN(len(locs))], lotNumber, float64(1 + rng.IntN(100)), float64(1 + rng.IntN(50)), each})
			})
		if err != nil {
			return nil, err
		}
		if i == 0 {
			out.inventoryIDs = invs
		}
	}
	// Every location has its entity row (ION's entityId), as the store
	// writes it for the locations it creates.
	if _, err := tx.ExecContext(ctx, "INSERT INTO entities (org_id, kind, row_id) SELECT l.org_id, 'Location', l.id FROM locations l "+
		"WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.kind = 'Location' AND e.row_id = l.id) ORDER BY l.id"); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if out.runID, err = seedRun(ctx, store, out.userID); err != nil {
		return nil, err
	}
	if postgres {
		if _, err := db.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// bulk inserts generated rows in batches, in one transaction.
type bulk struct {
	tx     *sql.Tx
	rebind func(string) string
}

// batchRows keeps a batch's parameters under SQLite's limit.
const batchRows = 500

// insert adds n rows to table; row(i) gives the values of cols followed by
// etag, created_at, updated_at, created_by_id, updated_by_id and org_id is
// taken from created_by_id's user. It returns the new ids in order.
func (b *bulk) insert(ctx context.Context, table, cols string, n int, row func(i int) []any) ([]int64, error) {
	all := cols + ", etag, created_at, updated_at, created_by_id, updated_by_id, org_id"
	width := strings.Count(all, ",") + 1
	ids := make([]int64, 0, n)
	for start := 0; start < n; start += batchRows {
		end := min(start+batchRows, n)
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " (" + all + ") VALUES ")
		args := make([]any, 0, (end-start)*width)
		for i := start; i < end; i++ {
			if i > start {
				q.WriteString(", ")
			}
			q.WriteString("(" + strings.TrimSuffix(strings.Repeat("?, ", width-1), ", ") + ", (SELECT org_id FROM users WHERE id = ?))")
			v := row(i)
			v[len(v)-5] = fmt.Sprintf("%032x", i+1) // the etag
			args = append(args, append(v, v[len(v)-2])...)
		}
		q.WriteString(" RETURNING id")
		rows, err := b.tx.QueryContext(ctx, b.rebind(q.String()), args...)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", table, err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return ids, nil
}
