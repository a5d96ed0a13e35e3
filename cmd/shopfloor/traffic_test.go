package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
	"github.com/shopfloor-dev/shopfloor/internal/redistest"
)

// tenParts costs 22: parts 1 + edges 1 + 10 x (node 1 + id 1).
const (
	tenParts     = `{ parts(first: 10) { edges { node { id } } } }`
	tenPartsCost = 22
)

// wantAllowed checks a response that the rate limit let through: HTTP 200,
// the X-RateLimit headers and extensions.cost agree on what is left.
func wantAllowed(t *testing.T, r gqlResponse, limit, remaining int) {
	t.Helper()
	r.must(t)
	wantRateHeaders(t, r, limit, remaining)
	c := r.Extensions.Cost
	if c == nil || c.Requested != tenPartsCost || c.Limit != limit || c.Remaining != remaining {
		t.Fatalf("extensions.cost %+v, want requested %d, limit %d, remaining %d", c, tenPartsCost, limit, remaining)
	}
}

func wantRateHeaders(t *testing.T, r gqlResponse, limit, remaining int) {
	t.Helper()
	if got := r.Header.Get("X-RateLimit-Limit"); got != strconv.Itoa(limit) {
		t.Fatalf("X-RateLimit-Limit %q, want %d", got, limit)
	}
	if got := r.Header.Get("X-RateLimit-Remaining"); got != strconv.Itoa(remaining) {
		t.Fatalf("X-RateLimit-Remaining %q, want %d", got, remaining)
	}
	reset, err := strconv.ParseInt(r.Header.Get("X-RateLimit-Reset"), 10, 64)
	if now := time.Now().Unix(); err != nil || reset < now || reset > now+3600 {
		t.Fatalf("X-RateLimit-Reset %q is not a Unix time within the next hour", r.Header.Get("X-RateLimit-Reset"))
	}
}

// wantLimited checks the contract's 429: the errors[] shape, Retry-After
// (whole seconds, what the bucket needs to refill for the request at the
// refill rate of one unit a second) and the X-RateLimit headers.
func wantLimited(t *testing.T, r gqlResponse, limit, remaining int) {
	t.Helper()
	retry := tenPartsCost - remaining
	r.wantError(t, http.StatusTooManyRequests, http.StatusTooManyRequests, fmt.Sprintf("Rate limit exceeded: retry after %d seconds.", retry))
	if r.Errors[0].Extensions.Code != string(shopfloor.CodeRateLimited) {
		t.Fatalf("code %q", r.Errors[0].Extensions.Code)
	}
	if got := r.Header.Get("Retry-After"); got != strconv.Itoa(retry) {
		t.Fatalf("Retry-After %q, want %d", got, retry)
	}
	wantRateHeaders(t, r, limit, remaining)
	if r.Data["parts"] != nil {
		t.Fatalf("a limited request ran: %s", r.Raw)
	}
}

// The organization's bucket is shared by all its principals, and only its
// own: four queries of cost 22 fit in 100, the fifth is refused whoever
// sends it; the other organization is untouched.
func TestOrganizationRateLimit(t *testing.T) {
	s := startServer(t, "--org-burst", "100", "--org-rate", "1", "--key-burst", "1000", "--key-rate", "1")
	admin, viewer := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 0, shopfloor.RoleReadOnly)
	user := s.userToken(t, s.Creds.Orgs[0].Users[0].Email)

	for i, tok := range []string{admin, viewer, user, admin} {
		wantAllowed(t, s.gql(t, tok, tenParts, nil), 100, 100-tenPartsCost*(i+1))
	}
	for _, tok := range []string{admin, viewer, user} {
		wantLimited(t, s.gql(t, tok, tenParts, nil), 100, 100-4*tenPartsCost)
	}
	wantAllowed(t, s.gql(t, s.token(t, 1, shopfloor.RoleAdmin), tenParts, nil), 100, 100-tenPartsCost)
}

