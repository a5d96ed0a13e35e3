package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// postRaw sends a raw body to path with a bearer token and returns the
// status, headers and body as they came.
func (s *testServer) postRaw(tb testing.TB, path, token, body string) (int, http.Header, []byte) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, raw
}

// batch posts a batched request (a JSON array of requests) and decodes the
// array it answers.
func (s *testServer) batch(tb testing.TB, token string, reqs ...map[string]any) (http.Header, []gqlResponse) {
	tb.Helper()
	body, err := json.Marshal(reqs)
	if err != nil {
		tb.Fatal(err)
	}
	status, header, raw := s.postRaw(tb, "/graphql", token, string(body))
	var elements []json.RawMessage
	if err := json.Unmarshal(raw, &elements); err != nil || status != http.StatusOK || len(elements) != len(reqs) {
		tb.Fatalf("batch of %d: HTTP %d %v %s", len(reqs), status, err, raw)
	}
	out := make([]gqlResponse, len(elements))
	for i, element := range elements {
		out[i] = gqlResponse{Status: status, Header: header, Raw: string(element)}
		if err := json.Unmarshal(element, &out[i]); err != nil {
			tb.Fatalf("element %d: %v %s", i, err, element)
		}
	}
	return header, out
}

// The wire shapes that need no flags of their own share one server.
func TestWire(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	for name, test := range map[string]func(*testing.T, *testServer){
		"batch runs each operation in order":          testBatchedRequestRunsEachOperationInOrder,
		"batch authorizes each element":               testBatchedRequestAuthorizesEachElement,
		"success has no errors key, ids are integers": testSuccessHasNoErrorsKeyAndIntegerIDs,
		"//graphql and /graphql/":                     testGraphQLURLShapes,
		"legacy token endpoint":                       testLegacyTokenEndpoint,
	} {
		t.Run(name, func(t *testing.T) { test(t, s) })
	}
}

// A batch is answered in order, each element on its own: a query, a
// mutation that fails, one that succeeds, and a query that sees it.
func testBatchedRequestRunsEachOperationInOrder(t *testing.T, s *testServer) {
	admin := s.token(t, 0, shopfloor.RoleAdmin)
	const count = `query($n: String) { parts(filters: {partNumber: {eq: $n}}) { pageInfo { totalCount } } }`
	const create = `mutation($n: String!) { createPart(input: {partNumber: $n}) { part { id partNumber } } }`
	_, out := s.batch(t, admin,
		map[string]any{"query": count, "variables": map[string]any{"n": "BATCH-1"}},
		map[string]any{"query": create, "variables": map[string]any{"n": "   "}},
		map[string]any{"query": create, "variables": map[string]any{"n": "BATCH-1"}},
		map[string]any{"query": count, "variables": map[string]any{"n": "BATCH-1"}, "operationName": nil},
	)
	if !strings.Contains(out[0].Raw, `"totalCount":0`) || strings.Contains(out[0].Raw, `"errors"`) {
		t.Fatalf("element 0: %s", out[0].Raw)
	}
	out[1].wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "Part partNumber is required.")
	var created struct{ Part struct{ ID json.Number } }
	out[2].must(t).field(t, "createPart", &created)
	if !strings.Contains(out[3].Raw, `"totalCount":1`) {
		t.Fatalf("element 3 does not see element 2's part: %s", out[3].Raw)
	}
	// Stored: exactly the succeeding mutation's part.
	r := s.gql(t, admin, `{ parts(filters: {partNumber: {in: ["BATCH-1", "   "]}}) { edges { node { id partNumber } } } }`, nil).must(t)
	if want := fmt.Sprintf(`{"edges":[{"node":{"id":%s,"partNumber":"BATCH-1"}}]}`, created.Part.ID); string(r.Data["parts"]) != want {
		t.Fatalf("stored parts %s, want %s", r.Data["parts"], want)
	}
}

