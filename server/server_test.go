package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/shopfloor-dev/shopfloor"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/blobstore"
	"github.com/shopfloor-dev/shopfloor/graph"
	"github.com/shopfloor-dev/shopfloor/server"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// fixture is a server over a demo store, in-process, with a token for the
// first demo organization's admin's API key.
type fixture struct {
	store *sqlstore.Store
	srv   *httptest.Server
	token string
	// as is a context carrying the token's principal, for writing data
	// through the store.
	as context.Context
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	ctx := context.Background()
	store, orgs := openDemoStore(tb)
	keys, err := auth.LoadKeys(ctx, store)
	if err != nil {
		tb.Fatal(err)
	}
	fileKey, err := store.FileURLKey(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	files := &blobstore.URLs{Base: "http://shopfloor.test", Key: fileKey, UploadTTL: time.Minute, DownloadTTL: time.Minute, Now: time.Now}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	issuer := &auth.Issuer{Keys: keys, URL: auth.IssuerURL("http://shopfloor.test"), Now: time.Now}
	authn := &auth.Authenticator{Issuer: issuer, Store: store, Logger: logger, TokenTTL: time.Hour}
	srv := httptest.NewServer(server.New(server.Config{Store: store, Auth: authn, GraphQL: graph.Options{Limits: graph.DefaultLimits, Files: files, Timeout: fixtureTimeout}, Logger: logger}))
	tb.Cleanup(srv.Close)
	key, err := store.APIKeyByClientID(ctx, orgs[0].APIKeys[0].ClientID) // as ION's clients sign in
	if err != nil {
		tb.Fatal(err)
	}
	id, err := store.Identity(ctx, key.UserID, key.ClientID)
	if err != nil {
		tb.Fatal(err)
	}
	token, err := issuer.Mint(&id.Principal, shopfloor.GrantScopes(""), time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	return &fixture{store: store, srv: srv, token: token, as: shopfloor.WithPrincipal(ctx, &id.Principal)}
}

// query posts a query and returns the body, failing on any error or an
// answer that does not say its length.
func (f *fixture) query(tb testing.TB, query string) []byte {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+f.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || strings.Contains(string(raw), `"errors"`) {
		tb.Fatalf("%d %s", resp.StatusCode, raw)
	}
	// An answer says its length, however long, rather than come in chunks.
	if resp.ContentLength != int64(len(raw)) || len(resp.TransferEncoding) > 0 {
		tb.Fatalf("an answer of %d bytes came with Content-Length %d, Transfer-Encoding %v", len(raw), resp.ContentLength, resp.TransferEncoding)
	}
	return raw
}

// nestedParts selects a page of parts with their inventory, its location and
// that location's parent, and the parts' subtypes.
const nestedParts = `{ parts(first: %d) { edges { node { id partNumber quantity
	partSubtypes { name }
	partInventories { id quantity status location { name parent { name } } } } }
	pageInfo { endCursor hasNextPage totalCount count } } }`

// statements counts the SQL statements one request sends.
//
// The cost model re-reads the organization's row counts once every 30 s
// (graph's rowCountTTL), which one slow request of a -race run may meet:
// of two runs in a row, at most one does, so the fewer is the query's own.
func (f *fixture) statements(tb testing.TB, query string) int64 {
	count := func() int64 {
		before := f.store.Statements()
		f.query(tb, query)
		return f.store.Statements() - before
	}
	return min(count(), count())
}

// constantStatements checks that query (with %d for the page size) sends as
// many statements for a page of 50 (holding 50 marker fields) as for 2, 5
// and 20, and that many is want.
func (f *fixture) constantStatements(t *testing.T, query, marker string, want int64) {
	t.Helper()
	var counts []int64
	for _, n := range []int{2, 5, 20, 50} {
		q := fmt.Sprintf(query, n)
		if raw := f.query(t, q); n == 50 && strings.Count(string(raw), `"`+marker+`"`) != 50 {
			t.Fatalf("page of 50 has %d %s", strings.Count(string(raw), `"`+marker+`"`), marker)
		}
		counts = append(counts, f.statements(t, q))
	}
	t.Logf("statements per request for pages of 2, 5, 20, 50: %v", counts)
	for _, c := range counts[1:] {
		if c != counts[0] {
			t.Fatalf("statements per request grow with the page size: %v", counts)
		}
	}
	if counts[0] != want {
		t.Errorf("want %d statements per request, got %d", want, counts[0])
	}
}

// No N+1: the statements a request sends do not grow with the page size.
func TestStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	// principal (1: the account with its org's state and flags, its API
	// key's state and permissions) + page with its count (1) + subtypes,
	// inventory with its locations, parent locations (1 each)
	newFixture(t).constantStatements(t, nestedParts, "partNumber", 5)
}

// BenchmarkPartsPage measures parts(first: 50) with nested inventory and
// location over HTTP, and reports the SQL statements per request.
func BenchmarkPartsPage(b *testing.B) {
	f := newFixture(b)
	q := strings.Replace(nestedParts, "%d", "50", 1)
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, q)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}

// BenchmarkMe measures the smallest query, { me { id } }, as an API key
// holding every permission: what loading the principal costs a request.
func BenchmarkMe(b *testing.B) {
	f := newFixture(b)
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, `{ me { id } }`)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}

// nestedPurchaseOrders selects a page of the newest purchase orders with
// their supplier, fees, approvals and lines, and the lines' parts and
// inventory.
const nestedPurchaseOrders = `{ purchaseOrders(first: %d, sort: [ID_DESC]) { edges { node { id status estimatedTotalCost
	supplier { name } fees { amount } approvals { id }
	purchaseOrderLines { id status quantity totalCost part { partNumber } partInventories { id status quantity } } } }
	pageInfo { totalCount } } }`

// withPurchaseOrders adds n purchase orders of two lines each (and their
// on-order inventory) to the fixture's organization.
func (f *fixture) withPurchaseOrders(tb testing.TB, n int) {
	for range n {
		var created struct {
			Data struct {
				CreatePurchaseOrder struct{ PurchaseOrder struct{ ID int64 } }
			}
		}
		if err := json.Unmarshal(f.query(tb, `mutation { createPurchaseOrder(input: {supplierId: 1}) { purchaseOrder { id } } }`), &created); err != nil {
			tb.Fatal(err)
		}
		po := created.Data.CreatePurchaseOrder.PurchaseOrder.ID
		f.query(tb, fmt.Sprintf(`mutation { a: createPurchaseOrderLine(input: {purchaseOrderId: %d, partId: 2, quantity: 40, unitCost: 0.25}) { purchaseOrderLine { id } }
			b: createPurchaseOrderLine(input: {purchaseOrderId: %d, partId: 3, quantity: 3, unitCost: 12.5}) { purchaseOrderLine { id } } }`, po, po))
	}
}

// No N+1 in purchasing: the statements of a page of purchase orders with
// their lines, parts and inventory do not grow with the page size.
func TestPurchaseOrderStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withPurchaseOrders(t, 50)
	// principal + page with its count + supplier, fees, approvals, lines,
	// parts, the lines' inventory (1 each)
	f.constantStatements(t, nestedPurchaseOrders, "estimatedTotalCost", 8)
}

// BenchmarkPurchaseOrdersPage measures purchaseOrders(first: 50) with lines,
// parts and inventory over HTTP, and reports the SQL statements per request.
func BenchmarkPurchaseOrdersPage(b *testing.B) {
	f := newFixture(b)
	f.withPurchaseOrders(b, 50)
	q := strings.Replace(nestedPurchaseOrders, "%d", "50", 1)
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, q)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}