// Each API key has its own bucket within the organization's: one key
// running out does not stop another key or a user of the same org.
func TestAPIKeyRateLimit(t *testing.T) {
	s := startServer(t, "--org-burst", "1000", "--org-rate", "1", "--key-burst", "50", "--key-rate", "1")
	viewer, admin := s.token(t, 0, shopfloor.RoleReadOnly), s.token(t, 0, shopfloor.RoleAdmin)
	// Every token first: the buckets regain a unit a second, so the
	// requests must come within one.
	user := s.userToken(t, s.Creds.Orgs[0].Users[0].Email)

	wantAllowed(t, s.gql(t, viewer, tenParts, nil), 50, 50-tenPartsCost)
	wantAllowed(t, s.gql(t, viewer, tenParts, nil), 50, 50-2*tenPartsCost)
	wantLimited(t, s.gql(t, viewer, tenParts, nil), 50, 50-2*tenPartsCost)

	wantAllowed(t, s.gql(t, admin, tenParts, nil), 50, 50-tenPartsCost)
	// A user has no key: only the org's bucket (1000 - 3 x 22 spent) applies.
	wantAllowed(t, s.gql(t, user, tenParts, nil), 1000, 1000-4*tenPartsCost)
}

// A query costing more than a bucket can ever hold is a 422, not a 429
// with a wait that would never let it pass; it takes nothing from the
// bucket. The key's bucket counts for a key, the organization's for all.
func TestCostAboveBucketCanNeverRun(t *testing.T) {
	s := startServer(t, "--org-burst", "100", "--org-rate", "1", "--key-burst", "50", "--key-rate", "1")
	user, viewer := s.userToken(t, s.Creds.Orgs[0].Users[0].Email), s.token(t, 0, shopfloor.RoleReadOnly)
	const fiftyParts = `{ parts(first: 50) { edges { node { id } } } }` // 1 + 1 + 50 x 2
	cases := []struct {
		name, token, query, message string
	}{
		{"above the organization's bucket", user, fiftyParts, "Query cost 102 exceeds the rate-limit bucket of 100 and can never run."},
		{"above the key's bucket", viewer, `{ parts(first: 25) { edges { node { id } } } }`, "Query cost 52 exceeds the rate-limit bucket of 50 and can never run."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.gql(t, c.token, c.query, nil)
			r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, c.message)
			if r.Header.Get("Retry-After") != "" || r.Data["parts"] != nil {
				t.Fatalf("refused as retryable, or ran: %v %s", r.Header, r.Raw)
			}
		})
	}
	// A batch is refused whole when its summed cost can never fit, each
	// operation answering the refusal in its place.
	const twentyFiveParts = `{ parts(first: 25) { edges { node { id } } } }`
	_, answers := s.batch(t, user, map[string]any{"query": twentyFiveParts}, map[string]any{"query": twentyFiveParts})
	for i, r := range answers {
		if len(r.Errors) != 1 || r.Errors[0].Message != "Query cost 104 exceeds the rate-limit bucket of 100 and can never run." ||
			r.Errors[0].Extensions.Status != http.StatusUnprocessableEntity || r.Data != nil {
			t.Fatalf("batch answer %d: %s", i, r.Raw)
		}
	}
	// Nothing was spent: the buckets are full.
	wantAllowed(t, s.gql(t, viewer, tenParts, nil), 50, 50-tenPartsCost)
	wantAllowed(t, s.gql(t, user, tenParts, nil), 100, 100-2*tenPartsCost)
}