// Each element is authorized on its own: a read-only key's mutation fails
// with its 403 while its query is answered.
func testBatchedRequestAuthorizesEachElement(t *testing.T, s *testServer) {
	_, out := s.batch(t, s.token(t, 0, shopfloor.RoleReadOnly),
		map[string]any{"query": `mutation { createPart(input: {partNumber: "RO-BATCH"}) { part { id } } }`},
		map[string]any{"query": `{ me { email } }`},
	)
	out[0].wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform CREATE on Part.")
	out[1].must(t)
}

// A batch's cost is summed and charged once: the headers and every
// element's extensions.cost report the bucket after the whole batch, and a
// batch that does not fit is refused whole.
func TestBatchedRequestIsChargedOnce(t *testing.T) {
	s := startServer(t, "--org-burst", "100", "--org-rate", "1", "--key-burst", "1000")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	q := map[string]any{"query": tenParts}
	header, out := s.batch(t, tok, q, q)
	for _, one := range out {
		wantAllowed(t, one, 100, 100-2*tenPartsCost)
	}
	if header.Get("X-RateLimit-Remaining") != fmt.Sprint(100-2*tenPartsCost) {
		t.Fatalf("X-RateLimit-Remaining %q", header.Get("X-RateLimit-Remaining"))
	}
	// 66 more do not fit in the 56 left (and the 1 a second it regains).
	body, _ := json.Marshal([]any{q, q, q})
	status, _, raw := s.postRaw(t, "/graphql", tok, string(body))
	refused := regexp.MustCompile(`^\{"errors":\[\{"message":"Rate limit exceeded: retry after \d+ seconds\.","extensions":\{"code":"RATE_LIMITED","status":429\}\}\]\}\n$`)
	if status != http.StatusTooManyRequests || !refused.Match(raw) {
		t.Fatalf("HTTP %d %s, want the contract's 429", status, raw)
	}
}

// Bodies that are not exactly one GraphQL request or one batch of them are
// the contract's 400, and run nothing.
func TestRequestFraming(t *testing.T) {
	s := startServer(t, "--max-batch", "2")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	one := `{"query": "mutation { createPart(input: {partNumber: \"FRAMED\"}) { part { id } } }"}`
	for _, tc := range []struct{ name, body, message string }{
		{"trailing garbage", one + ` GARBAGE`, "Malformed request: the body holds more than one JSON value."},
		{"two objects", one + one, "Malformed request: the body holds more than one JSON value."},
		{"two batches", "[" + one + "][" + one + "]", "Malformed request: the body holds more than one JSON value."},
		{"empty batch", `[]`, "Malformed request: the batch is empty."},
		{"batch too large", "[" + one + "," + one + "," + one + "]", "Malformed request: the batch holds 3 operations; at most 2 are allowed."},
		{"element without query", `[` + one + `, {"variables": {}}]`, "Malformed request: the batch's element at index 1 has no query."},
		{"batch of non-objects", `[1]`, "Malformed request: the body is not valid JSON."},
		{"query too large", `{"query": "{ me { email } }` + strings.Repeat(" ", 256<<10) + `"}`, "Malformed request: the query is larger than 256 KiB."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, raw := s.postRaw(t, "/graphql", tok, tc.body)
			want := fmt.Sprintf(`{"errors":[{"message":%q,"extensions":{"code":"BAD_REQUEST","status":400}}]}`+"\n", tc.message)
			if status != http.StatusBadRequest || string(raw) != want {
				t.Fatalf("HTTP %d %s, want 400 %s", status, raw, want)
			}
		})
	}
	r := s.gql(t, tok, `{ parts(filters: {partNumber: {eq: "FRAMED"}}) { pageInfo { totalCount } } }`, nil).must(t)
	if string(r.Data["parts"]) != `{"pageInfo":{"totalCount":0}}` {
		t.Fatalf("a refused body ran: %s", r.Data["parts"])
	}
	// Whitespace around the one value is fine.
	s.post(t, "Bearer "+tok, " \n"+`{"query": "{ me { email } }"}`+"\n\t ").must(t)
}

