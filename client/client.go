// Package client is a Go client for ION-compatible GraphQL APIs (Shopfloor,
// First Resonance ION) that handles every error the way the error contract
// prescribes: typed errors classified by the contract's table (package
// contract), partial data decoded beside its errors, backoff on 429, the 5xx
// retry schedule, no retry of a 4xx, mutations retried only when safe,
// re-read and re-apply on a 409 (UpdateWithEtag), batching, pagination, and
// an optional cache. Its clock and sleep are injectable, so its schedules
// are tested exactly and instantly.
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor/contract"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"golang.org/x/oauth2"
)

// The contract's retry schedules.
const (
	RateLimitFirstDelay = time.Second      // 429: the first wait, doubled at each retry…
	RateLimitMaxDelay   = 30 * time.Second // …up to this, plus jitter; at least Retry-After
	RateLimitAttempts   = 8                // 429s in a row before the error is surfaced
	ServerFailureWindow = 30 * time.Second // 5xx: three consecutive failures across this surface the error
	ServerFailureLimit  = 3
)

// ServerDelays are the waits before the retries of a 5xx.
var ServerDelays = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}

// Client sends GraphQL operations to one endpoint.
type Client struct {
	endpoint string
	http     *http.Client
	tokens   oauth2.TokenSource
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	jitter   func(time.Duration) time.Duration
	cache    *Cache
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sends requests through hc (default http.DefaultClient).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithTokenSource authenticates every request with a token of ts (APIKey,
// RefreshToken, or any oauth2.TokenSource; oauth2.StaticTokenSource for a
// token you have).
func WithTokenSource(ts oauth2.TokenSource) Option { return func(c *Client) { c.tokens = ts } }

// WithClock replaces the clock and the sleep between retries (a sleep
// returns early with ctx's error when ctx ends).
func WithClock(now func() time.Time, sleep func(context.Context, time.Duration) error) Option {
	return func(c *Client) { c.now, c.sleep = now, sleep }
}

// WithJitter replaces the jitter added to a 429's backoff of d (by default a
// random duration up to d/5).
func WithJitter(jitter func(d time.Duration) time.Duration) Option {
	return func(c *Client) { c.jitter = jitter }
}

// WithCache keeps the answers of queries run with the Cached option.
func WithCache(cache *Cache) Option { return func(c *Client) { c.cache = cache } }

// New returns a client of the GraphQL endpoint (https://host/graphql).
func New(endpoint string, opts ...Option) *Client {
	c := &Client{
		endpoint: endpoint,
		http:     http.DefaultClient,
		now:      time.Now,
		sleep:    sleep,
		jitter:   func(d time.Duration) time.Duration { return time.Duration(mathrand.Int64N(int64(d)/5 + 1)) },
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CallOption configures one call.
type CallOption func(*call)

type call struct {
	header     http.Header
	idempotent bool
	cached     bool
}

// Idempotent marks a mutation safe to retry after a 5xx or a lost answer:
// it is sent with an Idempotency-Key (a random one unless IdempotencyKey
// names it), so that a server supporting the header runs it once.
func Idempotent() CallOption { return func(c *call) { c.idempotent = true } }

// IdempotencyKey marks a mutation idempotent under this key.
func IdempotencyKey(key string) CallOption {
	return func(c *call) { c.idempotent = true; c.header.Set("Idempotency-Key", key) }
}

// Header adds a request header (X-Shopfloor-Fault, say).
func Header(key, value string) CallOption { return func(c *call) { c.header.Set(key, value) } }

// Cached answers a query from the client's cache, and keeps its answer.
func Cached() CallOption { return func(c *call) { c.cached = true } }

func newCall(opts []CallOption) *call {
	c := &call{header: http.Header{}}
	for _, opt := range opts {
		opt(c)
	}
	if c.idempotent && c.header.Get("Idempotency-Key") == "" {
		var key [16]byte
		rand.Read(key[:])
		c.header.Set("Idempotency-Key", hex.EncodeToString(key[:]))
	}
	return c
}

// request is one operation of a request body.
type request struct {
	Query         string `json:"query"`
	Variables     any    `json:"variables,omitempty"`
	OperationName string `json:"operationName,omitempty"`
}

// response is one answer of a response body.
type response struct {
	Data       json.RawMessage `json:"data"`
	Errors     []GraphQLError  `json:"errors"`
	Extensions map[string]any  `json:"extensions"`
}

// Do runs query with vars (a map or a struct that encodes to an object) and
// decodes its data into out (nil to drop it). A failure is an *Error; when
// the answer has data too (partial data), out holds the valid fields.
func (c *Client) Do(ctx context.Context, query string, vars any, out any, opts ...CallOption) error {
	call := newCall(opts)
	key := ""
	if call.cached && c.cache != nil && !isMutation(query) {
		key = cacheKey(query, vars)
		if data, ok := c.cache.get(key, c.now()); ok {
			return decodeData(data, out)
		}
	}
	body, err := json.Marshal(request{Query: query, Variables: vars})
	if err != nil {
		return err
	}
	ans, err := c.send(ctx, body, call, isMutation(query), retryable200)
	if err != nil {
		return err
	}
	var resp response
	if err := json.Unmarshal(ans.body, &resp); err != nil {
		return ans.failure(nil)
	}
	decodeErr := decodeData(resp.Data, out)
	if ans.status != http.StatusOK || len(resp.Errors) > 0 {
		return ans.failure(resp.Errors)
	}
	if key != "" && decodeErr == nil {
		c.cache.put(key, resp.Data, c.now())
	}
	return decodeErr
}

func decodeData(data json.RawMessage, out any) error {
	if out == nil || len(data) == 0 || string(data) == "null" {
		return nil
	}
	return json.Unmarshal(data, out)
}

// isMutation reports whether a document may write: it holds a mutation, or
// does not parse (the server refuses it, but a retry is not assumed safe).
func isMutation(query string) bool {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return true
	}
	for _, op := range doc.Operations {
		if op.Operation == ast.Mutation {
			return true
		}
	}
	return false
}

// answer is what a request finally got.
type answer struct {
	status   int
	header   http.Header
	body     []byte
	attempts int
	received time.Time // on the client's clock
}

// failure is the *Error of an answer with these errors (or, when the body
// held none, one made of its status and text), each classified.
func (a answer) failure(errs []GraphQLError) *Error {
	if len(errs) == 0 {
		text := strings.TrimSpace(string(a.body))
		if len(text) > 200 || text == "" {
			text = http.StatusText(a.status)
		}
		errs = []GraphQLError{{Message: text}}
	}
	for i := range errs {
		errs[i].Rows = contract.Classify(a.status, errs[i].Message, errs[i].Extensions)
	}
	return &Error{HTTPStatus: a.status, Errors: errs, RetryAfter: retryAfter(a.header, a.received), Attempts: a.attempts, Header: a.header}
}

// retryable200 reports whether an HTTP 200 answer of a query failed only
// as a server error the contract retries (a database outage on a field):
// every error of the 5xx class with the server's schedule.
func retryable200(body []byte) bool {
	var resps []response
	if err := json.Unmarshal(body, &resps); err != nil {
		var one response
		if json.Unmarshal(body, &one) != nil {
			return false
		}
		resps = []response{one}
	}
	failed := false
	for _, r := range resps {
		for _, e := range r.Errors {
			rows := contract.Classify(http.StatusOK, e.Message, e.Extensions)
			if rows[0].Status != 500 || rows[0].Retry != contract.RetryServerError {
				return false
			}
			failed = true
		}
	}
	return failed
}

// send posts body until it gets an answer the contract does not retry, and
// returns it; an error only when no answer came (or the token source
// failed, as an *Error of the token endpoint's answer).
func (c *Client) send(ctx context.Context, body []byte, call *call, mutation bool, retry200 func([]byte) bool) (answer, error) {
	var (
		rateLimited  int       // consecutive 429s (and idempotency-key waits)
		serverFailed int       // consecutive 5xx and lost answers
		firstFailure time.Time // start of the first of them
	)
	for attempt := 1; ; attempt++ {
		start := c.now()
		ans, sent, err := c.post(ctx, body, call.header)
		ans.attempts, ans.received = attempt, c.now()
		if err != nil && ctx.Err() != nil {
			return ans, err
		}
		var tokenErr *Error
		if errors.As(err, &tokenErr) {
			return ans, tokenErr
		}
		var wait time.Duration
		switch {
		case err == nil && ans.status == http.StatusTooManyRequests,
			err == nil && ans.status == http.StatusConflict && ans.header.Get("Retry-After") != "":
			// Refused before anything ran: safe for mutations too.
			serverFailed = 0
			if rateLimited++; rateLimited >= RateLimitAttempts {
				return ans, nil
			}
			base := min(RateLimitFirstDelay<<(rateLimited-1), RateLimitMaxDelay)
			wait = max(base, retryAfter(ans.header, c.now())) + c.jitter(base)
		case err != nil || ans.status >= 500 || ans.status == http.StatusOK && !mutation && retry200(ans.body):
			safe := !mutation || call.idempotent || err != nil && !sent
			if serverFailed == 0 {
				firstFailure = start
			}
			serverFailed++
			if !safe || serverFailed > len(ServerDelays) || serverFailed >= ServerFailureLimit && c.now().Sub(firstFailure) >= ServerFailureWindow {
				if err != nil {
					return ans, fmt.Errorf("graphql request failed after %d attempts: %w", attempt, err)
				}
				return ans, nil
			}
			wait = ServerDelays[serverFailed-1]
		default:
			if ans.status == http.StatusUnauthorized {
				if inv, ok := c.tokens.(interface{ Invalidate() }); ok {
					inv.Invalidate() // the next call gets a new token; this one is not retried
				}
			}
			return ans, nil
		}
		if err := c.sleep(ctx, wait); err != nil {
			return ans, err
		}
	}
}

// post sends body once. sent reports whether the request was written,
// so a failure before that is known not to have reached the server.
func (c *Client) post(ctx context.Context, body []byte, header http.Header) (ans answer, sent bool, err error) {
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { sent = true }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return ans, false, err
	}
	req.Header = header.Clone()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.tokens != nil {
		tok, err := c.tokens.Token()
		if err != nil {
			return ans, false, tokenFailure(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return ans, sent, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return ans, sent, err
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: raw}, sent, nil
}

// tokenFailure is the *Error of a refused token exchange, classified by its
// error_description; any other failure stays as it is.
func tokenFailure(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return fmt.Errorf("token: %w", err)
	}
	msg := re.ErrorDescription
	if msg == "" {
		msg = re.ErrorCode
	}
	ans := answer{status: re.Response.StatusCode, header: re.Response.Header, body: re.Body, attempts: 1, received: time.Now()}
	return ans.failure([]GraphQLError{{Message: msg, Extensions: map[string]any{"oauthError": re.ErrorCode}}})
}

// retryAfter is an answer's Retry-After (seconds or an HTTP date), or 0.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
