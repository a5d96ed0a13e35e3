package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// Copies write an event for every row they make of a subscribed resource,
// in their own transaction: copyStep for each step of the copied subtree,
// createProcedureVersion for each step of the copied tree, and createRun
// (which copies the tree set-wise) for each run step.
func TestOutboxOfCopies(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "copies.example", shopfloor.RoleAdmin)
		r := must[*shopfloor.WebhookReceiver](t)(s.CreateWebhookReceiver(ctx, shopfloor.WebhookReceiverFields{
			Name: ptr("r"), WebhookURI: ptr("https://copies.example/in"), SharedSecret: ptr("0123456789abcdef")}))
		for _, resource := range []string{"STEP", "RUN_STEP"} {
			must[*shopfloor.WebhookSubscription](t)(s.CreateWebhookSubscription(ctx, shopfloor.WebhookSubscriptionFields{
				ReceiverID: &r.ID, Resource: ptr(resource), Action: ptr("CREATE")}))
		}
		proc := must[*shopfloor.Procedure](t)(s.CreateProcedure(ctx, shopfloor.ProcedureFields{Title: ptr("Copied")}))
		top := must[*shopfloor.Step](t)(s.CreateStep(ctx, shopfloor.StepFields{ProcedureID: &proc.ID, Title: ptr("Top")}))
		child := must[*shopfloor.Step](t)(s.CreateStep(ctx, shopfloor.StepFields{ProcedureID: &proc.ID, ParentID: &top.ID, Title: ptr("Child")}))
		steps := []int64{top.ID, child.ID}
		wantEvents(t, s, ctx, "STEP", "CREATE", steps)

		copied := must[*shopfloor.Step](t)(s.CopyStep(ctx, top.ID, &proc.ID, nil))
		copies := wantEvents(t, s, ctx, "STEP", "CREATE", nil)
		if len(copies) != 2 || copies[0] != copied.ID || slices.ContainsFunc(copies, func(id int64) bool { return slices.Contains(steps, id) }) {
			t.Fatalf("copyStep's events name %v, the copy is %d", copies, copied.ID)
		}
		steps = append(steps, copies...)

		proc = must[*shopfloor.Procedure](t)(s.UpdateProcedure(ctx, proc.ID, proc.Etag, shopfloor.ProcedureFields{Status: ptr(shopfloor.ProcedureInReview)}))
		must[*shopfloor.Review](t)(s.CreateReview(ctx, proc.ID, nil))
		proc = must[*shopfloor.Procedure](t)(s.UpdateProcedure(ctx, proc.ID, proc.Etag, shopfloor.ProcedureFields{Status: ptr(shopfloor.ProcedureReleased)}))
		run := must[*shopfloor.Run](t)(s.CreateRun(ctx, shopfloor.RunFields{ProcedureID: &proc.ID}))
		var runSteps []int64
		for _, st := range must[map[int64][]shopfloor.RunStep](t)(s.RunStepsByRunIDs(ctx, []int64{run.ID}))[run.ID] {
			runSteps = append(runSteps, st.ID)
		}
		if len(runSteps) != 4 {
			t.Fatalf("the run has %d steps", len(runSteps))
		}
		wantEvents(t, s, ctx, "RUN_STEP", "CREATE", runSteps)

		must[*shopfloor.Procedure](t)(s.CreateProcedureVersion(ctx, proc.ID, proc.Etag))
		if version := wantEvents(t, s, ctx, "STEP", "CREATE", nil); len(version) != 4 || slices.ContainsFunc(version, func(id int64) bool { return slices.Contains(steps, id) }) {
			t.Fatalf("createProcedureVersion's events name %v", version)
		}
	})
}

// wantEvents takes the due events (leasing them, so that the next call
// sees only newer ones), checks that they are events of resource and
// action, one per entity, of the entities want (when given, in any
// order), and returns their entities in event order.
func wantEvents(t *testing.T, s *sqlstore.Store, ctx context.Context, resource, action string, want []int64) []int64 {
	t.Helper()
	got := []int64{}
	for _, e := range must[[]shopfloor.WebhookEvent](t)(s.TakeWebhookEvents(ctx, time.Hour, 100)) {
		if e.Resource != resource || e.Action != action || slices.Contains(got, e.EntityID) {
			t.Fatalf("event %+v after %v", e, got)
		}
		got = append(got, e.EntityID)
	}
	if want != nil && !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Fatalf("%s events of %v, want %v", resource, got, want)
	}
	return got
}

