package sqlstore

import (
	"context"
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
}

func deriving[T any](name string, t *table[T]) derivingTable {
	return derivingTable{name, t.selects, t.from(postgresDialect), t.derived, t.selectList}
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