// A successful answer has no errors key at all, and ids are JSON integers.
func testSuccessHasNoErrorsKeyAndIntegerIDs(t *testing.T, s *testServer) {
	r := s.gql(t, s.token(t, 0, shopfloor.RoleAdmin), `{ parts(first: 2) { edges { node { id partInventories { id } } } } me { id } }`, nil).must(t)
	var body map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.Raw), &body); err != nil {
		t.Fatal(err)
	}
	if _, has := body["errors"]; has {
		t.Fatalf("errors key on success: %s", r.Raw)
	}
	var data struct {
		Parts struct {
			Edges []struct {
				Node struct {
					ID              any
					PartInventories []struct{ ID any }
				}
			}
		}
		Me struct{ ID any }
	}
	if err := json.Unmarshal(body["data"], &data); err != nil || len(data.Parts.Edges) != 2 {
		t.Fatalf("%v %s", err, r.Raw)
	}
	ids := []any{data.Me.ID}
	for _, e := range data.Parts.Edges {
		ids = append(ids, e.Node.ID)
		for _, inv := range e.Node.PartInventories {
			ids = append(ids, inv.ID)
		}
	}
	for _, id := range ids {
		if _, isNumber := id.(float64); !isNumber {
			t.Fatalf("id %#v is not a JSON number in %s", id, r.Raw)
		}
	}
}

// GraphQL's own parse and validation errors are charged (1 each), carry
// the rate headers, are refused 429 when the bucket is empty, and are
// listed at most 100 times.
func TestGraphQLErrorsAreChargedAndCapped(t *testing.T) {
	s := startServer(t, "--org-burst", "200", "--org-rate", "1", "--key-burst", "1000")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	// The bucket regains 1 a second: what is left is at least what was
	// not spent, and at most that plus the seconds since the first request.
	start, spent := time.Now(), 0
	wantSpent := func(r gqlResponse, cost int) {
		t.Helper()
		spent += cost
		remaining, err := strconv.Atoi(r.Header.Get("X-RateLimit-Remaining"))
		if floor := 200 - spent; err != nil || remaining < floor || remaining > floor+int(time.Since(start).Seconds())+1 || r.Header.Get("X-RateLimit-Limit") != "200" {
			t.Fatalf("after spending %d: X-RateLimit-Limit %q, -Remaining %q", spent, r.Header.Get("X-RateLimit-Limit"), r.Header.Get("X-RateLimit-Remaining"))
		}
	}
	r := s.gql(t, tok, `{ nope }`, nil)
	r.wantError(t, http.StatusOK, http.StatusBadRequest, `Cannot query field "nope" on type "Query".`)
	wantSpent(r, 1)
	r = s.gql(t, tok, `{ me {`, nil)
	r.wantError(t, http.StatusOK, http.StatusBadRequest, `Expected Name, found <EOF>`)
	wantSpent(r, 1)

	// 150 repeated directives: 149 errors, of which 100 are listed.
	r = s.gql(t, tok, `{ me { email`+strings.Repeat(" @include(if: true)", 150)+` } }`, nil)
	if r.Status != http.StatusOK || len(r.Errors) != 101 {
		t.Fatalf("HTTP %d, %d errors, want 101", r.Status, len(r.Errors))
	}
	if last := r.Errors[100]; last.Message != "Too many errors: the first 100 of 149 are shown." || last.Extensions.Status != 400 || last.Extensions.Code != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("last error %+v", last)
	}
	wantSpent(r, 149)
	// The parser stops after 100,000 tokens (this document of 240 KB has 120,002).
	r = s.gql(t, tok, `{`+strings.Repeat("a ", 120_000)+`}`, nil)
	r.wantError(t, http.StatusOK, http.StatusBadRequest, "exceeded token limit of 100000")
	wantSpent(r, 1)

	// A flood of invalid queries empties the bucket and is refused like any other.
	for range 100 {
		r = s.gql(t, tok, `{ nope }`, nil)
		if r.Status == http.StatusTooManyRequests {
			break
		}
		wantSpent(r, 1)
	}
	r.wantError(t, http.StatusTooManyRequests, http.StatusTooManyRequests, "Rate limit exceeded: retry after 1 seconds.")
	if r.Header.Get("Retry-After") != "1" || r.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("429 headers %v", r.Header)
	}
}

