package sqlstore

import (
	"slices"
	"testing"
)

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

// PostgreSQL binds a list of ids as one array, so the statement is the same
// for any number of them; SQLite binds each.
func TestIDIn(t *testing.T) {
	t.Parallel()
	ids := []int64{3, 1, 2}
	if cond, args := postgresDialect.idIn("x.id", ids); cond != "x.id = ANY(?)" || len(args) != 1 || !slices.Equal(args[0].([]int64), ids) {
		t.Errorf("PostgreSQL idIn = %q %v", cond, args)
	}
	if cond, args := sqliteDialect.idIn("x.id", ids); cond != "x.id IN (?,?,?)" || !slices.Equal(args, []any{int64(3), int64(1), int64(2)}) {
		t.Errorf("SQLite idIn = %q %v", cond, args)
	}
}
