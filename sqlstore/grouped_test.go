package sqlstore_test

import (
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// A grouped read hands each key's rows in id order whatever order the
// engine reads them in: an updated row, which PostgreSQL writes anew at the
// end of the table, still comes first among its part's units.
func TestGroupedInIDOrder(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		var parts []int64
		for _, n := range []string{"A", "B", "C"} {
			parts = append(parts, must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: &n})).ID)
		}
		want := map[int64][]int64{}
		for range 3 {
			for _, part := range parts[:2] { // C has none
				unit := must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &part, Quantity: ptr(1.0)}))
				want[part] = append(want[part], unit.ID)
			}
		}
		for _, id := range []int64{want[parts[0]][0], want[parts[1]][1]} {
			if _, err := s.DB().ExecContext(ctx, s.Rebind("UPDATE part_inventories SET quantity = 2 WHERE id = ?"), id); err != nil {
				t.Fatal(err)
			}
		}
		got := must[map[int64][]shopfloor.PartInventory](t)(s.InventoriesByPartIDs(ctx, []int64{parts[2], parts[1], parts[0]}))
		if len(got) != 2 {
			t.Errorf("grouped %d parts' units, want 2", len(got))
		}
		for part, ids := range want {
			var read []int64
			for _, u := range got[part] {
				read = append(read, u.ID)
			}
			if len(read) != len(ids) || cap(got[part]) != len(ids) {
				t.Fatalf("part %d: units %v (capacity %d), want %v", part, read, cap(got[part]), ids)
			}
			for i := range ids {
				if read[i] != ids[i] {
					t.Errorf("part %d: units %v, want %v", part, read, ids)
					break
				}
			}
		}
	})
}