// Two replicas sharing Redis enforce one limit: requests alternating
// between them get exactly the four the bucket holds.
func TestRateLimitSharedByReplicasThroughRedis(t *testing.T) {
	db, rdb := pgtest.Database(t), redistest.Start(t)
	flags := []string{"--database-url", db, "--redis-url", rdb, "--org-burst", "100", "--org-rate", "1"}
	a := startServer(t, flags...)
	b := startServer(t, flags...)
	tok := a.userToken(t, a.Creds.Orgs[0].Users[0].Email)
	replicas := []*testServer{a, b}
	for i := range 4 {
		wantAllowed(t, replicas[i%2].gql(t, tok, tenParts, nil), 100, 100-tenPartsCost*(i+1))
	}
	for _, s := range replicas {
		wantLimited(t, s.gql(t, tok, tenParts, nil), 100, 100-4*tenPartsCost)
	}
	// Readiness covers Redis.
	for _, s := range replicas {
		if res, err := httpGet(s.URL + "/readyz"); err != nil || res.status != http.StatusOK {
			t.Fatalf("readyz: %v %d %s", err, res.status, res.body)
		}
	}
}

// Depth, cost and page size are checked before anything runs, and answered
// as validation errors (HTTP 200, errors[] status 422).
func TestQueryShapeLimits(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--max-depth", "5", "--max-cost", "500", "--max-page-size", "30")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	cases := []struct {
		name, query, message string
		path                 []any
	}{
		{"too deep", `{ partInventories(first: 1) { edges { node { location { parent { id } } } } } }`,
			"Query depth 6 exceeds the maximum of 5.", nil},
		// parts 1 + edges (1 + 25 x node (1 + id 1 + partInventories (1 + 10 x 2)))
		{"too costly", `{ parts(first: 25) { edges { node { id partInventories { id quantity } } } } }`,
			"Query cost 577 exceeds the maximum of 500.", nil},
		{"first too large", `{ parts(first: 31) { edges { node { id } } } }`,
			"Argument first must be at most 30.", []any{"parts"}},
		{"last too large", `{ locations(last: 31) { edges { node { id } } } }`,
			"Argument last must be at most 30.", []any{"locations"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := s.gql(t, tok, c.query, nil).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, c.message)
			if fmt.Sprint(e.Path) != fmt.Sprint(c.path) {
				t.Fatalf("path %v, want %v", e.Path, c.path)
			}
		})
	}

	// Without first or last a list gets the maximum page, and its cost is
	// counted at that size.
	var parts struct {
		Edges    []struct{ Node struct{ ID int64 } }
		PageInfo struct {
			TotalCount  int
			HasNextPage bool
		}
	}
	r := s.gql(t, tok, `{ parts { edges { node { id } } pageInfo { totalCount hasNextPage } } }`, nil).must(t)
	r.field(t, "parts", &parts)
	if len(parts.Edges) != 30 || parts.PageInfo.TotalCount != 60 || !parts.PageInfo.HasNextPage {
		t.Fatalf("unpaginated list: %d edges, pageInfo %+v", len(parts.Edges), parts.PageInfo)
	}
	if want := 1 + 1 + 30*2 + 1 + 2; r.Extensions.Cost == nil || r.Extensions.Cost.Requested != want {
		t.Fatalf("extensions.cost %+v, want requested %d", r.Extensions.Cost, want)
	}
}

// Faults are off unless --faults: the header is then ignored.
func TestFaultsAreOffByDefault(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	for _, f := range []string{"429", "500", "503", "timeout", "etag-conflict", "nonsense"} {
		r := s.gqlHeaders(t, tok, http.Header{"X-Shopfloor-Fault": {f}}, `{ me { email } }`, nil).must(t)
		if r.Header.Get("X-Shopfloor-Fault") != "" {
			t.Fatalf("fault %s injected without --faults", f)
		}
	}
}

