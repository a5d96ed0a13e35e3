package main

import (
	"fmt"
	"net/http"
	"testing"
)

// Approvals reset when a purchase order's total changes after they were
// given, at the demo policy's boundary (orders of 5,000 or more need an
// Admin's approval): a change of lines or fees that keeps the total keeps
// them; one that moves it clears them in the same transaction, so the gate
// applies again above the threshold, and not below it.
func TestApprovalsResetWhenTotalChanges(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		s := b.s
		id, lines := b.order(t, line{b.part(t, ""), 1, 5000})
		missing := fmt.Sprintf("Approval gate not satisfied: approving purchase order %d still needs 1 of 1 approvals from role 'Admin'.", id)
		approvals := func() int {
			var po struct{ Approvals []struct{ ID int64 } }
			b.ok(t, "purchaseOrder", `query($id: ID!) { purchaseOrder(id: $id) { approvals { id } } }`, map[string]any{"id": id}, &po)
			return len(po.Approvals)
		}
		admin := s.userToken(t, s.demoUser(t, 0, "Admin").Email) // a person holding the Admin role
		approve := func() {
			t.Helper()
			b.move(t, id, "REQUESTED")
			b.setStatus(t, id, "APPROVED").wantError(t, http.StatusOK, http.StatusForbidden, missing)
			b.s.gql(t, admin, `mutation($po: ID!) { createPurchaseOrderApproval(input: {purchaseOrderId: $po}) { purchaseOrderApproval { id } } }`,
				map[string]any{"po": id}).must(t)
			if st := b.read(t, id).Status; st != "APPROVED" || approvals() != 1 {
				t.Fatalf("approved order is %s with %d approvals", st, approvals())
			}
			b.move(t, id, "DRAFT")
		}
		changeLine := func(qty, unitCost any) {
			t.Helper()
			l := b.read(t, id).PurchaseOrderLines[0]
			s.gql(t, b.tok, `mutation($in: UpdatePurchaseOrderLineInput!) { updatePurchaseOrderLine(input: $in) { purchaseOrderLine { id } } }`,
				map[string]any{"in": map[string]any{"id": lines[0], "etag": l.Etag, "quantity": qty, "unitCost": unitCost}}).must(t)
		}

		approve()
		changeLine(2, 2500) // 5,000.00 still
		if n := approvals(); n != 1 {
			t.Fatalf("a change keeping the total left %d approvals", n)
		}
		b.move(t, id, "APPROVED", "DRAFT")

		changeLine(1, 5000.01)
		if n := approvals(); n != 0 {
			t.Fatalf("a change of the total left %d approvals", n)
		}
		b.setStatus(t, id, "APPROVED").wantError(t, http.StatusOK, http.StatusForbidden, missing)
		if st := b.read(t, id).Status; st != "DRAFT" {
			t.Fatalf("refused approval moved the order to %s", st)
		}

		changeLine(1, 5000)
		approve()
		s.gql(t, b.tok, `mutation($po: ID!) { createPurchaseOrderFee(input: {purchaseOrderId: $po, name: "Freight", amount: 0.01}) { purchaseOrderFee { id } } }`,
			map[string]any{"po": id}).must(t)
		if n := approvals(); n != 0 {
			t.Fatalf("a fee left %d approvals", n)
		}
		b.setStatus(t, id, "APPROVED").wantError(t, http.StatusOK, http.StatusForbidden, missing)

		fee := b.fee(t, id)
		s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deletePurchaseOrderFee(id: $id, etag: $e) { id } }`, map[string]any{"id": fee.ID, "e": fee.Etag}).must(t)
		approve()
		changeLine(1, 4999.99) // below the threshold: the gate no longer applies
		if n := approvals(); n != 0 {
			t.Fatalf("a change of the total left %d approvals", n)
		}
		b.move(t, id, "APPROVED")
	})
}

// fee is the id and etag of a purchase order's first fee.
func (b buyer) fee(tb testing.TB, id int64) (fee struct {
	ID   int64
	Etag string `json:"_etag"`
}) {
	tb.Helper()
	var po struct {
		Fees []struct {
			ID   int64
			Etag string `json:"_etag"`
		}
	}
	b.ok(tb, "purchaseOrder", `query($id: ID!) { purchaseOrder(id: $id) { fees { id _etag } } }`, map[string]any{"id": id}, &po)
	return po.Fees[0]
}
