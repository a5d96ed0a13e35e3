package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

var poStatuses = []string{"DRAFT", "REQUESTED", "APPROVED", "ORDERED", "PARTIALLY_RECEIVED", "RECEIVED", "CANCELED"}

// poMoves are the statuses a user may move a purchase order to, by status
// (ion-api.md §5.5: partly set, partly calculated from the lines).
var poMoves = map[string][]string{
	"DRAFT":              {"REQUESTED", "APPROVED", "CANCELED"},
	"REQUESTED":          {"DRAFT", "APPROVED", "CANCELED"},
	"APPROVED":           {"DRAFT", "ORDERED", "CANCELED"},
	"ORDERED":            {"DRAFT", "CANCELED"},
	"PARTIALLY_RECEIVED": {"DRAFT"},
	"RECEIVED":           {},
	"CANCELED":           {"DRAFT"},
}

// orderIn makes a purchase order (one line of 2, at 1.00) whose status is
// status, the way a user gets it there.
func (b buyer) orderIn(tb testing.TB, status string) int64 {
	tb.Helper()
	id, lines := b.order(tb, line{b.part(tb, ""), 2, 1})
	switch status {
	case "REQUESTED", "APPROVED", "CANCELED":
		b.move(tb, id, status)
	case "ORDERED", "PARTIALLY_RECEIVED", "RECEIVED":
		b.move(tb, id, "APPROVED", "ORDERED")
	}
	switch status {
	case "PARTIALLY_RECEIVED":
		b.receive(tb, item(lines[0], 1)).must(tb)
	case "RECEIVED":
		b.receive(tb, item(lines[0], 2)).must(tb)
	}
	if got := b.read(tb, id).Status; got != status {
		tb.Fatalf("made a %s order, got %s", status, got)
	}
	return id
}

// Every move between purchase-order statuses, over HTTP on both engines:
// the allowed ones land, the others are the exact 422 and change nothing.
func TestPurchaseOrderTransitions(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		for _, from := range poStatuses {
			for _, to := range poStatuses {
				t.Run(from+"->"+to, func(t *testing.T) {
					t.Parallel()
					id := b.orderIn(t, from)
					before := b.read(t, id)
					r := b.setStatus(t, id, to)
					var want string
					switch {
					case to == "PARTIALLY_RECEIVED" || to == "RECEIVED":
						want = fmt.Sprintf("PurchaseOrder status %s is calculated from its lines and cannot be set.", to)
					case to != from && !slices.Contains(poMoves[from], to):
						want = fmt.Sprintf("PurchaseOrder status cannot change from %s to %s.", from, to)
					}
					after := b.read(t, id)
					if want == "" {
						r.must(t)
						if after.Status != to {
							t.Fatalf("status %s, want %s", after.Status, to)
						}
						return
					}
					wantInvalid(t, r, want)
					if after.Status != before.Status || after.Etag != before.Etag {
						t.Fatalf("a refused move changed the order: %+v -> %+v", before, after)
					}
				})
			}
		}
	})
}

// The other rules of a status change: an order without lines cannot go to
// review, a status outside the enum is the 422 naming it, and the case of
// a status is ION's clients' (lower case works).
func TestPurchaseOrderStatusRules(t *testing.T) {
	t.Parallel()
	b := newBuyer(t, sharedServer(t, sqliteEngine), 0)
	empty, _ := b.order(t)
	wantInvalid(t, b.setStatus(t, empty, "REQUESTED"), "PurchaseOrder status cannot be REQUESTED without lines to order.")
	wantInvalid(t, b.setStatus(t, empty, "SHIPPED"),
		"PurchaseOrder status must be one of DRAFT, REQUESTED, APPROVED, ORDERED, PARTIALLY_RECEIVED, RECEIVED, CANCELED.")
	id, _ := b.order(t, line{b.part(t, ""), 1, 1})
	b.setStatus(t, id, "requested").must(t)
	if got := b.read(t, id).Status; got != "REQUESTED" {
		t.Fatalf("status %s", got)
	}
	wantInvalid(t, b.s.gql(t, b.tok, `mutation { createPurchaseOrder(input: {status: ORDERED}) { purchaseOrder { id } } }`, nil),
		"PurchaseOrder status must be DRAFT when it is created.")
}

const lineUpdate = `mutation($in: UpdatePurchaseOrderLineInput!) { updatePurchaseOrderLine(input: $in) { purchaseOrderLine { status quantity } } }`

