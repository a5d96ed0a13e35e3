package main

import (
	"net/http"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// The concurrency tests count with one inventory row of the demo's
// untracked part 3: read it, write its quantity + 1 with its etag.
const (
	counterCreate    = `mutation($q: Float!) { createPartInventory(input: {partId: 3, quantity: $q}) { partInventory { id _etag } } }`
	counterRead      = `query($id: ID!) { partInventory(id: $id) { quantity _etag } }`
	counterIncrement = `mutation($id: ID!, $etag: String, $q: Float) { updatePartInventory(input: {id: $id, etag: $etag, quantity: $q}) { partInventory { quantity } } }`
)

// counter is the row as read.
type counter struct {
	Quantity float64
	Etag     string `json:"_etag"`
}

// next is the variables of counterIncrement that add 1 to c, row id.
func (c counter) next(id int64) map[string]any {
	return map[string]any{"id": id, "etag": c.Etag, "q": c.Quantity + 1}
}

// newCounter creates the row with a quantity and returns its id and etag.
func (s *testServer) newCounter(tb testing.TB, token string, quantity float64) ref {
	tb.Helper()
	var created map[string]ref
	s.gql(tb, token, counterCreate, map[string]any{"q": quantity}).must(tb).field(tb, "createPartInventory", &created)
	return created["partInventory"]
}

// readCounter reads the row.
func (s *testServer) readCounter(tb testing.TB, token string, id int64) counter {
	tb.Helper()
	var c counter
	s.gql(tb, token, counterRead, map[string]any{"id": id}).must(tb).field(tb, "partInventory", &c)
	return c
}

// isConflict reports whether r is the contract's 409: one field failed on
// a stale etag.
func (r gqlResponse) isConflict() bool {
	return r.Status == http.StatusOK && len(r.Errors) == 1 && r.Errors[0].Message == shopfloor.MsgEtagMismatch &&
		r.Errors[0].Extensions.Status == http.StatusConflict
}