// Under --faults a request gets the fault it names, in the exact shape of
// the real failure, marked as injected; nothing runs.
func TestInjectedFaults(t *testing.T) {
	s := startServer(t, "--faults", "--request-timeout", "300ms")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	inv := s.newCounter(t, tok, 5)
	update := fmt.Sprintf("mutation {\n  updatePartInventory(input: {id: %d, etag: %q, quantity: 9}) { partInventory { quantity } }\n}", inv.ID, inv.Etag)
	cases := []struct {
		fault          string
		http, status   int
		message, retry string
	}{
		{"429", 429, 429, "Rate limit exceeded: retry after 1 seconds.", "1"},
		{"500", 500, 500, shopfloor.MsgInternal, ""},
		{"502", 502, 502, "Bad gateway: the upstream did not answer; retry with backoff.", ""},
		{"503", 503, 503, shopfloor.MsgUnavailable, "1"},
		{"timeout", 504, 504, "The request did not finish within 300ms and was cancelled; retry with a smaller page.", ""},
		{"etag-conflict", 200, 409, shopfloor.MsgEtagMismatch, ""},
	}
	for _, c := range cases {
		t.Run(c.fault, func(t *testing.T) {
			r := s.gqlHeaders(t, tok, http.Header{"X-Shopfloor-Fault": {c.fault}}, update, nil)
			e := r.wantError(t, c.http, c.status, c.message)
			if got := r.Header.Get("X-Shopfloor-Fault"); got != c.fault {
				t.Fatalf("X-Shopfloor-Fault on the response %q", got)
			}
			if got := r.Header.Get("Retry-After"); got != c.retry {
				t.Fatalf("Retry-After %q, want %q", got, c.retry)
			}
			if c.fault == "etag-conflict" {
				if fmt.Sprint(e.Path) != "[updatePartInventory]" || len(e.Locations) != 1 || e.Locations[0].Line != 2 || e.Locations[0].Column != 3 {
					t.Fatalf("path %v locations %v", e.Path, e.Locations)
				}
				if string(r.Data["updatePartInventory"]) != "null" {
					t.Fatalf("data %s", r.Raw)
				}
			}
		})
	}
	if now := s.readCounter(t, tok, inv.ID); now.Quantity != 5 {
		t.Fatalf("an injected fault wrote: quantity %v", now.Quantity)
	}

	r := s.gqlHeaders(t, tok, http.Header{"X-Shopfloor-Fault": {"418"}}, `{ me { email } }`, nil)
	r.wantError(t, http.StatusBadRequest, http.StatusBadRequest, "Unknown X-Shopfloor-Fault; use one of [429 500 502 503 timeout etag-conflict].")
}

// A random share of requests gets a retryable fault under --fault-rate.
func TestRandomFaults(t *testing.T) {
	s := startServer(t, "--faults", "--fault-rate", "1")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	seen := map[string]bool{}
	for range 40 {
		r := s.gql(t, tok, `{ me { email } }`, nil)
		f := r.Header.Get("X-Shopfloor-Fault")
		if r.Status < 429 || f != strconv.Itoa(r.Status) {
			t.Fatalf("HTTP %d with fault %q: %s", r.Status, f, r.Raw)
		}
		seen[f] = true
	}
	if len(seen) != 4 {
		t.Fatalf("faults seen: %v, want 429, 500, 502 and 503", seen)
	}
	var errOut strings.Builder
	if err := run(t.Context(), []string{"serve", "--fault-rate", "0.5"}, func(string) string { return "" }, &errOut, &errOut); err == nil {
		t.Fatal("--fault-rate without --faults was accepted")
	}
}

// A request that runs past the deadline is cancelled and answered 504 in
// the errors[] shape; the server goes on serving.
func TestRequestDeadline(t *testing.T) {
	s := startServer(t, "--request-timeout", "1ms")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	// Three pages of 1000 relations each cannot finish within 1ms.
	r := s.gql(t, tok, `{ a: parts(first: 60) { edges { node { partInventories { id location { id parent { id } } } partSubtypes { id } } } }
		b: locations(first: 1000) { edges { node { id parent { id } } } } }`, nil)
	r.wantError(t, http.StatusGatewayTimeout, http.StatusGatewayTimeout, "The request did not finish within 1ms and was cancelled; retry with a smaller page.")
	if res, err := httpGet(s.URL + "/healthz"); err != nil || res.status != http.StatusOK {
		t.Fatalf("healthz after a timeout: %v %d", err, res.status)
	}
}
