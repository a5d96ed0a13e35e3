package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// holdWriteLock keeps the server's store from writing part inventories
// until release is called: on PostgreSQL a transaction holds an exclusive
// lock on the table, on SQLite one holds the database's write lock.
func holdWriteLock(t *testing.T, s *testServer) (release func()) {
	t.Helper()
	driver, dsn, lock := "sqlite", "file:"+filepath.Join(s.Dir, "shopfloor.db"), "BEGIN IMMEDIATE"
	if s.storeArgs[0] == "--database-url" {
		driver, dsn, lock = "pgx", s.storeArgs[1], "BEGIN; LOCK TABLE part_inventories IN EXCLUSIVE MODE"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(t.Context(), lock); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			t.Error(err)
		}
		conn.Close()
		db.Close()
	}
}

// When the deadline passes during a mutation document, the field that had
// started runs to its end and is answered as data; the fields after it do
// not run, and each fails with the timeout: HTTP 200, and what the client
// sees is exactly what was written (a 504 would say nothing was, and invite
// a retry that writes twice). The first field here waits on a lock past
// the 150ms deadline.
func TestDeadlineDuringMutationDocument(t *testing.T) {
	onBothEngines(t, func(t *testing.T, s *testServer) {
		tok := s.userToken(t, s.Creds.Orgs[0].Users[0].Email)
		const create = `createPartInventory(input: {partId: 3, quantity: 7.25}) { partInventory { id } }`
		doc := fmt.Sprintf("mutation {\n  f0: %s\n  f1: %s\n  f2: %s\n}", create, create, create)
		// warm: the caller's identity is loaded before the 150ms start counting,
		// so under load the deadline falls inside f0
		s.gql(t, tok, `{ part(id: 3) { id } }`, nil).must(t)
		release := holdWriteLock(t, s)
		answer := make(chan gqlResponse, 1)
		go func() {
			r, err := s.send(http.Header{"Authorization": {"Bearer " + tok}}, fmt.Sprintf(`{"query": %q}`, doc))
			if err != nil {
				t.Error(err)
			}
			answer <- r
		}()
		time.Sleep(2 * time.Second) // well past the deadline, f0 waiting on the lock
		release()
		r := <-answer
		if r.Status != http.StatusOK || len(r.Errors) != 2 {
			t.Fatalf("want HTTP 200 with two errors; got %d %s", r.Status, r.Raw)
		}
		var first struct{ PartInventory ref }
		r.field(t, "f0", &first)
		for i, e := range r.Errors {
			alias := fmt.Sprintf("f%d", i+1)
			if e.Message != "The request did not finish within 150ms: this field did not run; retry it." || e.Extensions.Status != http.StatusGatewayTimeout ||
				fmt.Sprint(e.Path) != "["+alias+"]" || len(e.Locations) != 1 || e.Locations[0].Line != i+3 || string(r.Data[alias]) != "null" {
				t.Fatalf("%s: error %+v, data %s", alias, e, r.Data[alias])
			}
		}
		var stored struct {
			Edges []struct{ Node ref }
		}
		s.gql(t, tok, `{ partInventories(filters: {quantity: {eq: 7.25}}) { edges { node { id } } } }`, nil).
			must(t).field(t, "partInventories", &stored)
		if len(stored.Edges) != 1 || stored.Edges[0].Node.ID != first.PartInventory.ID {
			t.Fatalf("written %+v, answered f0 %d", stored.Edges, first.PartInventory.ID)
		}
	}, "--request-timeout", "150ms")
}

// In a batch, once a mutation has run, the deadline no longer makes the
// whole answer a 504: the mutation answers what it wrote, and the
// operations after it answer that they did not run.
func TestDeadlineDuringBatch(t *testing.T) {
	onBothEngines(t, func(t *testing.T, s *testServer) {
		tok := s.userToken(t, s.Creds.Orgs[0].Users[0].Email)
		release := holdWriteLock(t, s)
		answer := make(chan gqlResponse, 1)
		go func() {
			// A batch's answer is an array, which send does not decode:
			// Status and Raw are what this test reads.
			r, _ := s.send(http.Header{"Authorization": {"Bearer " + tok}},
				`[{"query": "mutation { createPartInventory(input: {partId: 3, quantity: 8.25}) { partInventory { id } } }"}, {"query": "{ me { id } }"}]`)
			answer <- r
		}()
		time.Sleep(2 * time.Second) // well past the deadline, the mutation waiting on the lock
		release()
		r := <-answer
		var batch []gqlResponse
		if err := json.Unmarshal([]byte(r.Raw), &batch); err != nil || r.Status != http.StatusOK || len(batch) != 2 {
			t.Fatalf("want HTTP 200 with two answers; got %d %s", r.Status, r.Raw)
		}
		batch[0].Status = r.Status
		var created struct{ PartInventory ref }
		batch[0].must(t).field(t, "createPartInventory", &created)
		if e := batch[1].Errors; len(e) != 1 || e[0].Message != "The request did not finish within 150ms: this operation did not run; retry it." ||
			e[0].Extensions.Status != http.StatusGatewayTimeout || batch[1].Data != nil {
			t.Fatalf("second answer: %s", r.Raw)
		}
		if n := s.inventoriesOf(t, tok, 8.25); n != 1 || created.PartInventory.ID == 0 {
			t.Fatalf("%d rows written, answered id %d", n, created.PartInventory.ID)
		}
	}, "--request-timeout", "150ms")
}

// idempotentCreate writes one inventory row with the quantity the
// idempotency tests count.
const (
	idempotentCreate   = `{"query": "mutation { createPartInventory(input: {partId: 3, quantity: 4.75}) { partInventory { id } } }"}`
	idempotentQuantity = 4.75
)

