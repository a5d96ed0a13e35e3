package main

import (
	"fmt"
	"net/http"
	"testing"
)

// stock is an inventory row as the split and merge tests read it.
type stock struct {
	ID           int64
	Etag         string `json:"_etag"`
	Quantity     float64
	LotNumber    *string
	LocationID   *int64
	Cost         *float64
	Status       string
	SerialNumber *string
}

const stockFields = `id _etag quantity lotNumber locationId cost status serialNumber`

// stock creates inventory of a part.
func (b buyer) stock(tb testing.TB, in map[string]any) stock {
	tb.Helper()
	var out struct{ PartInventory stock }
	b.ok(tb, "createPartInventory", `mutation($in: CreatePartInventoryInput!) { createPartInventory(input: $in) { partInventory { `+stockFields+` } } }`,
		map[string]any{"in": in}, &out)
	return out.PartInventory
}

// readStock reads inventory by id.
func (b buyer) readStock(tb testing.TB, id int64) stock {
	tb.Helper()
	var out stock
	b.ok(tb, "partInventory", `query($id: ID!) { partInventory(id: $id) { `+stockFields+` } }`, map[string]any{"id": id}, &out)
	return out
}

const (
	splitStock = `mutation($in: SplitPartInventoryInput!) { splitPartInventory(input: $in) { partInventory { ` + stockFields + ` } newPartInventory { ` + stockFields + ` } } }`
	mergeStock = `mutation($in: MergePartInventoryInput!) { mergePartInventory(input: $in) { partInventory { ` + stockFields + ` } } }`
)

// Splitting a lot keeps its total in two rows of the same lot and cost;
// merging them back makes one row and deletes the other; serial units,
// held inventory, other lots and locations are refused with the field and
// the rule, and a refusal or a stale etag changes nothing.
func TestSplitAndMergeInventory(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		s := b.s
		part, dock, shelf := b.part(t, "LOT"), b.location(t, true), b.location(t, true)
		lot := b.stock(t, map[string]any{"partId": part, "quantity": 10, "lotNumber": "L-7", "locationId": dock, "cost": 2.5})

		split := func(in map[string]any) gqlResponse { return s.gql(t, b.tok, splitStock, map[string]any{"in": in}) }
		wantInvalid(t, split(map[string]any{"id": lot.ID, "etag": lot.Etag, "quantity": 10}), "PartInventory quantity must be less than the inventory's quantity (10).")
		wantInvalid(t, split(map[string]any{"id": lot.ID, "etag": lot.Etag, "quantity": 0}), "PartInventory quantity must be greater than 0.")
		split(map[string]any{"id": lot.ID, "etag": "0123456789abcdef0123456789abcdef", "quantity": 1}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		split(map[string]any{"id": lot.ID, "etag": lot.Etag, "quantity": 1, "locationId": 999999999}).
			wantError(t, http.StatusOK, http.StatusNotFound, "Location with id 999999999 not found.")
		if got := b.readStock(t, lot.ID); !sameJSON(t, got, lot) {
			t.Fatalf("refused splits changed the inventory: %+v, was %+v", got, lot)
		}

		var out struct{ PartInventory, NewPartInventory stock }
		b.ok(t, "splitPartInventory", splitStock, map[string]any{"in": map[string]any{"id": lot.ID, "_etag": lot.Etag, "quantity": "3.3"}}, &out)
		kept, moved := out.PartInventory, out.NewPartInventory
		if kept.Quantity != 6.7 || moved.Quantity != 3.3 || kept.Etag == lot.Etag || moved.ID == lot.ID ||
			*moved.LotNumber != "L-7" || *moved.LocationID != dock || *moved.Cost != 2.5 || moved.Status != "AVAILABLE" {
			t.Fatalf("split into %+v and %+v", kept, moved)
		}
		var away struct{ NewPartInventory stock }
		b.ok(t, "splitPartInventory", splitStock, map[string]any{"in": map[string]any{"id": moved.ID, "etag": moved.Etag, "quantity": 0.3, "locationId": shelf}}, &away)
		moved = b.readStock(t, moved.ID)
		if moved.Quantity != 3 || *away.NewPartInventory.LocationID != shelf {
			t.Fatalf("split to a shelf left %+v and made %+v", moved, away.NewPartInventory)
		}

		merge := func(id int64, etag string, from ...stock) gqlResponse {
			var rows []any
			for _, f := range from {
				rows = append(rows, map[string]any{"id": f.ID, "etag": f.Etag})
			}
			return s.gql(t, b.tok, mergeStock, map[string]any{"in": map[string]any{"id": id, "etag": etag, "partInventories": rows}})
		}
		wantInvalid(t, merge(kept.ID, kept.Etag, away.NewPartInventory), fmt.Sprintf("PartInventory locationId of %d differs: merged inventory is at one location.", away.NewPartInventory.ID))
		other := b.stock(t, map[string]any{"partId": part, "quantity": 1, "lotNumber": "L-8", "locationId": dock})
		wantInvalid(t, merge(kept.ID, kept.Etag, moved, other), fmt.Sprintf("PartInventory lotNumber of %d differs: merged inventory is of one lot.", other.ID))
		wantInvalid(t, merge(kept.ID, kept.Etag, kept), fmt.Sprintf("PartInventory partInventories must name each inventory once, and not the one merged into (%d).", kept.ID))
		merge(kept.ID, kept.Etag, stock{ID: moved.ID, Etag: "0123456789abcdef0123456789abcdef"}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		if got := b.readStock(t, kept.ID); !sameJSON(t, got, kept) {
			t.Fatalf("refused merges changed the inventory: %+v, was %+v", got, kept)
		}
		if got := b.readStock(t, moved.ID); !sameJSON(t, got, moved) {
			t.Fatalf("refused merges changed the merged row: %+v, was %+v", got, moved)
		}

		var merged struct{ PartInventory stock }
		merge(kept.ID, kept.Etag, moved).must(t).field(t, "mergePartInventory", &merged)
		if merged.PartInventory.Quantity != 9.7 || merged.PartInventory.Etag == kept.Etag {
			t.Fatalf("merged into %+v", merged.PartInventory)
		}
		s.gql(t, b.tok, `query($id: ID!) { partInventory(id: $id) { id } }`, map[string]any{"id": moved.ID}).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("PartInventory with id %d not found.", moved.ID))

		serialPart := b.part(t, "SERIAL")
		unit := b.stock(t, map[string]any{"partId": serialPart, "serialNumber": unique("SN"), "locationId": dock})
		twin := b.stock(t, map[string]any{"partId": serialPart, "serialNumber": unique("SN"), "locationId": dock})
		wantInvalid(t, split(map[string]any{"id": unit.ID, "etag": unit.Etag, "quantity": 0.5}), "PartInventory trackingType is SERIAL: a serial unit cannot be split.")
		wantInvalid(t, merge(unit.ID, unit.Etag, twin), "PartInventory trackingType is SERIAL: serial units cannot be merged.")

		wantInvalid(t, split(map[string]any{"id": b.orderOnOrderInventory(t), "etag": "x", "quantity": 0.5}), "PartInventory status is ON_ORDER: only AVAILABLE or UNAVAILABLE inventory can be split.")

		s.gql(t, s.token(t, 0, "Read-only"), splitStock, map[string]any{"in": map[string]any{"id": kept.ID, "etag": merged.PartInventory.Etag, "quantity": 1}}).
			wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform UPDATE on Part Inventory.")
	})
}
