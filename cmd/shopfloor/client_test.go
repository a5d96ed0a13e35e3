package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/client"
	"github.com/shopfloor-dev/shopfloor/demo"
	"golang.org/x/oauth2"
)

// fakeClock is a client's clock: sleeping records the wait and moves the
// clock on, at once.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// countingTransport counts the requests it carries to the real server, and
// may run a hook on each answer (to move a clock, or lose the answer).
type countingTransport struct {
	n     atomic.Int64
	after func(n int64, resp *http.Response) (*http.Response, error)
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	n := t.n.Add(1)
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && t.after != nil {
		return t.after(n, resp)
	}
	return resp, err
}

// clientOf is a client of s as an API key of org 0 with role, on a fake
// clock whose jitter is a tenth of the backoff, counting its requests.
func clientOf(t *testing.T, s *testServer, role string) (*client.Client, *fakeClock, *countingTransport) {
	return clientFor(s, s.apiKey(t, 0, role))
}

// clientFor is clientOf for an API key.
func clientFor(s *testServer, key demo.APIKey) (*client.Client, *fakeClock, *countingTransport) {
	clock, transport := newFakeClock(), &countingTransport{}
	tokens := client.APIKey(s.URL+tokenPath, key.ClientID, key.ClientSecret)
	c := client.New(s.URL+"/graphql", client.WithTokenSource(tokens), client.WithHTTPClient(&http.Client{Transport: transport}),
		client.WithClock(clock.Now, clock.Sleep), client.WithJitter(func(d time.Duration) time.Duration { return d / 10 }))
	return c, clock, transport
}

func seconds(s ...float64) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, v := range s {
		out[i] = time.Duration(v * float64(time.Second))
	}
	return out
}

// wantClientError checks that err is an *Error of this HTTP status, its
// first error of this message and contract row, after attempts requests.
func wantClientError(t *testing.T, err error, httpStatus int, message, row string, attempts int) *client.Error {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) || e.HTTPStatus != httpStatus || e.Errors[0].Message != message || e.Errors[0].Rows[0].ID != row || e.Attempts != attempts {
		t.Fatalf("want HTTP %d %q (%s) after %d attempts; got %#v", httpStatus, message, row, attempts, err)
	}
	return e
}

const fault = "X-Shopfloor-Fault"

