package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// Many clients read-modify-write one row with etags: every attempt either
// lands or is a 409, and the row's final state counts exactly the ones that
// landed (no lost update).
func TestConcurrentWritersOnOneRow(t *testing.T) {
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	var created map[string]ref
	s.gql(t, tok, `mutation { createPartInventory(input: {partId: 3, quantity: 1}) { partInventory { id _etag } } }`, nil).must(t).field(t, "createPartInventory", &created)
	id := created["partInventory"].ID

	type row struct {
		Quantity float64
		Etag     string `json:"_etag"`
	}
	read := func() row {
		var r row
		s.gql(t, tok, fmt.Sprintf(`{ partInventory(id: %d) { quantity _etag } }`, id), nil).must(t).field(t, "partInventory", &r)
		return r
	}
	const writers, attempts = 12, 20
	var (
		mu                   sync.Mutex
		successes, conflicts int
		wg                   sync.WaitGroup
	)
	for range writers {
		wg.Go(func() {
			for range attempts {
				cur := read()
				r := s.gql(t, tok, `mutation($id: ID!, $etag: String, $q: Float) { updatePartInventory(input: {id: $id, etag: $etag, quantity: $q}) { partInventory { id } } }`,
					map[string]any{"id": id, "etag": cur.Etag, "q": cur.Quantity + 1})
				mu.Lock()
				switch {
				case r.Status == http.StatusOK && len(r.Errors) == 0:
					successes++
				case len(r.Errors) == 1 && r.Errors[0].Message == shopfloor.MsgEtagMismatch && r.Errors[0].Extensions.Status == http.StatusConflict:
					conflicts++
				default:
					t.Errorf("unexpected answer: %s", r.Raw)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	final := read()
	t.Logf("%d successes, %d conflicts", successes, conflicts)
	if successes+conflicts != writers*attempts {
		t.Errorf("successes %d + conflicts %d != attempts %d", successes, conflicts, writers*attempts)
	}
	if successes == 0 || final.Quantity != float64(1+successes) {
		t.Errorf("final quantity %v, want %d (1 + successes): an update was lost", final.Quantity, 1+successes)
	}
}
