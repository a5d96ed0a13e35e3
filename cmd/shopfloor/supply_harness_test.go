package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// buyer drives the supply chain of one demo organization as its admin's
// API key, creating what it uses under names of its own.
type buyer struct {
	s   *testServer
	tok string
}

func newBuyer(tb testing.TB, s *testServer, org int) buyer {
	return buyer{s: s, tok: s.token(tb, org, "Admin")}
}

// eachEngine runs test in parallel on each engine's shared server, as the
// admin of demo organization org.
func eachEngine(t *testing.T, org int, test func(t *testing.T, b buyer)) {
	onEngines(t, func(t *testing.T, s *testServer) { test(t, newBuyer(t, s, org)) })
}

// ok runs an operation that must succeed and decodes data.<field> into v.
func (b buyer) ok(tb testing.TB, field, query string, vars map[string]any, v any) {
	tb.Helper()
	b.s.gql(tb, b.tok, query, vars).must(tb).field(tb, field, v)
}

// part creates a part tracked by tracking ("" untracked).
func (b buyer) part(tb testing.TB, tracking string) int64 {
	tb.Helper()
	in := map[string]any{"partNumber": unique("SUP")}
	if tracking != "" {
		in["trackingType"] = tracking
	}
	var out struct{ Part struct{ ID int64 } }
	b.ok(tb, "createPart", `mutation($in: CreatePartInput!) { createPart(input: $in) { part { id } } }`, map[string]any{"in": in}, &out)
	return out.Part.ID
}

// location creates a location, with inventory available or not.
func (b buyer) location(tb testing.TB, available bool) int64 {
	tb.Helper()
	var out struct{ Location struct{ ID int64 } }
	b.ok(tb, "createLocation", `mutation($n: String!, $a: Boolean) { createLocation(input: {name: $n, inventoryAvailable: $a}) { location { id } } }`,
		map[string]any{"n": unique("Dock"), "a": available}, &out)
	return out.Location.ID
}

// line is a line to order: a part, a quantity, a unit cost.
type line struct {
	part          int64
	qty, unitCost any
}

// order creates a DRAFT purchase order with lines and returns its id and
// the lines' ids.
func (b buyer) order(tb testing.TB, lines ...line) (int64, []int64) {
	tb.Helper()
	var po struct{ PurchaseOrder struct{ ID int64 } }
	b.ok(tb, "createPurchaseOrder", `mutation { createPurchaseOrder(input: {description: "test"}) { purchaseOrder { id } } }`, nil, &po)
	var ids []int64
	for _, l := range lines {
		var out struct{ PurchaseOrderLine struct{ ID int64 } }
		b.ok(tb, "createPurchaseOrderLine", `mutation($in: CreatePurchaseOrderLineInput!) { createPurchaseOrderLine(input: $in) { purchaseOrderLine { id } } }`,
			map[string]any{"in": map[string]any{"purchaseOrderId": po.PurchaseOrder.ID, "partId": l.part, "quantity": l.qty, "unitCost": l.unitCost}}, &out)
		ids = append(ids, out.PurchaseOrderLine.ID)
	}
	return po.PurchaseOrder.ID, ids
}

// poState is a purchase order as read, with its lines and their inventory.
type poState struct {
	Status             string
	Etag               string `json:"_etag"`
	EstimatedTotalCost float64
	PurchaseOrderLines []lineState
}

type lineState struct {
	ID               int64
	Etag             string `json:"_etag"`
	Status           string
	Quantity         float64
	ReceivedQuantity float64
	TotalCost        float64
	PartInventories  []inventoryState
}

type inventoryState struct {
	ID         int64
	Status     string
	Quantity   float64
	Received   bool
	SupplierID *int64
	LocationID *int64
}

const poRead = `query($id: ID!) { purchaseOrder(id: $id) { status _etag estimatedTotalCost
	purchaseOrderLines { id _etag status quantity receivedQuantity totalCost partInventories { id status quantity received supplierId locationId } } } }`

// read reads a purchase order.
func (b buyer) read(tb testing.TB, id int64) poState {
	tb.Helper()
	var po poState
	b.ok(tb, "purchaseOrder", poRead, map[string]any{"id": id}, &po)
	return po
}

// setStatus moves a purchase order to status with its current etag.
func (b buyer) setStatus(tb testing.TB, id int64, status string) gqlResponse {
	tb.Helper()
	return b.s.gql(tb, b.tok, `mutation($in: UpdatePurchaseOrderInput!) { updatePurchaseOrder(input: $in) { purchaseOrder { status } } }`,
		map[string]any{"in": map[string]any{"id": id, "etag": b.read(tb, id).Etag, "status": status}})
}

// move moves a purchase order through statuses, each of which must be allowed.
func (b buyer) move(tb testing.TB, id int64, statuses ...string) {
	tb.Helper()
	for _, st := range statuses {
		b.setStatus(tb, id, st).must(tb)
	}
}

// receive sends createReceipt with items.
func (b buyer) receive(tb testing.TB, items ...map[string]any) gqlResponse {
	tb.Helper()
	return b.s.gql(tb, b.tok, `mutation($in: CreateReceiptInput!) { createReceipt(input: $in) { receipt { id _etag receiptItems { id quantity partInventory { id status } } } } }`,
		map[string]any{"in": map[string]any{"receiptItems": items}})
}

// item is one receipt item of qty of a line.
func item(lineID int64, qty any, extra ...any) map[string]any {
	it := map[string]any{"purchaseOrderLineId": lineID, "quantity": qty}
	for i := 0; i+1 < len(extra); i += 2 {
		it[extra[i].(string)] = extra[i+1]
	}
	return it
}

// wantInvalid checks r is the one 422 with message.
func wantInvalid(tb testing.TB, r gqlResponse, message string) {
	tb.Helper()
	r.wantError(tb, http.StatusOK, http.StatusUnprocessableEntity, message)
}

// sameJSON reports whether a and b encode the same.
func sameJSON(tb testing.TB, a, b any) bool {
	tb.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		tb.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		tb.Fatal(err)
	}
	return string(ja) == string(jb)
}