// Lines change only while their order is DRAFT; a line is only canceled
// by hand, and uncanceled only while its order is DRAFT.
func TestPurchaseOrderLineRules(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		part := b.part(t, "")
		id, lines := b.order(t, line{part, 3, 2}, line{part, 1, 5})
		b.move(t, id, "APPROVED", "ORDERED")
		po := b.read(t, id)
		edit := func(i int, in map[string]any) gqlResponse {
			in["id"], in["etag"] = po.PurchaseOrderLines[i].ID, po.PurchaseOrderLines[i].Etag
			return b.s.gql(t, b.tok, lineUpdate, map[string]any{"in": in})
		}
		wantInvalid(t, edit(0, map[string]any{"quantity": 4}), "PurchaseOrderLine cannot be changed while its purchase order is ORDERED.")
		wantInvalid(t, edit(0, map[string]any{"status": "RECEIVED"}), "PurchaseOrderLine status can only be set to CANCELED, or to DRAFT to uncancel it.")
		wantInvalid(t, b.s.gql(t, b.tok, `mutation($po: ID!, $p: ID!) { createPurchaseOrderLine(input: {purchaseOrderId: $po, partId: $p, quantity: 1}) { purchaseOrderLine { id } } }`,
			map[string]any{"po": id, "p": part}), "PurchaseOrderLine cannot be added while its purchase order is ORDERED.")
		wantInvalid(t, b.s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deletePurchaseOrderLine(id: $id, etag: $e) { id } }`,
			map[string]any{"id": lines[1], "e": po.PurchaseOrderLines[1].Etag}), "PurchaseOrderLine cannot be deleted while its purchase order is ORDERED.")
		if after := b.read(t, id); after.Etag != po.Etag || after.EstimatedTotalCost != 11 {
			t.Fatalf("refused line changes changed the order: %+v", after)
		}

		edit(1, map[string]any{"status": "CANCELED"}).must(t) // any status: cancel
		po = b.read(t, id)
		if po.PurchaseOrderLines[1].Status != "CANCELED" || po.EstimatedTotalCost != 6 || len(po.PurchaseOrderLines[1].PartInventories) != 1 ||
			po.PurchaseOrderLines[1].PartInventories[0].Status != "UNAVAILABLE" {
			t.Fatalf("after canceling a line: %+v", po)
		}
		wantInvalid(t, edit(1, map[string]any{"status": "DRAFT"}), "PurchaseOrderLine can only be uncanceled while its purchase order is DRAFT; it is ORDERED.")
		b.move(t, id, "DRAFT")
		po = b.read(t, id)
		edit(1, map[string]any{"status": "DRAFT"}).must(t)
		po = b.read(t, id)
		if po.PurchaseOrderLines[1].Status != "DRAFT" || po.EstimatedTotalCost != 11 || po.PurchaseOrderLines[1].PartInventories[0].Status != "ON_ORDER" {
			t.Fatalf("after uncanceling a line: %+v", po)
		}
		edit(0, map[string]any{"quantity": 5}).must(t)
		if po = b.read(t, id); po.PurchaseOrderLines[0].PartInventories[0].Quantity != 5 || po.EstimatedTotalCost != 15 {
			t.Fatalf("after a draft's line grew: %+v", po)
		}
	})
}

// Receiving over HTTP: inventory moves from ON_ORDER to AVAILABLE (or
// UNAVAILABLE where the location holds none available), lines and the order
// derive their statuses after each receipt, over-receipt and untracked
// serials are 422s that change nothing, and deleting a receipt undoes it.
func TestReceivingDerivesStatuses(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		plain, serial := b.part(t, ""), b.part(t, "SERIAL")
		dock, hold := b.location(t, true), b.location(t, false)
		var sup struct{ Supplier struct{ ID int64 } }
		b.ok(t, "createSupplier", `mutation($n: String!) { createSupplier(input: {name: $n}) { supplier { id } } }`, map[string]any{"n": unique("Supplier")}, &sup)
		id, lines := b.order(t, line{plain, 10, 2.5}, line{serial, 2, 100})
		b.ok(t, "updatePurchaseOrder", `mutation($in: UpdatePurchaseOrderInput!) { updatePurchaseOrder(input: $in) { purchaseOrder { id } } }`,
			map[string]any{"in": map[string]any{"id": id, "etag": b.read(t, id).Etag, "supplierId": sup.Supplier.ID}}, &struct{}{})

		type inv struct {
			status   string
			quantity float64
			received bool
		}
		check := func(step, poStatus string, lineStatus []string, invs [][]inv) {
			t.Helper()
			po := b.read(t, id)
			if po.Status != poStatus {
				t.Fatalf("%s: order %s, want %s", step, po.Status, poStatus)
			}
			for i, l := range po.PurchaseOrderLines {
				if l.Status != lineStatus[i] {
					t.Fatalf("%s: line %d %s, want %s", step, i, l.Status, lineStatus[i])
				}
				var got []inv
				for _, pi := range l.PartInventories {
					got = append(got, inv{pi.Status, pi.Quantity, pi.Received})
					if pi.SupplierID == nil || *pi.SupplierID != sup.Supplier.ID {
						t.Fatalf("%s: inventory %d names supplier %v", step, pi.ID, pi.SupplierID)
					}
				}
				if !slices.Equal(got, invs[i]) {
					t.Fatalf("%s: line %d inventory %v, want %v", step, i, got, invs[i])
				}
			}
		}
		check("draft", "DRAFT", []string{"DRAFT", "DRAFT"}, [][]inv{{{"ON_ORDER", 10, false}}, {{"ON_ORDER", 2, false}}})
		wantInvalid(t, b.receive(t, item(lines[0], 1)), "PurchaseOrderLine can only be received while its purchase order is ORDERED; it is DRAFT.")
		b.move(t, id, "APPROVED", "ORDERED")
		check("ordered", "ORDERED", []string{"ORDERED", "ORDERED"}, [][]inv{{{"ON_ORDER", 10, false}}, {{"ON_ORDER", 2, false}}})

		b.receive(t, item(lines[0], 4, "locationId", dock)).must(t)
		check("4 received", "PARTIALLY_RECEIVED", []string{"ORDERED", "ORDERED"}, [][]inv{{{"ON_ORDER", 6, false}, {"AVAILABLE", 4, true}}, {{"ON_ORDER", 2, false}}})

		before := b.read(t, id)
		wantInvalid(t, b.receive(t, item(lines[0], 6.5)), fmt.Sprintf("ReceiptItem quantity must be at most 6, what purchase order line %d still awaits.", lines[0]))
		wantInvalid(t, b.receive(t, item(lines[0], 1), item(lines[1], 1)), "PartInventory serialNumber is required for serial-tracked parts.")
		wantInvalid(t, b.receive(t, item(lines[1], 2, "serialNumber", unique("SN"))), "PartInventory quantity must be 1 for serial-tracked parts.")
		if after := b.read(t, id); after.Etag != before.Etag || !sameJSON(t, after, before) {
			t.Fatalf("refused receipts changed the order:\n%+v\n%+v", before, after)
		}

		b.receive(t, item(lines[0], 6, "locationId", hold), item(lines[1], 1, "serialNumber", unique("SN"), "locationId", dock)).must(t)
		check("line 1 received", "PARTIALLY_RECEIVED", []string{"RECEIVED", "ORDERED"},
			[][]inv{{{"AVAILABLE", 4, true}, {"UNAVAILABLE", 6, true}}, {{"ON_ORDER", 1, false}, {"AVAILABLE", 1, true}}})
		var last struct {
			Receipt struct {
				ID   int64
				Etag string `json:"_etag"`
			}
		}
		b.s.gql(t, b.tok, `mutation($in: CreateReceiptInput!) { createReceipt(input: $in) { receipt { id _etag } } }`,
			map[string]any{"in": map[string]any{"receiptItems": []any{item(lines[1], 1, "serialNumber", unique("SN"))}}}).must(t).field(t, "createReceipt", &last)
		check("all received", "RECEIVED", []string{"RECEIVED", "RECEIVED"},
			[][]inv{{{"AVAILABLE", 4, true}, {"UNAVAILABLE", 6, true}}, {{"AVAILABLE", 1, true}, {"AVAILABLE", 1, true}}})
		wantInvalid(t, b.receive(t, item(lines[1], 1, "serialNumber", unique("SN"))),
			"PurchaseOrderLine can only be received while its purchase order is ORDERED; it is RECEIVED.")

		b.s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deleteReceipt(id: $id, etag: $e) { id } }`,
			map[string]any{"id": last.Receipt.ID, "e": last.Receipt.Etag}).must(t)
		check("last receipt deleted", "PARTIALLY_RECEIVED", []string{"RECEIVED", "ORDERED"},
			[][]inv{{{"AVAILABLE", 4, true}, {"UNAVAILABLE", 6, true}}, {{"AVAILABLE", 1, true}, {"ON_ORDER", 1, false}}})

		// ION's newest docs' shape receives one line.
		var got struct {
			PurchaseOrderLineItem struct{ ReceivedQuantity float64 }
			PartInventories       []struct{ Status string }
		}
		b.ok(t, "receivePurchaseOrderLine", `mutation($in: ReceivePurchaseOrderLineInput!) { receivePurchaseOrderLine(input: $in) {
			purchaseOrderLineItem { receivedQuantity } partInventories { status } } }`,
			map[string]any{"in": map[string]any{"purchaseOrderLineItemId": lines[1], "quantityReceived": "1", "serialNumber": unique("SN")}}, &got)
		if got.PurchaseOrderLineItem.ReceivedQuantity != 2 || len(got.PartInventories) != 1 || got.PartInventories[0].Status != "AVAILABLE" {
			t.Fatalf("receivePurchaseOrderLine: %+v", got)
		}
		if st := b.read(t, id).Status; st != "RECEIVED" {
			t.Fatalf("status %s", st)
		}
		wantInvalid(t, b.s.gql(t, b.tok, `mutation($id: ID!, $e: String!, $q: Float) { updatePartInventory(input: {id: $id, etag: $e, quantity: $q}) { partInventory { id } } }`,
			map[string]any{"id": b.orderOnOrderInventory(t), "e": "x", "q": 3}), "PartInventory purchaseOrderLineId names a line that still awaits it: it changes with its purchase order line.")
	})
}

