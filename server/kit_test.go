package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// nestedPartKits selects a page of the newest kits with their staging location and
// items, the items' parts and the inventory issued to them, with its
// location.
const nestedPartKits = `{ partKits(first: %d, sort: [ID_DESC]) { edges { node { id _etag name status runId stagingLocation { name }
	partKitItems { id quantity part { partNumber } partInventories { id status quantity location { name } } } } }
	pageInfo { totalCount } } }`

// withPartKits adds n kits, each staged at one location with two items and
// a unit of inventory (at that location) issued to the first.
func (f *fixture) withPartKits(tb testing.TB, n int) {
	var loc struct {
		Data struct {
			CreateLocation struct{ Location struct{ ID int64 } }
		}
	}
	if err := json.Unmarshal(f.query(tb, `mutation { createLocation(input: {name: "Kitting"}) { location { id } } }`), &loc); err != nil {
		tb.Fatal(err)
	}
	at := loc.Data.CreateLocation.Location.ID
	for i := range n {
		var created struct {
			Data struct {
				CreatePartKit       struct{ PartKit struct{ ID int64 } }
				CreatePartInventory struct {
					PartInventory struct {
						ID   int64
						Etag string `json:"_etag"`
					}
				}
			}
		}
		raw := f.query(tb, fmt.Sprintf(`mutation { createPartKit(input: {name: "kit %d", stagingLocationId: %d}) { partKit { id } }
			createPartInventory(input: {partId: 2, quantity: 1, locationId: %d}) { partInventory { id _etag } } }`, i, at, at))
		if err := json.Unmarshal(raw, &created); err != nil {
			tb.Fatal(err)
		}
		kit, inv := created.Data.CreatePartKit.PartKit.ID, created.Data.CreatePartInventory.PartInventory
		var items struct {
			Data struct {
				A struct{ PartKitItem struct{ ID int64 } }
			}
		}
		raw = f.query(tb, fmt.Sprintf(`mutation { a: createPartKitItem(input: {partKitId: %d, partId: 2, quantity: 2}) { partKitItem { id } }
			b: createPartKitItem(input: {partKitId: %d, partId: 3, quantity: 0.5}) { partKitItem { id } } }`, kit, kit))
		if err := json.Unmarshal(raw, &items); err != nil {
			tb.Fatal(err)
		}
		f.query(tb, fmt.Sprintf(`mutation { issueItemToKit(input: {partInventoryId: %d, etag: "%s", partKitItemId: %d}) { partInventory { id } } }`,
			inv.ID, inv.Etag, items.Data.A.PartKitItem.ID))
	}
}

// Kits' nested relations load in one statement per relation per level: a
// page of kits with their items, parts and issued inventory costs the same
// statements at every page size.
func TestPartKitStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withPartKits(t, 50)
	// principal + page with its count + staging locations, items, parts,
	// issued inventory (1 each); the units' location is the kits' staging
	// location, loaded already
	f.constantStatements(t, nestedPartKits, "KITTED", 6)
}

// BenchmarkPartKitsPage measures partKits(first: 50) with items, parts and
// issued inventory over HTTP, and reports the SQL statements per request.
func BenchmarkPartKitsPage(b *testing.B) {
	f := newFixture(b)
	f.withPartKits(b, 50)
	q := strings.Replace(nestedPartKits, "%d", "50", 1)
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, q)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}