// The client against a real server with --faults: every behaviour of the
// contract it implements.
func TestClient(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--faults")
	ctx := context.Background()
	query := `{ me { email } }`

	t.Run("429 backs off from 1 s doubling to 30 s with jitter, honouring Retry-After", func(t *testing.T) {
		t.Parallel()
		c, clock, transport := clientOf(t, s, shopfloor.RoleAdmin)
		err := c.Do(ctx, query, nil, nil, client.Header(fault, "429"))
		wantClientError(t, err, http.StatusTooManyRequests, "Rate limit exceeded: retry after 1 seconds.", "status-429", client.RateLimitAttempts)
		if got, want := clock.waits(), seconds(1.1, 2.2, 4.4, 8.8, 17.6, 33, 33); !slices.Equal(got, want) {
			t.Errorf("waits %v, want %v", got, want)
		}
		if transport.n.Load() != client.RateLimitAttempts {
			t.Errorf("%d requests", transport.n.Load())
		}
		// A mutation is refused before it runs: retried as well.
		c, clock, _ = clientOf(t, s, shopfloor.RoleAdmin)
		err = c.Do(ctx, `mutation { createLocation(input: {name: "Never made"}) { location { id } } }`, nil, nil, client.Header(fault, "429"))
		wantClientError(t, err, http.StatusTooManyRequests, "Rate limit exceeded: retry after 1 seconds.", "status-429", client.RateLimitAttempts)
		if len(clock.waits()) != client.RateLimitAttempts-1 {
			t.Errorf("mutation waits %v", clock.waits())
		}
	})

	t.Run("5xx is retried after 1, 2, 4 and 8 s, then surfaced", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			fault, message string
			status         int
		}{
			{"500", shopfloor.MsgInternal, 500},
			{"502", "Bad gateway: the upstream did not answer; retry with backoff.", 502},
			{"503", shopfloor.MsgUnavailable, 503},
		} {
			c, clock, transport := clientOf(t, s, shopfloor.RoleAdmin)
			err := c.Do(ctx, query, nil, nil, client.Header(fault, tc.fault))
			e := wantClientError(t, err, tc.status, tc.message, "status-5xx", 5)
			if got, want := clock.waits(), seconds(1, 2, 4, 8); !slices.Equal(got, want) || transport.n.Load() != 5 {
				t.Errorf("%s: waits %v (want %v), %d requests", tc.fault, got, want, transport.n.Load())
			}
			if !errors.Is(err, client.ErrServer) || e.Status() != 500 || !strings.Contains(e.Fix(), "Retry after 1, 2, 4 and 8 seconds") {
				t.Errorf("%s: %v, fix %q", tc.fault, err, e.Fix())
			}
		}
	})

	t.Run("5xx: three consecutive failures across 30 s stop the retries", func(t *testing.T) {
		t.Parallel()
		c, clock, transport := clientOf(t, s, shopfloor.RoleAdmin)
		transport.after = func(_ int64, resp *http.Response) (*http.Response, error) {
			clock.advance(10 * time.Second) // each failure takes 10 s to come
			return resp, nil
		}
		err := c.Do(ctx, query, nil, nil, client.Header(fault, "503"))
		wantClientError(t, err, 503, shopfloor.MsgUnavailable, "status-5xx", 3)
		if got, want := clock.waits(), seconds(1, 2); !slices.Equal(got, want) {
			t.Errorf("waits %v, want %v", got, want)
		}
	})

	t.Run("a 4xx is never retried", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			role         string // "" sends a token that does not parse
			query        string
			http         int
			message, row string
			sentinel     error
		}{
			{shopfloor.RoleAdmin, `{ me { email } }` + strings.Repeat(" ", 256<<10), 400, "Malformed request: the query is larger than 256 KiB.", "status-400", client.ErrBadRequest},
			{shopfloor.RoleAdmin, `{ nope }`, 200, `Cannot query field "nope" on type "Query".`, "shopfloor-graphql-document", client.ErrBadRequest},
			{"", query, 401, "Unable to parse authentication token", "401-unparseable", client.ErrUnauthenticated},
			{shopfloor.RoleReadOnly, `mutation { createLocation(input: {name: "Viewer's"}) { location { id } } }`, 200, "User does not have permission to perform CREATE on Location.", "403-permission", client.ErrForbidden},
			{shopfloor.RoleAdmin, `{ part(id: 999999999) { id } }`, 200, "Part with id 999999999 not found.", "status-404", client.ErrNotFound},
			{shopfloor.RoleAdmin, `mutation { createPartInventory(input: {partId: 3, quantity: -1}) { partInventory { id } } }`, 200, "PartInventory quantity must be greater than 0.", "status-422", client.ErrInvalid},
		} {
			clock, transport := newFakeClock(), &countingTransport{}
			c := client.New(s.URL+"/graphql", client.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "abc"})),
				client.WithHTTPClient(&http.Client{Transport: transport}), client.WithClock(clock.Now, clock.Sleep))
			if tc.role != "" {
				c, clock, transport = clientOf(t, s, tc.role)
			}
			err := c.Do(ctx, tc.query, nil, nil)
			wantClientError(t, err, tc.http, tc.message, tc.row, 1)
			if !errors.Is(err, tc.sentinel) || transport.n.Load() != 1 || len(clock.waits()) != 0 {
				t.Errorf("%q: %v is not %v, or was sent %d times", tc.message, err, tc.sentinel, transport.n.Load())
			}
		}
	})

	t.Run("mutations are retried only when safe", func(t *testing.T) {
		t.Parallel()
		create := `mutation($n: String!) { createLocation(input: {name: $n}) { location { id } } }`
		// A 5xx after the request reached the server: not retried…
		c, clock, _ := clientOf(t, s, shopfloor.RoleAdmin)
		err := c.Do(ctx, create, map[string]any{"n": "Mutation 503"}, nil, client.Header(fault, "503"))
		wantClientError(t, err, 503, shopfloor.MsgUnavailable, "status-5xx", 1)
		if len(clock.waits()) != 0 {
			t.Errorf("waits %v", clock.waits())
		}
		// …unless marked idempotent.
		c, clock, _ = clientOf(t, s, shopfloor.RoleAdmin)
		err = c.Do(ctx, create, map[string]any{"n": "Mutation 503 idem"}, nil, client.Header(fault, "503"), client.Idempotent())
		wantClientError(t, err, 503, shopfloor.MsgUnavailable, "status-5xx", 5)

		// A lost answer: without a key the error is surfaced (the mutation ran
		// once); with one, the retry gets the first answer and nothing runs twice.
		for _, tc := range []struct {
			name string
			opts []client.CallOption
		}{{"Lost answer plain", nil}, {"Lost answer idem", []client.CallOption{client.Idempotent()}}} {
			c, _, transport := clientOf(t, s, shopfloor.RoleAdmin)
			var replayed atomic.Value
			transport.after = func(n int64, resp *http.Response) (*http.Response, error) {
				if n == 2 {
					replayed.Store(resp.Header.Get("Idempotent-Replayed"))
				}
				if n == 1 {
					resp.Body.Close()
					return nil, errors.New("connection reset")
				}
				return resp, nil
			}
			var out struct {
				CreateLocation struct{ Location struct{ ID int64 } }
			}
			err := c.Do(ctx, create, map[string]any{"n": tc.name}, &out, tc.opts...)
			var count struct {
				Locations struct{ PageInfo struct{ TotalCount int } }
			}
			if err := c.Do(ctx, `query($n: String) { locations(filters: {name: {eq: $n}}) { pageInfo { totalCount } } }`, map[string]any{"n": tc.name}, &count); err != nil {
				t.Fatal(err)
			}
			if count.Locations.PageInfo.TotalCount != 1 {
				t.Errorf("%s: %d locations made", tc.name, count.Locations.PageInfo.TotalCount)
			}
			switch tc.opts {
			case nil:
				if err == nil || !strings.Contains(err.Error(), "connection reset") {
					t.Errorf("%s: %v", tc.name, err)
				}
			default:
				if err != nil || out.CreateLocation.Location.ID == 0 || replayed.Load() != "true" {
					t.Errorf("%s: %v %+v, replayed %v", tc.name, err, out, replayed.Load())
				}
			}
		}

		// A request that never reached a server is safe for a mutation.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := "http://" + l.Addr().String() + "/graphql"
		l.Close()
		clock = newFakeClock()
		c = client.New(closed, client.WithClock(clock.Now, clock.Sleep))
		err = c.Do(ctx, create, map[string]any{"n": "Nowhere"}, nil)
		if err == nil || !strings.Contains(err.Error(), "after 5 attempts") || !slices.Equal(clock.waits(), seconds(1, 2, 4, 8)) {
			t.Errorf("unreachable: %v, waits %v", err, clock.waits())
		}
	})

	t.Run("partial data is decoded beside its errors", func(t *testing.T) {
		t.Parallel()
		c, _, _ := clientOf(t, s, shopfloor.RoleAdmin)
		var out struct {
			Me   struct{ Email string }
			Part *struct{ ID int64 }
		}
		err := c.Do(ctx, `{ me { email } part(id: 999999998) { id } }`, nil, &out)
		e := wantClientError(t, err, 200, "Part with id 999999998 not found.", "status-404", 1)
		if !strings.HasPrefix(out.Me.Email, "service-account-") || out.Part != nil || fmt.Sprint(e.Errors[0].Path) != "[part]" || e.Errors[0].Locations[0] != (client.Location{Line: 1, Column: 16}) {
			t.Errorf("partial data %+v, error %+v", out, e.Errors[0])
		}
	})

	t.Run("UpdateWithEtag re-reads and re-applies on 409, bounded", func(t *testing.T) {
		t.Parallel()
		c, _, _ := clientOf(t, s, shopfloor.RoleAdmin)
		other, _, _ := clientOf(t, s, shopfloor.RoleAdmin)
		row := s.newCounter(t, s.token(t, 0, shopfloor.RoleAdmin), 10)
		read := func(ctx context.Context) (counter, error) {
			var out struct{ PartInventory counter }
			err := c.Do(ctx, counterRead, map[string]any{"id": row.ID}, &out)
			return out.PartInventory, err
		}
		applied := 0
		err := client.UpdateWithEtag(ctx, read, func(ctx context.Context, cur counter) error {
			if applied++; applied == 1 { // another writer gets there first
				if err := other.Do(ctx, counterIncrement, counter{Quantity: cur.Quantity + 100, Etag: cur.Etag}.next(row.ID), nil); err != nil {
					return err
				}
			}
			return c.Do(ctx, counterIncrement, cur.next(row.ID), nil)
		})
		if got := s.readCounter(t, s.token(t, 0, shopfloor.RoleAdmin), row.ID); err != nil || applied != 2 || got.Quantity != 112 {
			t.Fatalf("err %v, applied %d times, quantity %v (want 10+101+1)", err, applied, got.Quantity)
		}
		// A conflict every time: bounded, and handed to the caller.
		applied = 0
		err = client.UpdateWithEtag(ctx, read, func(ctx context.Context, cur counter) error {
			applied++
			return c.Do(ctx, counterIncrement, cur.next(row.ID), nil, client.Header(fault, "etag-conflict"))
		})
		var conflict *client.ConflictError
		if !errors.As(err, &conflict) || !errors.Is(err, client.ErrConflict) || applied != client.EtagAttempts {
			t.Fatalf("%v after %d applies", err, applied)
		}
		wantClientError(t, conflict.Err, 200, shopfloor.MsgEtagMismatch, "status-409", 1)
	})

	t.Run("a batch is one request, each operation answered on its own", func(t *testing.T) {
		t.Parallel()
		c, clock, transport := clientOf(t, s, shopfloor.RoleAdmin)
		var me struct{ Me struct{ Email string } }
		var part struct{ Part *struct{ ID int64 } }
		var units struct{ UnitsOfMeasurement struct{ Edges []any } }
		errs, err := c.Batch(ctx, []client.Operation{
			{Query: `{ me { email } }`, Out: &me},
			{Query: `query($id: ID!) { part(id: $id) { id } }`, Vars: map[string]any{"id": 999999997}, Out: &part},
			{Query: `{ unitsOfMeasurement(first: 2) { edges { node { type } } } }`, Out: &units},
		})
		if err != nil || errs[0] != nil || errs[2] != nil || me.Me.Email == "" || len(units.UnitsOfMeasurement.Edges) == 0 || transport.n.Load() != 1 {
			t.Fatalf("batch: %v %v %+v %+v, %d requests", err, errs, me, units, transport.n.Load())
		}
		wantClientError(t, errs[1], 200, "Part with id 999999997 not found.", "status-404", 1)
		// A 429 answers the whole batch: retried as one request.
		_, err = c.Batch(ctx, []client.Operation{{Query: `{ me { email } }`}, {Query: `{ me { id } }`}}, client.Header(fault, "429"))
		wantClientError(t, err, 429, "Rate limit exceeded: retry after 1 seconds.", "status-429", client.RateLimitAttempts)
		if len(clock.waits()) != client.RateLimitAttempts-1 {
			t.Errorf("waits %v", clock.waits())
		}
	})

	t.Run("Nodes iterates a connection to its end", func(t *testing.T) {
		t.Parallel()
		c, _, transport := clientOf(t, s, shopfloor.RoleAdmin)
		for i := range 7 {
			if err := c.Do(ctx, `mutation($n: String!) { createPart(input: {partNumber: $n}) { part { id } } }`, map[string]any{"n": fmt.Sprintf("PAGED-%d", i)}, nil); err != nil {
				t.Fatal(err)
			}
		}
		before := transport.n.Load()
		var numbers []string
		for node, err := range client.Nodes[struct{ PartNumber string }](ctx, c, `query($first: Int, $after: String) {
			parts(first: $first, after: $after, filters: {partNumber: {ilike: "PAGED-%"}}, sort: [PART_NUMBER_ASC]) {
				edges { node { partNumber } } pageInfo { hasNextPage endCursor } } }`, nil, "parts", 3) {
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, node.PartNumber)
		}
		if len(numbers) != 7 || numbers[0] != "PAGED-0" || numbers[6] != "PAGED-6" || transport.n.Load()-before != 3 {
			t.Errorf("nodes %v in %d requests", numbers, transport.n.Load()-before)
		}
	})

	t.Run("the cache answers Cached queries until invalidated", func(t *testing.T) {
		t.Parallel()
		key := s.apiKey(t, 0, shopfloor.RoleAdmin)
		transport, cache := &countingTransport{}, client.NewCache(0)
		c := client.New(s.URL+"/graphql", client.WithTokenSource(client.APIKey(s.URL+tokenPath, key.ClientID, key.ClientSecret)),
			client.WithHTTPClient(&http.Client{Transport: transport}), client.WithCache(cache)) // tokens are not counted
		units := `{ unitsOfMeasurement(first: 5) { edges { node { type } } } }`
		for range 3 {
			var out map[string]any
			if err := c.Do(ctx, units, nil, &out, client.Cached()); err != nil || out["unitsOfMeasurement"] == nil {
				t.Fatal(err, out)
			}
		}
		if transport.n.Load() != 1 || cache.Len() != 1 {
			t.Errorf("%d requests, %d entries", transport.n.Load(), cache.Len())
		}
		cache.InvalidateQuery(units)
		if err := c.Do(ctx, units, nil, nil, client.Cached()); err != nil || transport.n.Load() != 2 {
			t.Errorf("after invalidation: %v, %d requests", err, transport.n.Load())
		}
		c.Do(ctx, units, nil, nil) // not Cached: always sent
		if transport.n.Load() != 3 {
			t.Errorf("%d requests", transport.n.Load())
		}
	})
}

