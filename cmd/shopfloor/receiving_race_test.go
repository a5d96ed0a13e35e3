package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// raceReceipts has clients receive at once against the same two lines of
// one order (5 and 7 ordered), spread over servers: first 12 receipts of one
// of each, then 6 of one of the second line. Receipts are all or nothing,
// so exactly 5 and then 2 succeed; every other one is the over-receipt (or,
// once all is received, the order's status) 422; and nothing more than was
// ordered is ever received or becomes inventory.
func raceReceipts(t *testing.T, servers []*testServer, b buyer) {
	id, lines := b.order(t, line{b.part(t, ""), 5, 1}, line{b.part(t, ""), 7, 1})
	b.move(t, id, "APPROVED", "ORDERED")
	refusals := map[string]bool{
		fmt.Sprintf("ReceiptItem quantity must be at most 0, what purchase order line %d still awaits.", lines[0]): true,
		fmt.Sprintf("ReceiptItem quantity must be at most 0, what purchase order line %d still awaits.", lines[1]): true,
		"PurchaseOrderLine can only be received while its purchase order is ORDERED; it is RECEIVED.":              true,
	}
	round := func(clients int, items ...map[string]any) int {
		answers := make([]gqlResponse, clients)
		var wg sync.WaitGroup
		for i := range clients {
			srv := servers[i%len(servers)]
			wg.Go(func() { answers[i] = buyer{s: srv, tok: b.tok}.receive(t, items...) })
		}
		wg.Wait()
		ok := 0
		for _, r := range answers {
			switch {
			case r.Status == http.StatusOK && len(r.Errors) == 0:
				ok++
			case r.Status == http.StatusOK && len(r.Errors) == 1 && r.Errors[0].Extensions.Status == http.StatusUnprocessableEntity && refusals[r.Errors[0].Message]:
			default:
				t.Fatalf("unexpected answer: %d %s", r.Status, r.Raw)
			}
		}
		return ok
	}
	if n := round(12, item(lines[0], 1), item(lines[1], 1)); n != 5 {
		t.Fatalf("%d receipts of 12 succeeded, want 5", n)
	}
	if n := round(6, item(lines[1], 1)); n != 2 {
		t.Fatalf("%d receipts of 6 succeeded, want 2", n)
	}
	po := b.read(t, id)
	if po.Status != "RECEIVED" {
		t.Fatalf("order %s after receiving all", po.Status)
	}
	for i, want := range []float64{5, 7} {
		l := po.PurchaseOrderLines[i]
		var received float64
		for _, inv := range l.PartInventories {
			if !inv.Received || inv.Status != "AVAILABLE" {
				t.Fatalf("line %d: inventory %+v left after receiving all", i, inv)
			}
			received += inv.Quantity
		}
		if l.ReceivedQuantity != want || received != want {
			t.Fatalf("line %d: received %v, inventory %v, ordered %v", i, l.ReceivedQuantity, received, want)
		}
	}
}

// Concurrent receipts never receive more than ordered, on each engine.
func TestConcurrentReceiving(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) { raceReceipts(t, []*testServer{b.s}, b) })
}

// And across two replicas sharing one PostgreSQL database.
func TestConcurrentReceivingTwoReplicas(t *testing.T) {
	t.Parallel()
	url := pgtest.Database(t)
	a := startServer(t, "--database-url", url)
	b := startServer(t, "--database-url", url)
	b.Creds = a.Creds
	raceReceipts(t, []*testServer{a, b}, newBuyer(t, a, 0))
}