// orderOnOrderInventory is the id of a fresh order's on-order inventory.
func (b buyer) orderOnOrderInventory(tb testing.TB) int64 {
	tb.Helper()
	id, _ := b.order(tb, line{b.part(tb, ""), 1, 1})
	return b.read(tb, id).PurchaseOrderLines[0].PartInventories[0].ID
}

// Totals are exact to the cent on values binary floats cannot hold: each
// line's quantity × unit cost is rounded half up to the cent and the fees
// added, in integer arithmetic in the database, on both engines.
func TestPurchaseOrderMoneyExact(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		part := b.part(t, "")
		id, _ := b.order(t, line{part, 3, 19.99}, line{part, 0.333, 3.0003}, line{part, 7, "0.0825"}, line{part, 1000000, 0.0001})
		for _, fee := range []float64{0.1, 0.2} {
			b.s.gql(t, b.tok, `mutation($po: ID!, $a: Float!) { createPurchaseOrderFee(input: {purchaseOrderId: $po, name: "Freight", amount: $a}) { purchaseOrderFee { id } } }`,
				map[string]any{"po": id, "a": fee}).must(t)
		}
		raw := string(b.s.gql(t, b.tok, `query($id: ID!) { purchaseOrder(id: $id) { estimatedTotalCost purchaseOrderLines { totalCost unitCost quantity } fees { amount } } }`,
			map[string]any{"id": id}).must(t).Data["purchaseOrder"])
		// 59.97 + 1.00 (0.9990999) + 0.58 (0.5775) + 100.00 + 0.10 + 0.20
		want := `{"estimatedTotalCost":161.85,"purchaseOrderLines":[{"totalCost":59.97,"unitCost":19.99,"quantity":3},` +
			`{"totalCost":1,"unitCost":3.0003,"quantity":0.333},{"totalCost":0.58,"unitCost":0.0825,"quantity":7},` +
			`{"totalCost":100,"unitCost":0.0001,"quantity":1e+06}],"fees":[{"amount":0.1},{"amount":0.2}]}`
		if raw != want {
			t.Fatalf("got  %s\nwant %s", raw, want)
		}
		big, _ := b.order(t, line{part, 1000000, 1000000})
		if total := b.read(t, big).EstimatedTotalCost; total != 1e12 {
			t.Fatalf("largest line: %v", total)
		}
		create := `mutation($in: CreatePurchaseOrderLineInput!) { createPurchaseOrderLine(input: $in) { purchaseOrderLine { id } } }`
		for _, tc := range []struct {
			in   map[string]any
			want string
		}{
			{map[string]any{"quantity": 1, "unitCost": 0.00001}, "PurchaseOrderLine unitCost must have at most 4 decimal places."},
			{map[string]any{"quantity": 0.0001, "unitCost": 1}, "PurchaseOrderLine quantity must have at most 3 decimal places."},
			{map[string]any{"quantity": 1000001, "unitCost": 1}, "PurchaseOrderLine quantity must be at most 1000000."},
			{map[string]any{"quantity": 1, "unitCost": -1}, "PurchaseOrderLine unitCost must be greater than or equal to 0."},
			{map[string]any{"quantity": 0, "unitCost": 1}, "PurchaseOrderLine quantity must be greater than 0."},
		} {
			tc.in["purchaseOrderId"], tc.in["partId"] = id, part
			wantInvalid(t, b.s.gql(t, b.tok, create, map[string]any{"in": tc.in}), tc.want)
		}
		wantInvalid(t, b.s.gql(t, b.tok, `mutation($po: ID!) { createPurchaseOrderFee(input: {purchaseOrderId: $po, name: "x", amount: 0.125}) { purchaseOrderFee { id } } }`,
			map[string]any{"po": id}), "PurchaseOrderFee amount must have at most 2 decimal places.")
		if total := b.read(t, id).EstimatedTotalCost; total != 161.85 {
			t.Fatalf("refused lines changed the total: %v", total)
		}
	})
}

