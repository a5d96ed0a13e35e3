package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// entity is what a test needs to know of one mutable entity type.
type entity struct {
	name   string // GraphQL type and message name
	field  string // single-fetch root field
	list   string // list root field
	create string // createX mutation returning {<payload> {id _etag}}
	update string // updateX input fields that change something
	remove string // deleteX mutation name
}

// entities are the mutable entities of the foundation; inventory is made of
// the demo's part 3, which is untracked.
var entities = []entity{
	{"Location", "location", "locations", `createLocation(input: {name: "Cage %d"}) { location { id _etag } }`, `name: "Renamed"`, "deleteLocation"},
	{"PartSubtype", "partSubtype", "partSubtypes", `createPartSubtype(input: {name: "Subtype %d"}) { partSubtype { id _etag } }`, `name: "Renamed"`, "deletePartSubtype"},
	{"Part", "part", "parts", `createPart(input: {partNumber: "T-%d"}) { part { id _etag } }`, `description: "Changed"`, "deletePart"},
	{"PartInventory", "partInventory", "partInventories", `createPartInventory(input: {partId: 3, quantity: %d}) { partInventory { id _etag } }`, `quantity: 7`, "deletePartInventory"},
}

type ref struct {
	ID   int64  `json:"id"`
	Etag string `json:"_etag"`
}

var seq int

// create makes one e with token and returns its id and etag.
func (s *testServer) create(t *testing.T, token string, e entity) ref {
	t.Helper()
	seq++
	var payload map[string]ref
	s.gql(t, token, "mutation { "+fmt.Sprintf(e.create, seq)+" }", nil).must(t).field(t, "create"+e.name, &payload)
	return payload[lower(e.name)]
}

func lower(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// An id of another organization behaves exactly like an id that does not
// exist, for every read and write of every entity.
func TestTenantIsolation(t *testing.T) {
	s := startServer(t)
	mine, theirs := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 1, shopfloor.RoleAdmin)
	for _, e := range entities {
		t.Run(e.name, func(t *testing.T) {
			x := s.create(t, mine, e)
			const missing = 987654321
			for _, id := range []int64{x.ID, missing} {
				msg := fmt.Sprintf("%s with id %d not found.", e.name, id)
				r := s.gql(t, theirs, fmt.Sprintf(`{ %s(id: %d) { id } }`, e.field, id), nil)
				r.wantError(t, http.StatusOK, http.StatusNotFound, msg)
				if string(r.Data[e.field]) != "null" || r.Errors[0].Extensions.Code != "NOT_FOUND" {
					t.Errorf("%s: %s", e.field, r.Raw)
				}
				var conn struct{ Edges []any }
				s.gql(t, theirs, fmt.Sprintf(`{ %s(filters: {id: {in: [%d]}}) { edges { node { id } } } }`, e.list, id), nil).must(t).field(t, e.list, &conn)
				if len(conn.Edges) != 0 {
					t.Errorf("%s filtered by a foreign id returned %v", e.list, conn.Edges)
				}
				s.gql(t, theirs, fmt.Sprintf(`mutation { update%s(input: {id: %d, etag: %q, %s}) { %s { id } } }`, e.name, id, x.Etag, e.update, lower(e.name)), nil).
					wantError(t, http.StatusOK, http.StatusNotFound, msg)
				s.gql(t, theirs, fmt.Sprintf(`mutation { %s(id: %d, etag: %q) { id } }`, e.remove, id, x.Etag), nil).
					wantError(t, http.StatusOK, http.StatusNotFound, msg)
			}
			// Nothing the other org tried changed the row.
			var after ref
			s.gql(t, mine, fmt.Sprintf(`{ %s(id: %d) { id _etag } }`, e.field, x.ID), nil).must(t).field(t, e.field, &after)
			if after != x {
				t.Errorf("row changed by another org: %+v -> %+v", x, after)
			}
		})
	}
}

// Updates and deletes take the etag (as etag or _etag); a stale one is the
// contract's 409 and writes nothing; a fresh one writes and renews it; a
// deleted row is gone for every read.
func TestEtagsAndSoftDelete(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	for _, e := range entities {
		t.Run(e.name, func(t *testing.T) {
			x := s.create(t, tok, e)
			update := func(key, etag string) gqlResponse {
				return s.gql(t, tok, fmt.Sprintf(`mutation { update%s(input: {id: %d, %s: %q, %s}) { %s { id _etag } } }`, e.name, x.ID, key, etag, e.update, lower(e.name)), nil)
			}
			var got map[string]ref
			update("etag", x.Etag).must(t).field(t, "update"+e.name, &got)
			fresh := got[lower(e.name)]
			if fresh.Etag == x.Etag || len(fresh.Etag) != 32 {
				t.Fatalf("etag not renewed: %q -> %q", x.Etag, fresh.Etag)
			}
			update("etag", x.Etag).wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
			update("_etag", x.Etag).wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
			s.gql(t, tok, fmt.Sprintf(`mutation { update%s(input: {id: %d, %s}) { %s { id } } }`, e.name, x.ID, e.update, lower(e.name)), nil).
				wantError(t, http.StatusOK, http.StatusUnprocessableEntity, e.name+" etag is required.")
			var now ref
			s.gql(t, tok, fmt.Sprintf(`{ %s(id: %d) { id _etag } }`, e.field, x.ID), nil).must(t).field(t, e.field, &now)
			if now != fresh {
				t.Fatalf("a rejected update wrote: %+v, want %+v", now, fresh)
			}
			update("_etag", fresh.Etag).must(t)
			s.gql(t, tok, fmt.Sprintf(`{ %s(id: %d) { id _etag } }`, e.field, x.ID), nil).must(t).field(t, e.field, &now)

			s.gql(t, tok, fmt.Sprintf(`mutation { %s(id: %d, _etag: %q) { id } }`, e.remove, x.ID, fresh.Etag), nil).
				wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
			var del map[string]int64
			s.gql(t, tok, fmt.Sprintf(`mutation { %s(id: %d, etag: %q) { id } }`, e.remove, x.ID, now.Etag), nil).must(t).field(t, e.remove, &del)
			if del["id"] != x.ID {
				t.Errorf("delete returned %v", del)
			}
			msg := fmt.Sprintf("%s with id %d not found.", e.name, x.ID)
			s.gql(t, tok, fmt.Sprintf(`{ %s(id: %d) { id } }`, e.field, x.ID), nil).wantError(t, http.StatusOK, http.StatusNotFound, msg)
			var conn struct{ Edges []any }
			s.gql(t, tok, fmt.Sprintf(`{ %s(filters: {id: {eq: %d}}) { edges { node { id } } } }`, e.list, x.ID), nil).must(t).field(t, e.list, &conn)
			if len(conn.Edges) != 0 {
				t.Errorf("deleted row still listed")
			}
			update("etag", now.Etag).wantError(t, http.StatusOK, http.StatusNotFound, msg)
		})
	}
}

