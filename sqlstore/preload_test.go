package sqlstore_test

import (
	"context"
	"maps"
	"reflect"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// everything is a selection of every field of every type.
type everything struct{}

func (everything) Selects(string, string) bool { return true }
func (everything) SelectsField(string) bool    { return true }

// handed records the locations a read preloads.
type handed map[int64]*shopfloor.Location

func (h handed) Locations(m map[int64]*shopfloor.Location) { maps.Copy(h, m) }

// A read of inventory that selects its location carries it: the same
// location a read by id gives, every column included, and none for an id
// that names no live location of the caller's organization.
func TestPreloadedLocations(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		other := asUser(t, s, "b.example", shopfloor.RoleAdmin)
		wh := must[*shopfloor.Location](t)(s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("WH"), Description: ptr("Main"), LocationType: ptr("warehouse")}))
		shelf := must[*shopfloor.Location](t)(s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("S1"), ParentID: &wh.ID, InventoryAvailable: ptr(false)}))
		foreign := must[*shopfloor.Location](t)(s.CreateLocation(other, shopfloor.LocationFields{Name: ptr("Theirs")}))
		part := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("P")}))
		for _, loc := range []*int64{&wh.ID, &shelf.ID, nil, &wh.ID, &shelf.ID} {
			must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &part.ID, Quantity: ptr(2.0), LocationID: loc}))
		}
		stray := must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &part.ID, Quantity: ptr(1.0)}))
		gone := must[*shopfloor.Location](t)(s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("Gone")}))
		must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &part.ID, Quantity: ptr(1.0), LocationID: &gone.ID}))
		// What the API refuses, but a database may hold: inventory naming
		// another organization's location, or a deleted one.
		for _, stmt := range []struct {
			sql string
			arg []any
		}{
			{"UPDATE part_inventories SET location_id = ? WHERE id = ?", []any{foreign.ID, stray.ID}},
			{"UPDATE locations SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?", []any{gone.ID}},
		} {
			if _, err := s.DB().ExecContext(ctx, s.Rebind(stmt.sql), stmt.arg...); err != nil {
				t.Fatal(err)
			}
		}

		want := handed{foreign.ID: nil, gone.ID: nil}
		for _, l := range must[[]shopfloor.Location](t)(s.LocationsByIDs(shopfloor.WithSelection(ctx, everything{}), []int64{wh.ID, shelf.ID})) {
			want[l.ID] = &l
		}
		reads := map[string]func(ctx context.Context) (int, error){
			"list": func(ctx context.Context) (int, error) {
				page, err := s.PartInventories(ctx, shopfloor.ListOptions{})
				return len(page.Items), err
			},
			"grouped": func(ctx context.Context) (int, error) {
				m, err := s.InventoriesByPartIDs(ctx, []int64{part.ID})
				return len(m[part.ID]), err
			},
		}
		for name, read := range reads {
			got := handed{}
			n, err := read(shopfloor.WithPreloads(shopfloor.WithSelection(ctx, everything{}), got))
			if err != nil || n != 7 {
				t.Fatalf("%s: %d rows, %v", name, n, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s preloaded %v, want %v", name, got, want)
			}
			for id, l := range got {
				if l != nil && !reflect.DeepEqual(*l, *want[id]) {
					t.Errorf("%s preloaded %+v, want %+v", name, *l, *want[id])
				}
			}
			// Without preloads, or without the field, nothing is handed.
			unasked := handed{}
			if _, err := read(shopfloor.WithPreloads(shopfloor.WithSelection(ctx, nothing{}), unasked)); err != nil || len(unasked) != 0 {
				t.Errorf("%s preloaded %v unasked (%v)", name, unasked, err)
			}
		}
	})
}

// nothing is a selection of no field.
type nothing struct{}

func (nothing) Selects(string, string) bool { return false }
func (nothing) SelectsField(string) bool    { return false }
