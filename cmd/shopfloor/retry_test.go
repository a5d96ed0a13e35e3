package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"
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
		release := holdWriteLock(t, s)
		answer := make(chan gqlResponse, 1)
		go func() {
			r, err := s.send(http.Header{"Authorization": {"Bearer " + tok}}, fmt.Sprintf(`{"query": %q}`, doc))
			if err != nil {
				t.Error(err)
			}
			answer <- r
		}()
		time.Sleep(500 * time.Millisecond) // past the deadline, f0 waiting on the lock
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
