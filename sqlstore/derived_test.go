package sqlstore

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// selects is a selection of the given type.field names.
type selects map[string]bool

func (s selects) Selects(typeName, field string) bool { return s[typeName+"."+field] }

func (s selects) SelectsField(field string) bool {
	for f := range s {
		if strings.HasSuffix(f, "."+field) {
			return true
		}
	}
	return false
}

// derivingTable is what the derived checks read of a table with derived
// expressions.
type derivingTable struct {
	name, selects, from string
	derived             []derived
	selectList          func(context.Context) string
	readList            func(context.Context) readList
	dests               int // scan destinations of a row
}

func deriving[T any](name string, t *table[T]) derivingTable {
	return derivingTable{name, t.selects, t.from(postgresDialect), t.derived, t.selectList, t.readList, len(t.dest(new(T)))}
}

// derivingTables are the tables with derived expressions.
func derivingTables() []derivingTable {
	return []derivingTable{deriving("parts", parts), deriving("inventories", inventories), deriving("locations", locations),
		deriving("run steps", runSteps), deriving("run step fields", runStepFields), deriving("datagrid columns", datagridColumns)}
}

// On PostgreSQL a left-out expression reads a zero of its own type (or any
// non-NULL literal): a bare NULL is text there, and pgx's native scan plans
// text into a time or an id only by trying every type it knows, for every
// row.
func TestDerivedZerosKeepTheirType(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, pgtest.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	types := func(cols, from string) []uint32 {
		t.Helper()
		rows, err := s.pool.Query(ctx, "SELECT "+cols+" FROM "+from+" WHERE FALSE")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var oids []uint32
		for _, f := range rows.FieldDescriptions() {
			oids = append(oids, f.DataTypeOID)
		}
		return oids
	}
	for _, c := range derivingTables() {
		full := types(c.selects, c.from)
		none := types(c.selectList(shopfloor.WithSelection(ctx, selects{})), c.from)
		for i := range full {
			if none[i] == pgtype.TextOID && full[i] != pgtype.TextOID {
				t.Errorf("%s: column %d reads text when left out, %d when read", c.name, i+1, full[i])
			}
		}
	}
}

// A derived expression is read only when the operation selects one of its
// fields; otherwise its zero takes its place, and without an operation
// everything is read.
func TestDerivedOnlyWhenSelected(t *testing.T) {
	t.Parallel()
	for _, c := range derivingTables() {
		for _, d := range c.derived {
			if n := strings.Count(c.selects, d.expr); n != 1 {
				t.Fatalf("%s: %s appears %d times in the select list, want once", c.name, d.expr, n)
			}
		}
		if got := c.selectList(context.Background()); got != c.selects {
			t.Errorf("%s without an operation: %s", c.name, got)
		}
		none := c.selectList(shopfloor.WithSelection(context.Background(), selects{}))
		for _, d := range c.derived {
			if strings.Contains(none, d.expr) {
				t.Errorf("%s: %s read though nothing selects it", c.name, d.expr)
			}
		}
	}
	got := inventories.selectList(shopfloor.WithSelection(context.Background(), selects{"PartInventory.quantityAvailable": true}))
	if !strings.Contains(got, inventoryStatus) || strings.Contains(got, inventoryTracking) {
		t.Errorf("quantityAvailable selected: want the status and not the tracking type, got %s", got)
	}
}

// A native scan leaves out the destination of each derived expression read
// as its zero (a zero that scans as the Go zero value, which the row's value
// starts with): the item at that position is the expression in the full
// list and its zero in the operation's, and the list has an item per
// destination.
func TestDerivedLeftOutOfTheScan(t *testing.T) {
	t.Parallel()
	for _, c := range derivingTables() {
		items := selectItems(c.selects)
		if len(items) != c.dests {
			t.Fatalf("%s: %d items in the select list, %d destinations", c.name, len(items), c.dests)
		}
		if l := c.readList(context.Background()); l.skip != nil {
			t.Errorf("%s without an operation skips %v", c.name, l.skip)
		}
		none := c.readList(shopfloor.WithSelection(context.Background(), selects{}))
		if len(none.skip) != len(c.derived) {
			t.Errorf("%s: %d of %d derived expressions left out of the scan", c.name, len(none.skip), len(c.derived))
		}
		noneItems := selectItems(none.cols)
		for _, d := range c.derived {
			if !slices.Contains([]string{"NULL", "''", "0", nullID, nullTime}, d.zero) {
				t.Errorf("%s: %s reads %s when left out, which may not scan as the zero value", c.name, d.expr, d.zero)
			}
		}
		for i, k := range none.skip {
			if got := itemAt(c.selects, items, k); got != c.derived[i].expr {
				t.Errorf("%s: item %d is %s, not %s", c.name, k, got, c.derived[i].expr)
			}
			if got := itemAt(none.cols, noneItems, k); got != c.derived[i].zero {
				t.Errorf("%s: item %d reads %s, not %s", c.name, k, got, c.derived[i].zero)
			}
		}
	}
	if got := selectItems(`a, f(b, 'x,y'), CASE WHEN c THEN ',' END,  d`); len(got) != 4 || got[3] != 43 {
		t.Errorf("items at %v", got)
	}
}