// //graphql and /graphql/ are /graphql: served, not redirected (a 301
// would turn the POST into a GET).
func testGraphQLURLShapes(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	for _, path := range []string{"//graphql", "/graphql/", "//graphql/"} {
		status, _, raw := s.postRaw(t, path, tok, `{"query": "{ me { email } }"}`)
		if status != http.StatusOK || !strings.Contains(string(raw), `"me":{"email":`) {
			t.Fatalf("POST %s: HTTP %d %s", path, status, raw)
		}
	}
}

// POST /oauth/token with a JSON body, as ION's older importers send it,
// gets exactly the realm's answer to the same fields sent as a form.
func testLegacyTokenEndpoint(t *testing.T, s *testServer) {
	key := s.apiKey(t, 0, shopfloor.RoleAdmin)
	const realm = "/realms/api-keys/protocol/openid-connect/token"
	for _, tc := range []struct {
		name   string
		fields map[string]any
		status int
		want   string // the body; empty for a token
	}{
		{"client credentials", map[string]any{"client_id": key.ClientID, "client_secret": key.ClientSecret, "audience": s.URL, "grant_type": "client_credentials"}, http.StatusOK, ""},
		{"wrong secret", map[string]any{"client_id": key.ClientID, "client_secret": "wrong", "grant_type": "client_credentials"}, http.StatusUnauthorized,
			`{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`},
		{"unknown client", map[string]any{"client_id": "nobody", "client_secret": "x", "grant_type": "client_credentials"}, http.StatusUnauthorized,
			`{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`},
		{"no grant type", map[string]any{"client_id": key.ClientID, "client_secret": key.ClientSecret}, http.StatusBadRequest,
			`{"error":"invalid_request","error_description":"Missing form parameter: grant_type"}`},
		{"unsupported grant type", map[string]any{"grant_type": "password"}, http.StatusBadRequest,
			`{"error":"unsupported_grant_type","error_description":"Unsupported grant_type"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range tc.fields {
				form.Set(k, v.(string))
			}
			realmStatus, realmBody := s.postForm(t, realm, form)
			body, _ := json.Marshal(tc.fields)
			status, header, raw := s.postRaw(t, "/oauth/token", "", string(body))
			for _, got := range []struct {
				status int
				body   []byte
			}{{realmStatus, realmBody}, {status, raw}} {
				if got.status != tc.status || (tc.want != "" && strings.TrimSpace(string(got.body)) != tc.want) {
					t.Fatalf("HTTP %d %s, want %d %s", got.status, got.body, tc.status, tc.want)
				}
			}
			if header.Get("Cache-Control") != "no-store" {
				t.Fatalf("Cache-Control %q", header.Get("Cache-Control"))
			}
			if tc.want == "" {
				var tok struct {
					AccessToken string `json:"access_token"`
					TokenType   string `json:"token_type"`
				}
				if err := json.Unmarshal(raw, &tok); err != nil || tok.TokenType != "Bearer" {
					t.Fatalf("%v %s", err, raw)
				}
				s.post(t, tok.AccessToken, `{"query": "{ me { email } }"}`).must(t)
			}
		})
	}
	for _, body := range []string{`{"client_id": 7, "grant_type": "client_credentials"}`, `{"grant_type": `, `["client_credentials"]`} {
		status, _, raw := s.postRaw(t, "/oauth/token", "", body)
		if want := `{"error":"invalid_request","error_description":"Malformed JSON body"}`; status != http.StatusBadRequest || strings.TrimSpace(string(raw)) != want {
			t.Fatalf("%s: HTTP %d %s, want 400 %s", body, status, raw, want)
		}
	}
}