// A Read-only key reads everything and changes nothing: the 403 names the
// verb and the resource.
func TestReadOnlyKeyIsForbiddenToWrite(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ro := s.token(t, 0, shopfloor.RoleReadOnly)
	s.gql(t, ro, `{ parts(first: 1) { edges { node { id } } } }`, nil).must(t)
	for _, tc := range []struct{ mutation, message string }{
		{`createPart(input: {partNumber: "RO-1"}) { part { id } }`, "User does not have permission to perform CREATE on Part."},
		{`updatePart(input: {id: 1, etag: "x", description: "x"}) { part { id } }`, "User does not have permission to perform UPDATE on Part."},
		{`deletePart(id: 1, etag: "x") { id }`, "User does not have permission to perform DELETE on Part."},
		{`addSubtypeToPart(input: {partId: 1, partSubtypeId: 1}) { part { id } }`, "User does not have permission to perform UPDATE on Part."},
		{`createPartInventory(input: {partId: 1}) { partInventory { id } }`, "User does not have permission to perform CREATE on Part Inventory."},
		{`updateLocation(input: {id: 1, etag: "x", name: "x"}) { location { id } }`, "User does not have permission to perform UPDATE on Location."},
		{`deletePartSubtype(id: 1, etag: "x") { id }`, "User does not have permission to perform DELETE on Part Subtype."},
	} {
		e := s.gql(t, ro, "mutation { "+tc.mutation+" }", nil).wantError(t, http.StatusOK, http.StatusForbidden, tc.message)
		if e.Extensions.Code != "FORBIDDEN" {
			t.Errorf("code %q", e.Extensions.Code)
		}
	}
}

// One failing field leaves the others' data in place.
func TestPartialData(t *testing.T) {
	s := startServer(t)
	r := s.gql(t, s.token(t, 0, shopfloor.RoleAdmin), `{ ok: part(id: 1) { partNumber } missing: part(id: 424242) { partNumber } me { email } }`, nil)
	e := r.wantError(t, http.StatusOK, http.StatusNotFound, "Part with id 424242 not found.")
	if len(e.Path) != 1 || e.Path[0] != "missing" || len(e.Locations) != 1 || e.Locations[0].Line != 1 {
		t.Errorf("error path/locations %+v", e)
	}
	if !strings.Contains(string(r.Data["ok"]), "ACME-1000") || string(r.Data["missing"]) != "null" || !strings.Contains(string(r.Data["me"]), "service-account-") {
		t.Errorf("partial data lost: %s", r.Raw)
	}
}

// Requests that are not GraphQL requests are 400s in the errors[] shape;
// GraphQL's own errors are HTTP 200.
func TestMalformedRequests(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	auth := "Bearer " + s.token(t, 0, shopfloor.RoleAdmin)
	s.post(t, auth, `{"query": `).wantError(t, http.StatusBadRequest, http.StatusBadRequest, "Malformed request: the body is not valid JSON.")
	s.post(t, auth, `{"variables": {}}`).wantError(t, http.StatusBadRequest, http.StatusBadRequest, "Malformed request: the body has no query.")
	s.post(t, auth, `{"query": "{ parts { edges { nope } } }"}`).wantError(t, http.StatusOK, http.StatusBadRequest, `Cannot query field "nope" on type "PartEdge". Did you mean "node"?`)
	r := s.post(t, auth, `{"query": "{ parts( }"}`)
	if r.Status != http.StatusOK || len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "GRAPHQL_PARSE_FAILED" {
		t.Errorf("parse error: %s", r.Raw)
	}
	resp, err := httpGet(s.URL + "/graphql")
	if err != nil || resp.status != http.StatusMethodNotAllowed || !strings.Contains(string(resp.body), `"errors"`) {
		t.Errorf("GET /graphql: %+v %v", resp, err)
	}
}

// A relation with no rows is an empty list, not null.
func TestEmptyRelationsAreLists(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	r := s.gql(t, s.token(t, 0, shopfloor.RoleAdmin), `mutation { createPart(input: {partNumber: "LONELY"}) { part { partSubtypes { id } partInventories { id } partsInventory { id } } } }`, nil).must(t)
	if !strings.Contains(r.Raw, `{"partSubtypes":[],"partInventories":[],"partsInventory":[]}`) {
		t.Errorf("got %s", r.Raw)
	}
}