// Cascading deletes write a DELETE event for every row they delete:
// deleteStep for each step under the deleted one, deleteProcedure for each
// of its steps.
func TestOutboxOfCascades(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "cascades.example", shopfloor.RoleAdmin)
		r := must[*shopfloor.WebhookReceiver](t)(s.CreateWebhookReceiver(ctx, shopfloor.WebhookReceiverFields{
			Name: ptr("r"), WebhookURI: ptr("https://cascades.example/in"), SharedSecret: ptr("0123456789abcdef")}))
		must[*shopfloor.WebhookSubscription](t)(s.CreateWebhookSubscription(ctx, shopfloor.WebhookSubscriptionFields{
			ReceiverID: &r.ID, Resource: ptr("STEP"), Action: ptr("DELETE")}))
		proc := must[*shopfloor.Procedure](t)(s.CreateProcedure(ctx, shopfloor.ProcedureFields{Title: ptr("Cascades")}))
		step := func(parent *int64) *shopfloor.Step {
			return must[*shopfloor.Step](t)(s.CreateStep(ctx, shopfloor.StepFields{ProcedureID: &proc.ID, ParentID: parent, Title: ptr("Step")}))
		}
		top := step(nil)
		child := step(&top.ID)
		grandchild := step(&child.ID)
		kept := step(nil)
		if err := s.DeleteStep(ctx, top.ID, top.Etag); err != nil {
			t.Fatal(err)
		}
		wantEvents(t, s, ctx, "STEP", "DELETE", []int64{top.ID, child.ID, grandchild.ID})
		other := step(nil)
		proc = must[*shopfloor.Procedure](t)(s.Procedure(ctx, proc.ID))
		if err := s.DeleteProcedure(ctx, proc.ID, proc.Etag); err != nil {
			t.Fatal(err)
		}
		wantEvents(t, s, ctx, "STEP", "DELETE", []int64{kept.ID, other.ID})
	})
}

