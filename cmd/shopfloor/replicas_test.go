package main

import (
	"net/http"
	"sync"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// Two replicas on one PostgreSQL database: a token from either works on
// both, and an etag race between them ends in exactly one success and one
// 409, every time, with nothing lost.
func TestTwoReplicasOnPostgres(t *testing.T) {
	url := pgtest.Database(t)
	a := startServer(t, "--database-url", url)
	b := startServer(t, "--database-url", url)
	if b.Creds.Orgs != nil {
		t.Fatal("the second replica seeded the demo data again")
	}
	b.Creds = a.Creds

	fromA, fromB := a.token(t, 0, shopfloor.RoleAdmin), b.token(t, 0, shopfloor.RoleAdmin)
	for _, s := range []*testServer{a, b} {
		for _, tok := range []string{fromA, fromB} {
			s.gql(t, tok, `{ me { email } }`, nil).must(t)
		}
	}

	id := a.newCounter(t, fromA, 1).ID
	const rounds = 25
	for round := range rounds {
		cur := b.readCounter(t, fromB, id)
		answers := make([]gqlResponse, 2)
		var wg sync.WaitGroup
		for i, s := range []*testServer{a, b} {
			wg.Go(func() {
				answers[i] = s.gql(t, fromA, counterIncrement, cur.next(id))
			})
		}
		wg.Wait()
		var ok, conflicts int
		for _, r := range answers {
			switch {
			case r.Status == http.StatusOK && len(r.Errors) == 0:
				ok++
			case r.isConflict():
				conflicts++
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d successes, %d conflicts: %s | %s", round, ok, conflicts, answers[0].Raw, answers[1].Raw)
		}
	}
	if final := b.readCounter(t, fromB, id); final.Quantity != 1+rounds {
		t.Fatalf("final quantity %v, want %d", final.Quantity, 1+rounds)
	}
}