// sendWithKey posts body to s as tok with an Idempotency-Key; it may be
// called from any goroutine.
func sendWithKey(s *testServer, tok, key, body string) (gqlResponse, error) {
	return s.send(http.Header{"Authorization": {"Bearer " + tok}, "Idempotency-Key": {key}}, body)
}

// inventoriesOf counts the inventory rows with quantity q.
func (s *testServer) inventoriesOf(t *testing.T, tok string, q float64) int {
	t.Helper()
	var stored struct{ PageInfo struct{ TotalCount int } }
	s.gql(t, tok, `query($q: Float) { partInventories(first: 0, filters: {quantity: {eq: $q}}) { pageInfo { totalCount } } }`, map[string]any{"q": q}).
		must(t).field(t, "partInventories", &stored)
	return stored.PageInfo.TotalCount
}

// testIdempotencyKeys runs a mutation with an Idempotency-Key across the
// replicas: its retries get its first answer and write nothing, whichever
// replica they reach; the key with another body is a 422; another
// principal's key of the same name is its own; of concurrent requests with
// one key, one runs and the others get 409 or, once it has finished, its
// answer.
func testIdempotencyKeys(t *testing.T, replicas []*testServer) {
	a := replicas[0]
	user := a.userToken(t, a.Creds.Orgs[0].Users[0].Email)
	must := func(r gqlResponse, err error) gqlResponse {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	wantRows := func(n int) {
		t.Helper()
		if got := a.inventoriesOf(t, user, idempotentQuantity); got != n {
			t.Fatalf("%d rows written, want %d", got, n)
		}
	}

	first := must(sendWithKey(a, user, "order-1", idempotentCreate)).must(t)
	if first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("the first answer is marked replayed")
	}
	for _, s := range append(replicas, replicas...) {
		r := must(sendWithKey(s, user, "order-1", idempotentCreate))
		if r.Status != http.StatusOK || r.Raw != first.Raw || r.Header.Get("Idempotent-Replayed") != "true" ||
			r.Header.Get("X-RateLimit-Remaining") != first.Header.Get("X-RateLimit-Remaining") {
			t.Fatalf("retry: %d %v %s, want the first answer %s", r.Status, r.Header, r.Raw, first.Raw)
		}
	}
	wantRows(1)

	other := strings.Replace(idempotentCreate, "4.75", "5.75", 1)
	must(sendWithKey(replicas[len(replicas)-1], user, "order-1", other)).
		wantError(t, http.StatusUnprocessableEntity, http.StatusUnprocessableEntity, "Idempotency-Key was already used with a different request body.")
	if n := a.inventoriesOf(t, user, 5.75); n != 0 {
		t.Fatalf("the refused body wrote %d rows", n)
	}
	must(sendWithKey(a, user, strings.Repeat("k", 256), idempotentCreate)).
		wantError(t, http.StatusBadRequest, http.StatusBadRequest, "Malformed request: Idempotency-Key must be 1 to 255 printable ASCII characters, without spaces.")
	wantRows(1)

	must(sendWithKey(a, a.token(t, 0, shopfloor.RoleAdmin), "order-1", idempotentCreate)).must(t)
	wantRows(2)

	const racers = 8
	answers := make([]gqlResponse, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			var err error
			if answers[i], err = sendWithKey(replicas[i%len(replicas)], user, "order-2", idempotentCreate); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var ran []gqlResponse
	var replayed, running int
	for _, r := range answers {
		switch {
		case r.Status == http.StatusOK && len(r.Errors) == 0 && r.Header.Get("Idempotent-Replayed") == "":
			ran = append(ran, r)
		case r.Status == http.StatusOK && r.Header.Get("Idempotent-Replayed") == "true":
			replayed++
		case r.Status == http.StatusConflict && r.Header.Get("Retry-After") == "1" && len(r.Errors) == 1 &&
			r.Errors[0].Message == "A request with this Idempotency-Key is still running; retry it later.":
			running++
		default:
			t.Fatalf("concurrent request: %d %v %s", r.Status, r.Header, r.Raw)
		}
	}
	if len(ran) != 1 {
		t.Fatalf("%d of %d concurrent requests with one key ran", len(ran), racers)
	}
	for _, r := range answers {
		if r.Status == http.StatusOK && r.Raw != ran[0].Raw {
			t.Fatalf("replayed %s, the answer was %s", r.Raw, ran[0].Raw)
		}
	}
	wantRows(3)
	t.Logf("concurrent: 1 ran, %d replayed, %d told it is running", replayed, running)
}

func TestIdempotencyKeys(t *testing.T) {
	testIdempotencyKeys(t, []*testServer{startServer(t)})
}

// The keys live in the database: two replicas on one PostgreSQL share them.
func TestIdempotencyKeysTwoReplicasOnPostgres(t *testing.T) {
	db := pgtest.Database(t)
	a := startServer(t, "--database-url", db)
	b := startServer(t, "--database-url", db)
	b.Creds = a.Creds
	testIdempotencyKeys(t, []*testServer{a, b})
}

// A key is kept for --idempotency-ttl; after it, the same key runs again.
func TestIdempotencyKeyExpires(t *testing.T) {
	s := startServer(t, "--idempotency-ttl", "1s")
	user := s.userToken(t, s.Creds.Orgs[0].Users[0].Email)
	for range 2 {
		r, err := sendWithKey(s, user, "order-1", idempotentCreate)
		if err != nil || r.must(t).Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("%v %v", err, r.Header)
		}
		time.Sleep(1100 * time.Millisecond) // past the key's expiry
	}
	if n := s.inventoriesOf(t, user, idempotentQuantity); n != 2 {
		t.Fatalf("%d rows, want 2", n)
	}
}