// The purchasing writes that change rows beside the one named write their
// events too: a line's on-order inventory following its quantity, an
// approval that approves its order, receiving and its undoing (the line's
// received quantity, the received inventory deleted), and the deletion of
// a line or an order (its lines and on-order inventory).
func TestOutboxOfPurchasing(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "purchasing.example", shopfloor.RoleAdmin)
		supplier := must[*shopfloor.Supplier](t)(s.CreateSupplier(ctx, shopfloor.SupplierFields{Name: ptr("Supplier")}))
		part := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("BOUGHT-1")}))
		order := func() (*shopfloor.PurchaseOrder, []*shopfloor.PurchaseOrderLine) {
			po := must[*shopfloor.PurchaseOrder](t)(s.CreatePurchaseOrder(ctx, shopfloor.PurchaseOrderFields{SupplierID: &supplier.ID}))
			var lines []*shopfloor.PurchaseOrderLine
			for range 2 {
				lines = append(lines, must[*shopfloor.PurchaseOrderLine](t)(s.CreatePurchaseOrderLine(ctx, shopfloor.PurchaseOrderLineFields{
					PurchaseOrderID: &po.ID, PartID: &part.ID, Quantity: ptr(10.0), UnitCost: ptr(1.5)})))
			}
			return po, lines
		}
		po, lines := order()
		r := must[*shopfloor.WebhookReceiver](t)(s.CreateWebhookReceiver(ctx, shopfloor.WebhookReceiverFields{
			Name: ptr("r"), WebhookURI: ptr("https://purchasing.example/in"), SharedSecret: ptr("0123456789abcdef")}))
		for _, sub := range [][2]string{{"PURCHASE_ORDER", "UPDATE"}, {"PURCHASE_ORDER_LINE", "UPDATE"}, {"PURCHASE_ORDER_LINE", "DELETE"},
			{"PART_INVENTORY", "UPDATE"}, {"PART_INVENTORY", "DELETE"}} {
			must[*shopfloor.WebhookSubscription](t)(s.CreateWebhookSubscription(ctx, shopfloor.WebhookSubscriptionFields{
				ReceiverID: &r.ID, Resource: ptr(sub[0]), Action: ptr(sub[1])}))
		}
		line := func(l *shopfloor.PurchaseOrderLine) string { return fmt.Sprintf("PURCHASE_ORDER_LINE %d", l.ID) }
		poUpdate := fmt.Sprintf("UPDATE PURCHASE_ORDER %d", po.ID)
		setStatus := func(status string) {
			t.Helper()
			cur := must[*shopfloor.PurchaseOrder](t)(s.PurchaseOrder(ctx, po.ID))
			must[*shopfloor.PurchaseOrder](t)(s.UpdatePurchaseOrder(ctx, po.ID, cur.Etag, shopfloor.PurchaseOrderFields{Status: &status}))
		}

		lines[0] = must[*shopfloor.PurchaseOrderLine](t)(s.UpdatePurchaseOrderLine(ctx, lines[0].ID, lines[0].Etag, shopfloor.PurchaseOrderLineFields{Quantity: ptr(12.0)}))
		wantChanges(t, s, ctx, "UPDATE "+line(lines[0]), "UPDATE PART_INVENTORY", poUpdate)
		setStatus(shopfloor.PORequested)
		wantChanges(t, s, ctx, poUpdate)
		must[*shopfloor.PurchaseOrderApproval](t)(s.CreatePurchaseOrderApproval(ctx, po.ID, nil))
		wantChanges(t, s, ctx, poUpdate)
		setStatus(shopfloor.POOrdered)
		wantChanges(t, s, ctx, poUpdate)

		receipt := must[*shopfloor.Receipt](t)(s.Receive(ctx, []shopfloor.ReceiveFields{{PurchaseOrderLineID: &lines[0].ID, Quantity: ptr(4.0)}}))
		wantChanges(t, s, ctx, "UPDATE "+line(lines[0]), "UPDATE PART_INVENTORY", poUpdate)
		if err := s.DeleteReceipt(ctx, receipt.ID, receipt.Etag); err != nil {
			t.Fatal(err)
		}
		wantChanges(t, s, ctx, "UPDATE "+line(lines[0]), "UPDATE PART_INVENTORY", "DELETE PART_INVENTORY", poUpdate)

		draft, draftLines := order()
		if err := s.DeletePurchaseOrderLine(ctx, draftLines[0].ID, draftLines[0].Etag); err != nil {
			t.Fatal(err)
		}
		draftUpdate := fmt.Sprintf("UPDATE PURCHASE_ORDER %d", draft.ID) // each line written changes the order's facts
		wantChanges(t, s, ctx, draftUpdate, draftUpdate, "DELETE "+line(draftLines[0]), "DELETE PART_INVENTORY", draftUpdate)
		draft = must[*shopfloor.PurchaseOrder](t)(s.PurchaseOrder(ctx, draft.ID))
		if err := s.DeletePurchaseOrder(ctx, draft.ID, draft.Etag); err != nil {
			t.Fatal(err)
		}
		wantChanges(t, s, ctx, "DELETE PART_INVENTORY", "DELETE "+line(draftLines[1]))
	})
}

// wantChanges delivers every due event, again until none is due, and
// checks that they are exactly want, in any order: "ACTION RESOURCE id",
// or "ACTION RESOURCE" for an entity whose id the test does not know.
func wantChanges(t *testing.T, s *sqlstore.Store, ctx context.Context, want ...string) {
	t.Helper()
	var got []string
	for {
		events := must[[]shopfloor.WebhookEvent](t)(s.TakeWebhookEvents(ctx, time.Hour, 100))
		if len(events) == 0 {
			break
		}
		for _, e := range events {
			got = append(got, fmt.Sprintf("%s %s %d", e.Action, e.Resource, e.EntityID))
			if err := s.RecordWebhookAttempt(ctx, e, shopfloor.WebhookAttempt{At: time.Now(), Delivered: true}, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
	}
	unmatched := slices.Clone(got)
	for _, w := range want {
		i := slices.IndexFunc(unmatched, func(g string) bool { return g == w || strings.HasPrefix(g, w+" ") })
		if i < 0 {
			t.Fatalf("events %v, want %v", got, want)
		}
		unmatched = slices.Delete(unmatched, i, i+1)
	}
	if len(unmatched) != 0 {
		t.Fatalf("events %v, want %v", got, want)
	}
}
