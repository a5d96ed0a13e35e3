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

// Nullable ids, texts and numbers read back as set, and as nil when not:
// on PostgreSQL a read's rows are scanned through pgxDest's scanners.
func TestNullableColumns(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		part := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("N")})).ID
		loc := must[*shopfloor.Location](t)(s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("WH")})).ID
		set := must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &part, LocationID: &loc,
			SerialNumber: ptr("SN-1"), Cost: ptr(2.5)})).ID
		unset := must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &part})).ID
		units := must[map[int64][]shopfloor.PartInventory](t)(s.InventoriesByPartIDs(ctx, []int64{part}))[part]
		if len(units) != 2 || units[0].ID != set || units[1].ID != unset {
			t.Fatalf("units %+v, want %d and %d", units, set, unset)
		}
		if u := units[0]; u.LocationID == nil || *u.LocationID != loc || u.SerialNumber == nil || *u.SerialNumber != "SN-1" || u.Cost == nil || *u.Cost != 2.5 {
			t.Errorf("unit with values: location %v, serial %v, cost %v", u.LocationID, u.SerialNumber, u.Cost)
		}
		if u := units[1]; u.LocationID != nil || u.SerialNumber != nil || u.Cost != nil {
			t.Errorf("unit without values: location %v, serial %v, cost %v", u.LocationID, u.SerialNumber, u.Cost)
		}
	})
}
