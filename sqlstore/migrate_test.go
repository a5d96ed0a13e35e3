package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// Migration 5 keeps a database's data: existing locations get entityIds,
// each distinct inventory unit text becomes a unit of measurement of its
// organization, and the permission groups become ION's ids; down, the
// units are text again.
func TestMigrationToWireSchema(t *testing.T) {
	for _, e := range []struct {
		name    string
		dialect *dialect
		prepare func(t *testing.T) (driver, dsn string, open func() (*Store, error))
	}{
		{"sqlite", sqliteDialect, func(t *testing.T) (string, string, func() (*Store, error)) {
			dir := t.TempDir()
			return "sqlite", "file:" + filepath.Join(dir, "shopfloor.db"), func() (*Store, error) { return OpenSQLite(context.Background(), dir) }
		}},
		{"postgres", postgresDialect, func(t *testing.T) (string, string, func() (*Store, error)) {
			url := pgtest.Database(t)
			return "pgx", url, func() (*Store, error) { return Open(context.Background(), url) }
		}},
	} {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			driver, dsn, open := e.prepare(t)
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			dir, _ := fs.Sub(migrations, "migrations/"+e.dialect.name)
			p, err := goose.NewProvider(e.dialect.goose, db, dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 4); err != nil {
				t.Fatal(err)
			}
			const at = "'2026-01-01 00:00:00'"
			for _, q := range []string{
				"INSERT INTO organizations (id, name, domain, etag, created_at, updated_at) VALUES (1, 'A', 'a.example', 'e', " + at + ", " + at + "), (2, 'B', 'b.example', 'e', " + at + ", " + at + ")",
				"INSERT INTO permission_groups (id, name, family) VALUES (1, 'CreateABomForPartInventory', 'ABomItem')",
				"INSERT INTO locations (id, org_id, name, status, etag, created_at, updated_at) VALUES (1, 1, 'L1', 'ACTIVE', 'e', " + at + ", " + at + "), (2, 2, 'L2', 'ACTIVE', 'e', " + at + ", " + at + ")",
				"INSERT INTO parts (id, org_id, part_number, revision, part_type, status, etag, created_at, updated_at) VALUES (1, 1, 'P', 'A', 'PART', 'RELEASED', 'e', " + at + ", " + at + "), (2, 2, 'P', 'A', 'PART', 'RELEASED', 'e', " + at + ", " + at + ")",
				"INSERT INTO part_inventories (id, org_id, part_id, quantity, unit_of_measure, etag, created_at, updated_at) VALUES " +
					"(1, 1, 1, 1, 'kg', 'e', " + at + ", " + at + "), (2, 1, 1, 1, 'kg', 'e', " + at + ", " + at + "), (3, 1, 1, 1, 'each', 'e', " + at + ", " + at + "), " +
					"(4, 2, 2, 1, 'kg', 'e', " + at + ", " + at + "), (5, 2, 2, 1, NULL, 'e', " + at + ", " + at + ")",
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			db.Close()
			s, err := open()
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rows := func(q string) string {
				t.Helper()
				r, err := s.read.QueryContext(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				var out []string
				for r.Next() {
					var a, b any
					if err := r.Scan(&a, &b); err != nil {
						t.Fatal(err)
					}
					out = append(out, fmt.Sprintf("%v:%v", a, b))
				}
				return fmt.Sprint(out)
			}
			for q, want := range map[string]string{
				"SELECT kind, row_id FROM entities ORDER BY id": "[Location:1 Location:2 Part:1 Part:2]", // parts own attachments from 00012 on
				"SELECT i.id, u.org_id || ' ' || u.type FROM part_inventories i LEFT JOIN units_of_measurement u ON u.id = i.unit_of_measure_id ORDER BY i.id": "[1:1 kg 2:1 kg 3:1 each 4:2 kg 5:<nil>]",
				"SELECT id, name FROM permission_groups WHERE id IN (1, 133) ORDER BY id":                                                                      "[133:CreatePart]",
			} {
				if got := rows(q); got != want {
					t.Errorf("%s: %s, want %s", q, got, want)
				}
			}
			if _, err := s.migrations.DownTo(ctx, 4); err != nil {
				t.Fatalf("down: %v", err)
			}
			if got := rows("SELECT id, unit_of_measure FROM part_inventories ORDER BY id"); got != "[1:kg 2:kg 3:each 4:kg 5:<nil>]" {
				t.Errorf("down: units %s", got)
			}
		})
	}
}
