package sqlstore

import (
	"context"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
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

// A derived expression is read only when the operation selects one of its
// fields; otherwise its zero takes its place, and without an operation
// everything is read.
func TestDerivedOnlyWhenSelected(t *testing.T) {
	t.Parallel()
	type check struct {
		name, selects string
		derived       []derived
		selectList    func(context.Context) string
	}
	for _, c := range []check{
		{"parts", parts.selects, parts.derived, parts.selectList},
		{"inventories", inventories.selects, inventories.derived, inventories.selectList},
		{"locations", locations.selects, locations.derived, locations.selectList},
		{"run steps", runSteps.selects, runSteps.derived, runSteps.selectList},
		{"run step fields", runStepFields.selects, runStepFields.derived, runStepFields.selectList},
	} {
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
