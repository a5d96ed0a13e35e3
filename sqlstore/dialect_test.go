package sqlstore

import "testing"

// PostgreSQL numbers the placeholders; SQLite keeps the store's ? ones.
func TestRebind(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, pg string }{
		{"SELECT 1", "SELECT 1"},
		{"?", "$1"},
		{"a = ? AND b IN (?, ?) AND c = 'é'", "a = $1 AND b IN ($2, $3) AND c = 'é'"},
		{"x = ??", "x = $1$2"},
	} {
		if got := postgresDialect.rebind(c.in); got != c.pg {
			t.Errorf("PostgreSQL rebind(%q) = %q, want %q", c.in, got, c.pg)
		}
		if got := sqliteDialect.rebind(c.in); got != c.in {
			t.Errorf("SQLite rebind(%q) = %q", c.in, got)
		}
	}
}
