package main

import (
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
	id := s.newCounter(t, tok, 1).ID
	const writers, attempts = 12, 20
	var (
		mu                   sync.Mutex
		successes, conflicts int
		wg                   sync.WaitGroup
	)
	for range writers {
		wg.Go(func() {
			for range attempts {
				r := s.gql(t, tok, counterIncrement, s.readCounter(t, tok, id).next(id))
				mu.Lock()
				switch {
				case r.Status == http.StatusOK && len(r.Errors) == 0:
					successes++
				case r.isConflict():
					conflicts++
				default:
					t.Errorf("unexpected answer: %s", r.Raw)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	final := s.readCounter(t, tok, id)
	t.Logf("%d successes, %d conflicts", successes, conflicts)
	if successes+conflicts != writers*attempts {
		t.Errorf("successes %d + conflicts %d != attempts %d", successes, conflicts, writers*attempts)
	}
	if successes == 0 || final.Quantity != float64(1+successes) {
		t.Errorf("final quantity %v, want %d (1 + successes): an update was lost", final.Quantity, 1+successes)
	}
}
