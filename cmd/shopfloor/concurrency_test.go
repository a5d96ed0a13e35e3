package main

import (
	"encoding/json"
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

// Answers written at once from pooled buffers are each their own: clients
// reading different parts side by side, one operation or a batch of two,
// each get exactly their parts.
func TestConcurrentAnswersAreTheirOwn(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	const readers, reads = 8, 30
	numbers, ids := make([]string, readers), make([]int64, readers)
	for i := range readers {
		numbers[i] = unique("OWN")
		var made struct{ Part ref }
		s.gql(t, tok, createPart, map[string]any{"n": numbers[i]}).must(t).field(t, "createPart", &made)
		ids[i] = made.Part.ID
	}
	op := func(i int) string {
		return fmt.Sprintf(`{"query": "query($id: ID!) { part(id: $id) { id partNumber description revision } }", "variables": {"id": "%d"}}`, ids[i])
	}
	type answer struct {
		Data struct{ Part struct{ PartNumber string } }
	}
	h := http.Header{"Authorization": {"Bearer " + tok}}
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() {
			next := (i + 1) % readers
			for n := range reads {
				body, want := op(i), []string{numbers[i]}
				if n%3 == 0 { // a batch: both answers, in order
					body, want = "["+op(i)+","+op(next)+"]", []string{numbers[i], numbers[next]}
				}
				r, err := s.send(h, body) // err: a batch's array is not one response
				if r.Status != http.StatusOK || err != nil && len(want) == 1 {
					t.Errorf("read: %v %d %s", err, r.Status, r.Raw)
					return
				}
				var got []answer
				if len(want) == 1 {
					got = make([]answer, 1)
					err = json.Unmarshal([]byte(r.Raw), &got[0])
				} else {
					err = json.Unmarshal([]byte(r.Raw), &got)
				}
				if err != nil || len(got) != len(want) {
					t.Errorf("read of %v answered %s", want, r.Raw)
					return
				}
				for k := range want {
					if got[k].Data.Part.PartNumber != want[k] {
						t.Errorf("read of %v answered %s", want, r.Raw)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
