package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// statementStats are the server parameters with which PostgreSQL counts
// its statements (pg_stat_statements, planning included) for -profile.
var statementStats = []string{"shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track_planning=on"}

// countStatements makes the benchmark database count its statements.
func countStatements(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"); err != nil {
		return fmt.Errorf("pg_stat_statements: %w", err)
	}
	return nil
}

// resetStatements forgets the statements counted so far.
func resetStatements(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, "SELECT pg_stat_statements_reset()")
	return err
}

// saveStatements writes the statements counted since the last reset to
// path, costliest first: per request of the cell (requests in all), how
// often each ran and was planned, and the milliseconds it spent planning
// and executing.
func saveStatements(ctx context.Context, db *sql.DB, path string, requests float64) error {
	rows, err := db.QueryContext(ctx, `SELECT calls, plans, total_plan_time, total_exec_time, rows, query FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
		ORDER BY total_plan_time + total_exec_time DESC LIMIT 20`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "per request (%.0f requests):\tcalls\tplans\tplan ms\texec ms\trows\tstatement\n", requests)
	for rows.Next() {
		var calls, plans, n int64
		var plan, exec float64
		var query string
		if err := rows.Scan(&calls, &plans, &plan, &exec, &n, &query); err != nil {
			return err
		}
		if len(query) > 300 {
			query = query[:300] + "…"
		}
		fmt.Fprintf(w, "\t%.2f\t%.2f\t%.3f\t%.3f\t%.1f\t%s\n", float64(calls)/requests, float64(plans)/requests, plan/requests, exec/requests,
			float64(n)/max(float64(calls), 1), strings.Join(strings.Fields(query), " "))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.Flush()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