// Approvals at the threshold boundary: an approval level applies to an
// order whose total is at least its threshold; below it, approving needs no
// one; at it, the approval gate's 403 names the missing approval until a
// holder of the role approves, which moves the order in review to APPROVED.
// (The second demo organization, whose policy only this test changes.)
func TestPurchaseOrderApprovalThreshold(t *testing.T) {
	eachEngine(t, 1, func(t *testing.T, b buyer) {
		s := b.s
		roleName := unique("Buyer")
		var role struct{ Role struct{ ID int64 } }
		b.ok(t, "createRole", `mutation($n: String!) { createRole(input: {name: $n}) { role { id } } }`, map[string]any{"n": roleName}, &role)
		b.ok(t, "attachPermissionGroupToRole", `mutation($r: ID!) { attachPermissionGroupToRole(input: {roleId: $r, permissionGroupId: 365}) { role { id } } }`,
			map[string]any{"r": role.Role.ID}, &struct{}{})
		// A threshold of its own, below the demo's 5,000 and between
		// this test's totals only.
		cents := 100000 + names.Add(1)%1000
		threshold := float64(cents) / 100 // 1000.xx
		b.ok(t, "createPurchaseOrderApprovalLevel", `mutation($r: ID!, $c: Float) { createPurchaseOrderApprovalLevel(input: {roleId: $r, costThreshold: $c}) { purchaseOrderApprovalLevel { id } } }`,
			map[string]any{"r": role.Role.ID, "c": threshold}, &struct{}{})
		part := b.part(t, "")

		below, _ := b.order(t, line{part, 1, float64(cents-1) / 100})
		b.move(t, below, "REQUESTED", "APPROVED")

		at, _ := b.order(t, line{part, 1, threshold})
		b.move(t, at, "REQUESTED")
		missing := fmt.Sprintf("Approval gate not satisfied: approving purchase order %d still needs 1 of 1 approvals from role '%s'.", at, roleName)
		b.setStatus(t, at, "APPROVED").wantError(t, 200, 403, missing)
		if st := b.read(t, at).Status; st != "REQUESTED" {
			t.Fatalf("refused approval moved the order to %s", st)
		}

		email := strings.ToLower(unique("approver")) + "@globex.example"
		s.operator(t, "user", "create", "--org", "globex.example", "--email", email, "--role", roleName)
		approver := buyer{s: s, tok: s.userToken(t, email)}
		var approval struct {
			PurchaseOrderApproval struct {
				Reviewer struct{ Roles []struct{ Name string } }
			}
		}
		approver.ok(t, "createPurchaseOrderApproval", `mutation($po: ID!) { createPurchaseOrderApproval(input: {purchaseOrderId: $po, comment: "ok"}) {
			purchaseOrderApproval { reviewer { roles { name } } } } }`, map[string]any{"po": at}, &approval)
		if r := approval.PurchaseOrderApproval.Reviewer.Roles; len(r) != 1 || r[0].Name != roleName {
			t.Fatalf("reviewer roles %+v", r)
		}
		if st := b.read(t, at).Status; st != "APPROVED" {
			t.Fatalf("after the approval the order is %s", st)
		}
		wantInvalid(t, approver.s.gql(t, approver.tok, `mutation($po: ID!) { createPurchaseOrderApproval(input: {purchaseOrderId: $po}) { purchaseOrderApproval { id } } }`,
			map[string]any{"po": at}), "PurchaseOrderApproval can only be given while its purchase order is REQUESTED; it is APPROVED.")
		// The viewer may read orders but not approve them.
		viewer := s.token(t, 1, "Read-only")
		s.gql(t, viewer, `mutation($po: ID!) { createPurchaseOrderApproval(input: {purchaseOrderId: $po}) { purchaseOrderApproval { id } } }`,
			map[string]any{"po": at}).wantError(t, 200, 403, "User does not have permission to perform CREATE on Purchase Order Approval.")
	})
}
