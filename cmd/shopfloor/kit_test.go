package main

import (
	"fmt"
	"net/http"
	"testing"
)

const kitRead = `query($id: ID!) { partKit(id: $id) { id _etag status stagingLocation { id }
	partKitItems { id _etag quantity part { id } partInventories { id status kitted } } } }`

// kitState is a kit as kitRead reads it.
type kitState struct {
	ID              int64
	Etag            string `json:"_etag"`
	Status          string
	StagingLocation *struct{ ID int64 }
	PartKitItems    []struct {
		ID              int64
		Etag            string `json:"_etag"`
		Quantity        float64
		Part            struct{ ID int64 }
		PartInventories []struct {
			ID     int64
			Status string
			Kitted bool
		}
	}
}

func (b buyer) kit(tb testing.TB, id int64) kitState {
	tb.Helper()
	var k kitState
	b.ok(tb, "partKit", kitRead, map[string]any{"id": id}, &k)
	return k
}

// Kits over HTTP: a kit with an item, inventory issued to it reads KITTED
// (derived from the kit being open, never written) and the kit moves to
// IN_PROGRESS; a completed kit releases it; moving it back to stock makes
// it AVAILABLE; refusals name the field and rule and change nothing;
// deletes are refused while inventory is issued.
func TestPartKits(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		s := b.s
		part, staging := b.part(t, ""), b.location(t, true)
		var created struct{ PartKit kitState }
		b.ok(t, "createPartKit", `mutation($in: CreatePartKitInput!) { createPartKit(input: $in) { partKit { id _etag status } } }`,
			map[string]any{"in": map[string]any{"name": unique("Kit"), "stagingLocationId": staging}}, &created)
		kitID := created.PartKit.ID
		if created.PartKit.Status != "DRAFT" {
			t.Fatalf("a new kit is %s", created.PartKit.Status)
		}
		createItem := `mutation($in: CreatePartKitItemInput!) { createPartKitItem(input: $in) { partKitItem { id _etag quantity } } }`
		wantInvalid(t, s.gql(t, b.tok, createItem, map[string]any{"in": map[string]any{"partKitId": kitID, "partId": part, "quantity": 0}}),
			"PartKitItem quantity must be greater than 0.")
		var item struct {
			PartKitItem struct {
				ID   int64
				Etag string `json:"_etag"`
			}
		}
		b.ok(t, "createPartKitItem", createItem, map[string]any{"in": map[string]any{"partKitId": kitID, "partId": part, "quantity": 2}}, &item)

		stock := b.stock(t, map[string]any{"partId": part, "quantity": 2, "locationId": staging})
		other := b.stock(t, map[string]any{"partId": b.part(t, ""), "quantity": 1})
		issue := `mutation($in: IssueItemToKitInput!) { issueItemToKit(input: $in) { partInventory { id _etag status kitted } } }`
		wantInvalid(t, s.gql(t, b.tok, issue, map[string]any{"in": map[string]any{"partInventoryId": other.ID, "etag": other.Etag, "partKitItemId": item.PartKitItem.ID}}),
			fmt.Sprintf("PartInventory partId must be the kit item's part (%d).", part))
		s.gql(t, b.tok, issue, map[string]any{"in": map[string]any{"partInventoryId": stock.ID, "etag": "0123456789abcdef0123456789abcdef", "partKitItemId": item.PartKitItem.ID}}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		if got := b.kit(t, kitID); got.Status != "DRAFT" || len(got.PartKitItems[0].PartInventories) != 0 {
			t.Fatalf("refused issues changed the kit: %+v", got)
		}

		var issued struct {
			PartInventory struct {
				ID     int64
				Etag   string `json:"_etag"`
				Status string
				Kitted bool
			}
		}
		b.ok(t, "issueItemToKit", issue, map[string]any{"in": map[string]any{"partInventoryId": stock.ID, "etag": stock.Etag, "partKitItemId": item.PartKitItem.ID}}, &issued)
		if issued.PartInventory.Status != "KITTED" || !issued.PartInventory.Kitted {
			t.Fatalf("issued inventory reads %+v", issued.PartInventory)
		}
		k := b.kit(t, kitID)
		if k.Status != "IN_PROGRESS" || k.StagingLocation.ID != staging || len(k.PartKitItems) != 1 || k.PartKitItems[0].Part.ID != part ||
			len(k.PartKitItems[0].PartInventories) != 1 || k.PartKitItems[0].PartInventories[0].Status != "KITTED" {
			t.Fatalf("kit reads %+v", k)
		}
		wantInvalid(t, s.gql(t, b.tok, issue, map[string]any{"in": map[string]any{"partInventoryId": stock.ID, "etag": issued.PartInventory.Etag, "partKitItemId": item.PartKitItem.ID}}),
			"PartInventory status is KITTED: only AVAILABLE inventory can be issued to a kit.")
		wantInvalid(t, s.gql(t, b.tok, splitStock, map[string]any{"in": map[string]any{"id": stock.ID, "etag": issued.PartInventory.Etag, "quantity": 1}}),
			"PartInventory status is KITTED: only AVAILABLE or UNAVAILABLE inventory can be split.")
		wantInvalid(t, s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deletePartKitItem(id: $id, etag: $e) { id } }`, map[string]any{"id": item.PartKitItem.ID, "e": k.PartKitItems[0].Etag}),
			"PartKitItem cannot be deleted while inventory is issued to it.")
		deleteKit := `mutation($id: ID!, $e: String!) { deletePartKit(id: $id, etag: $e) { id } }`
		wantInvalid(t, s.gql(t, b.tok, deleteKit, map[string]any{"id": kitID, "e": k.Etag}), "PartKit cannot be deleted while inventory is issued to it.")

		updateKit := `mutation($in: UpdatePartKitInput!) { updatePartKit(input: $in) { partKit { _etag status } } }`
		wantInvalid(t, s.gql(t, b.tok, updateKit, map[string]any{"in": map[string]any{"id": kitID, "etag": k.Etag, "status": "SHIPPED"}}),
			"PartKit status must be one of DRAFT, REQUESTED, IN_PROGRESS, DELIVERED, COMPLETED, CANCELED.")
		var done struct{ PartKit kitState }
		b.ok(t, "updatePartKit", updateKit, map[string]any{"in": map[string]any{"id": kitID, "etag": k.Etag, "status": "COMPLETED"}}, &done)
		if st := b.readStock(t, stock.ID); st.Status != "AVAILABLE" || st.Etag != issued.PartInventory.Etag {
			t.Fatalf("inventory of a completed kit reads %+v (the status is derived: its etag stays)", st)
		}
		b.ok(t, "updatePartKit", updateKit, map[string]any{"in": map[string]any{"id": kitID, "etag": done.PartKit.Etag, "status": "DELIVERED"}}, &done)
		if st := b.readStock(t, stock.ID); st.Status != "KITTED" {
			t.Fatalf("inventory of a reopened kit reads %s", st.Status)
		}

		move := `mutation($in: MoveItemToInventoryInput!) { moveItemToInventory(input: $in) { partInventory { _etag status kitted locationId } } }`
		var moved struct {
			PartInventory struct {
				Etag       string `json:"_etag"`
				Status     string
				Kitted     bool
				LocationID int64
			}
		}
		dock := b.location(t, true)
		b.ok(t, "moveItemToInventory", move, map[string]any{"in": map[string]any{"partInventoryId": stock.ID, "etag": issued.PartInventory.Etag, "locationId": dock}}, &moved)
		if moved.PartInventory.Status != "AVAILABLE" || moved.PartInventory.Kitted || moved.PartInventory.LocationID != dock {
			t.Fatalf("moved back to stock: %+v", moved.PartInventory)
		}
		wantInvalid(t, s.gql(t, b.tok, move, map[string]any{"in": map[string]any{"partInventoryId": stock.ID, "etag": moved.PartInventory.Etag}}),
			"PartInventory kitted is false: the inventory is on no open kit.")

		b.ok(t, "updatePartKit", updateKit, map[string]any{"in": map[string]any{"id": kitID, "etag": done.PartKit.Etag, "status": "CANCELED"}}, &done)
		wantInvalid(t, s.gql(t, b.tok, issue, map[string]any{"in": map[string]any{"partInventoryId": stock.ID, "etag": moved.PartInventory.Etag, "partKitItemId": item.PartKitItem.ID}}),
			"PartInventory partKitItemId names an item of a kit that is CANCELED: only open kits take inventory.")

		s.gql(t, s.token(t, 0, "Read-only"), issue, map[string]any{"in": map[string]any{"partInventoryId": stock.ID, "etag": moved.PartInventory.Etag, "partKitItemId": item.PartKitItem.ID}}).
			wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform UPDATE on Part Inventory.")
		var gone struct{ ID int64 }
		b.ok(t, "deletePartKit", deleteKit, map[string]any{"id": kitID, "e": done.PartKit.Etag}, &gone)
		s.gql(t, b.tok, `query($id: ID!) { partKit(id: $id) { id } }`, map[string]any{"id": kitID}).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("PartKit with id %d not found.", kitID))
	})
}

// Supplier contacts: created on a supplier, read through Supplier.contacts,
// updated and deleted by etag; refusals change nothing.
func TestSupplierContacts(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		s := b.s
		var sup struct{ Supplier struct{ ID int64 } }
		b.ok(t, "createSupplier", `mutation($n: String!) { createSupplier(input: {name: $n}) { supplier { id } } }`, map[string]any{"n": unique("Contacts Inc")}, &sup)
		create := `mutation($in: CreateContactInput!) { createContact(input: $in) { contact { id _etag supplierId name email } } }`
		wantInvalid(t, s.gql(t, b.tok, create, map[string]any{"in": map[string]any{"supplierId": sup.Supplier.ID, "name": "Ann", "email": "ann.example"}}),
			"Contact email must be an email address.")
		s.gql(t, b.tok, create, map[string]any{"in": map[string]any{"supplierId": 999999999, "name": "Ann"}}).
			wantError(t, http.StatusOK, http.StatusNotFound, "Supplier with id 999999999 not found.")
		var c struct {
			Contact struct {
				ID         int64
				Etag       string `json:"_etag"`
				SupplierID int64
			}
		}
		b.ok(t, "createContact", create, map[string]any{"in": map[string]any{"supplierId": sup.Supplier.ID, "name": "Ann Buyer", "email": "ann@acme.example", "phone": "+1 555 0100"}}, &c)
		update := `mutation($in: UpdateContactInput!) { updateContact(input: $in) { contact { _etag name title } } }`
		s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": c.Contact.ID, "etag": "0123456789abcdef0123456789abcdef", "title": "x"}}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		wantInvalid(t, s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": c.Contact.ID, "etag": c.Contact.Etag, "name": " "}}), "Contact name is required.")
		var up struct {
			Contact struct {
				Etag  string `json:"_etag"`
				Title string
			}
		}
		b.ok(t, "updateContact", update, map[string]any{"in": map[string]any{"id": c.Contact.ID, "_etag": c.Contact.Etag, "title": "Account manager"}}, &up)
		raw := string(s.gql(t, b.tok, `query($id: ID!) { supplier(id: $id) { contacts { id name email phone title } } }`, map[string]any{"id": sup.Supplier.ID}).must(t).Data["supplier"])
		want := fmt.Sprintf(`{"contacts":[{"id":%d,"name":"Ann Buyer","email":"ann@acme.example","phone":"+1 555 0100","title":"Account manager"}]}`, c.Contact.ID)
		if raw != want {
			t.Fatalf("got  %s\nwant %s", raw, want)
		}
		s.gql(t, s.token(t, 0, "Read-only"), `mutation($id: ID!, $e: String!) { deleteContact(id: $id, etag: $e) { id } }`, map[string]any{"id": c.Contact.ID, "e": up.Contact.Etag}).
			wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform DELETE on Contact.")
		var gone struct{ ID int64 }
		b.ok(t, "deleteContact", `mutation($id: ID!, $e: String!) { deleteContact(id: $id, etag: $e) { id } }`, map[string]any{"id": c.Contact.ID, "e": up.Contact.Etag}, &gone)
		raw = string(s.gql(t, b.tok, `query($id: ID!) { supplier(id: $id) { contacts { id } } }`, map[string]any{"id": sup.Supplier.ID}).must(t).Data["supplier"])
		if raw != `{"contacts":[]}` {
			t.Fatalf("after the delete: %s", raw)
		}
	})
}
