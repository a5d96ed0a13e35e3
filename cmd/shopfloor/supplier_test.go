package main

import (
	"fmt"
	"testing"
)

// Suppliers over HTTP: ION's Attributes spelling with its key filter,
// updates and deletes checked by etag, deletes answering { id } and
// refused while an order names the supplier, permissions as ION's catalog.
func TestSuppliers(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		s := b.s
		name := unique("Acme Castings")
		var created struct {
			Supplier struct {
				ID   int64
				Etag string `json:"_etag"`
			}
		}
		b.ok(t, "createSupplier", `mutation($in: CreateSupplierInput!) { createSupplier(input: $in) { supplier { id _etag } } }`,
			map[string]any{"in": map[string]any{"name": name, "attributes": []any{
				map[string]any{"key": "Portal", "type": "STRING", "value": "https://acme.example"},
				map[string]any{"key": "Certificate", "type": "FILE_ATTACHMENT", "value": "https://files.example/iso.pdf"},
				map[string]any{"key": "Terms", "type": "NUMBER", "value": 30},
			}}}, &created)
		id := created.Supplier.ID

		raw := string(s.gql(t, b.tok, `query($f: SuppliersInputFilters) { suppliers(filters: $f, first: 100) { edges { node { name
			Attributes(filters: {key: {in: ["Portal", "Terms"]}}) { key value } all: Attributes { key } } } pageInfo { hasNextPage } } }`,
			map[string]any{"f": map[string]any{"name": map[string]any{"eq": name}}}).must(t).Data["suppliers"])
		want := fmt.Sprintf(`{"edges":[{"node":{"name":%q,"Attributes":[{"key":"Portal","value":"https://acme.example"},{"key":"Terms","value":30}],`+
			`"all":[{"key":"Portal"},{"key":"Certificate"},{"key":"Terms"}]}}],"pageInfo":{"hasNextPage":false}}`, name)
		if raw != want {
			t.Fatalf("got  %s\nwant %s", raw, want)
		}

		update := `mutation($in: UpdateSupplierInput!) { updateSupplier(input: $in) { supplier { name _etag } } }`
		s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": id, "etag": "0123456789abcdef0123456789abcdef", "name": "x"}}).
			wantError(t, 200, 409, "Concurrent modification detected — etag mismatch.")
		wantInvalid(t, s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": id, "etag": created.Supplier.Etag, "name": "  "}}), "Supplier name is required.")
		var updated struct {
			Supplier struct {
				Etag string `json:"_etag"`
			}
		}
		b.ok(t, "updateSupplier", update, map[string]any{"in": map[string]any{"id": id, "_etag": created.Supplier.Etag, "name": name + " Ltd"}}, &updated)

		viewer := s.token(t, 0, "Read-only")
		s.gql(t, viewer, `mutation { createSupplier(input: {name: "nope"}) { supplier { id } } }`, nil).
			wantError(t, 200, 403, "User does not have permission to perform CREATE on Supplier.")

		var po struct{ PurchaseOrder struct{ ID int64 } }
		b.ok(t, "createPurchaseOrder", `mutation($s: ID) { createPurchaseOrder(input: {supplierId: $s}) { purchaseOrder { id } } }`, map[string]any{"s": id}, &po)
		del := `mutation($id: ID!, $e: String!) { deleteSupplier(id: $id, etag: $e) { id } }`
		wantInvalid(t, s.gql(t, b.tok, del, map[string]any{"id": id, "e": updated.Supplier.Etag}), "Supplier cannot be deleted while purchase orders name it.")
		po2 := b.read(t, po.PurchaseOrder.ID)
		s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deletePurchaseOrder(id: $id, etag: $e) { id } }`, map[string]any{"id": po.PurchaseOrder.ID, "e": po2.Etag}).must(t)
		var gone struct{ ID int64 }
		b.ok(t, "deleteSupplier", del, map[string]any{"id": id, "e": updated.Supplier.Etag}, &gone)
		if gone.ID != id {
			t.Fatalf("deleteSupplier answered id %d", gone.ID)
		}
		s.gql(t, b.tok, `query($id: ID!) { supplier(id: $id) { id } }`, map[string]any{"id": id}).
			wantError(t, 200, 404, fmt.Sprintf("Supplier with id %d not found.", id))
	})
}

// Fees change only on a draft and move its total; review requests name a
// user of the organization; an ordered order cannot be deleted.
func TestPurchaseOrderFeesAndRequests(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	b := newBuyer(t, s, 0)
	id, _ := b.order(t, line{b.part(t, ""), 2, 10})
	var fee struct {
		PurchaseOrderFee struct {
			ID   int64
			Etag string `json:"_etag"`
		}
	}
	b.ok(t, "createPurchaseOrderFee", `mutation($po: ID!) { createPurchaseOrderFee(input: {purchaseOrderId: $po, name: "Tooling", amount: 99.95}) { purchaseOrderFee { id _etag } } }`,
		map[string]any{"po": id}, &fee)
	b.ok(t, "updatePurchaseOrderFee", `mutation($id: ID!, $e: String) { updatePurchaseOrderFee(input: {id: $id, etag: $e, amount: 0.05}) { purchaseOrderFee { id _etag } } }`,
		map[string]any{"id": fee.PurchaseOrderFee.ID, "e": fee.PurchaseOrderFee.Etag}, &fee)
	if total := b.read(t, id).EstimatedTotalCost; total != 20.05 {
		t.Fatalf("total %v, want 20.05", total)
	}
	b.move(t, id, "APPROVED", "ORDERED")
	wantInvalid(t, s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deletePurchaseOrderFee(id: $id, etag: $e) { id } }`,
		map[string]any{"id": fee.PurchaseOrderFee.ID, "e": fee.PurchaseOrderFee.Etag}), "PurchaseOrderFee cannot be deleted while its purchase order is ORDERED.")
	wantInvalid(t, s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deletePurchaseOrder(id: $id, etag: $e) { id } }`,
		map[string]any{"id": id, "e": b.read(t, id).Etag}), "PurchaseOrder status must be DRAFT or CANCELED to delete it; it is ORDERED.")

	var me struct{ ID int64 }
	b.ok(t, "me", `{ me { id } }`, nil, &me)
	var req struct {
		PurchaseOrderApprovalRequest struct {
			ID   int64
			Etag string `json:"_etag"`
		}
	}
	b.ok(t, "createPurchaseOrderApprovalRequest", `mutation($po: ID!, $u: ID!) { createPurchaseOrderApprovalRequest(input: {purchaseOrderId: $po, reviewerId: $u}) {
		purchaseOrderApprovalRequest { id _etag } } }`, map[string]any{"po": id, "u": me.ID}, &req)
	var po struct {
		ApprovalRequests []struct{ ID int64 }
		Fees             []struct{ Amount float64 }
	}
	b.ok(t, "purchaseOrder", `query($id: ID!) { purchaseOrder(id: $id) { approvalRequests { id } fees { amount } } }`, map[string]any{"id": id}, &po)
	if len(po.ApprovalRequests) != 1 || po.ApprovalRequests[0].ID != req.PurchaseOrderApprovalRequest.ID || len(po.Fees) != 1 || po.Fees[0].Amount != 0.05 {
		t.Fatalf("order reads %+v", po)
	}
	s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deletePurchaseOrderApprovalRequest(id: $id, etag: $e) { id } }`,
		map[string]any{"id": req.PurchaseOrderApprovalRequest.ID, "e": req.PurchaseOrderApprovalRequest.Etag}).must(t)
}