// The API key's token source exchanges once however many ask at once, and
// again only shortly before the token's exp; a refused exchange is the
// contract's row; a refresh token source keeps the refresh token it is given.
func TestClientTokenSources(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	key := s.apiKey(t, 0, shopfloor.RoleAdmin)
	clock, transport := newFakeClock(), &countingTransport{}
	tokens := client.APIKey(s.URL+tokenPath, key.ClientID, key.ClientSecret,
		client.TokenHTTPClient(&http.Client{Transport: transport}), client.TokenClock(clock.Now), client.Audience(s.URL))
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Go(func() {
			tok, err := tokens.Token()
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	wg.Wait()
	if transport.n.Load() != 1 || len(slices.Compact(slices.Clone(got))) != 1 || got[0] == "" {
		t.Fatalf("%d exchanges for 20 concurrent callers", transport.n.Load())
	}
	exp := time.Unix(int64(claims(t, got[0])["exp"].(float64)), 0)
	clock.now = exp.Add(-time.Minute - time.Second)
	tokens.Token()
	if transport.n.Load() != 1 {
		t.Errorf("renewed %s before exp", time.Minute+time.Second)
	}
	clock.now = exp.Add(-time.Minute)
	if _, err := tokens.Token(); err != nil || transport.n.Load() != 2 {
		t.Errorf("not renewed a minute before exp: %v, %d exchanges", err, transport.n.Load())
	}

	c := client.New(s.URL+"/graphql", client.WithTokenSource(client.APIKey(s.URL+tokenPath, key.ClientID, "not-the-secret")))
	err := c.Do(context.Background(), `{ me { id } }`, nil, nil)
	wantClientError(t, err, 401, "Invalid client or Invalid client credentials", "shopfloor-token-client", 1)

	app, user, p := s.Creds.Orgs[0].OAuthApps[0], s.demoUser(t, 0, shopfloor.RoleAdmin), newPKCE()
	first := s.redeem(t, app, s.code(t, app, user, "openid offline_access", p), p.verifier)
	person := client.RefreshToken(s.URL+tokenPath, app.ClientID, first.RefreshToken, client.TokenClock(clock.Now))
	pc := client.New(s.URL+"/graphql", client.WithTokenSource(person))
	var me struct{ Me struct{ Email string } }
	if err := pc.Do(context.Background(), `{ me { email } }`, nil, &me); err != nil || me.Me.Email != user.Email {
		t.Fatalf("refresh token: %v %+v", err, me)
	}
	person.Invalidate() // the next call redeems the refresh token the first use returned
	if err := pc.Do(context.Background(), `{ me { email } }`, nil, &me); err != nil {
		t.Fatalf("second refresh: %v", err)
	}
	if again := s.refresh(t, app, first.RefreshToken, ""); again.status != http.StatusBadRequest {
		t.Errorf("the first refresh token still works: %+v", again)
	}
}

// A real rate limit's Retry-After is longer than the first backoff: the
// client waits it (plus the jitter) instead.
func TestClientHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--no-demo", "--key-burst", "30", "--key-rate", "1")
	c, clock, transport := clientFor(s, adminKey(t, s))
	var firstRetryAfter atomic.Value
	transport.after = func(_ int64, resp *http.Response) (*http.Response, error) {
		if resp.StatusCode == http.StatusTooManyRequests && firstRetryAfter.Load() == nil {
			firstRetryAfter.Store(resp.Header.Get("Retry-After"))
		}
		return resp, nil
	}
	costly := `{ a: me { email } b: me { email } c: me { email } d: me { email } e: me { email } f: me { email } g: me { email } h: me { email } i: me { email } j: me { email } }`
	if err := c.Do(context.Background(), costly, nil, nil); err != nil {
		t.Fatal(err)
	}
	err := c.Do(context.Background(), costly, nil, nil)
	var limited *client.Error
	if !errors.As(err, &limited) || limited.HTTPStatus != http.StatusTooManyRequests || limited.Attempts != client.RateLimitAttempts {
		t.Fatalf("want %d 429s, got %v", client.RateLimitAttempts, err)
	}
	ra, _ := strconv.Atoi(firstRetryAfter.Load().(string))
	if waits := clock.waits(); ra <= 2 || waits[0] != time.Duration(ra)*time.Second+100*time.Millisecond {
		t.Errorf("Retry-After %d s, waits %v", ra, waits)
	}
}

// A query whose fields fail as server errors inside an HTTP 200 (here a
// broken table) is retried on the 5xx schedule, its partial data decoded; a
// mutation's is not retried (its other fields may have written).
func TestClientRetriesServerErrorsInGraphQL(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--no-demo")
	key := adminKey(t, s)
	_, store := issuerFor(t, s.Dir, s.URL)
	if _, err := store.DB().Exec("ALTER TABLE locations RENAME TO locations_broken"); err != nil {
		t.Fatal(err)
	}
	defer store.DB().Exec("ALTER TABLE locations_broken RENAME TO locations")
	c, clock, transport := clientFor(s, key)
	var out struct{ Me struct{ Email string } }
	err := c.Do(context.Background(), `{ me { email } locations(first: 2) { edges { node { name } } } }`, nil, &out)
	wantClientError(t, err, 200, shopfloor.MsgInternal, "status-5xx", 5)
	if got, want := clock.waits(), seconds(1, 2, 4, 8); !slices.Equal(got, want) || transport.n.Load() != 5 || out.Me.Email == "" {
		t.Errorf("waits %v (want %v), %d requests, data %+v", got, want, transport.n.Load(), out)
	}
	c, clock, _ = clientFor(s, key)
	err = c.Do(context.Background(), `mutation { createLocation(input: {name: "Broken"}) { location { id } } }`, nil, nil)
	wantClientError(t, err, 200, shopfloor.MsgInternal, "status-5xx", 1)
	if len(clock.waits()) != 0 {
		t.Errorf("mutation waits %v", clock.waits())
	}
}

// adminKey makes an organization, its admin and an API key of theirs on a
// server started without the demo data.
func adminKey(t *testing.T, s *testServer) demo.APIKey {
	s.operator(t, "org", "create", "--name", "Own", "--domain", "own.example")
	s.operator(t, "user", "create", "--org", "own.example", "--email", "ann@own.example", "--role", "Admin")
	var key demo.APIKey
	if err := json.Unmarshal([]byte(s.operator(t, "key", "create", "--email", "ann@own.example")), &key); err != nil {
		t.Fatal(err)
	}
	return key
}
