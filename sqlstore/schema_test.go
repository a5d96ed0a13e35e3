package sqlstore_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
)

// The two engines' migrations are written twice, once per dialect: after
// all of them, both databases have the same tables with the same columns,
// so neither copy drifts from the other.
func TestMigrationsAgreeAcrossEngines(t *testing.T) {
	columns := map[string][]string{}
	for _, e := range engines {
		db := e.open(t).ReadDB()
		q := `SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`
		if e.name == "sqlite" {
			q = `SELECT m.name || '.' || c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
				WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`
		}
		columns[e.name] = tableColumns(t, db, q)
	}
	lite, pg := columns["sqlite"], columns["postgres"]
	if len(lite) < 50 {
		t.Fatalf("only %d columns read: %v", len(lite), lite)
	}
	for _, c := range lite {
		if !slices.Contains(pg, c) {
			t.Errorf("%s is in SQLite's schema only", c)
		}
	}
	for _, c := range pg {
		if !slices.Contains(lite, c) {
			t.Errorf("%s is in PostgreSQL's schema only", c)
		}
	}
}

// tableColumns returns the sorted "table.column" names q reads.
func tableColumns(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.ToLower(c))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
