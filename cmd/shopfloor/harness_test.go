package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor/demo"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

func TestMain(m *testing.M) {
	if args := os.Getenv(childServeEnv); args != "" { // this binary is a server a test spawned
		os.Exit(serveChild(args))
	}
	os.Exit(pgtest.Main(m, stopSharedServers, removeDemoTemplate))
}

// syncBuffer is an io.Writer the server goroutine writes while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a real Shopfloor started in-process through run, on a free
// loopback port and a fresh data directory.
type testServer struct {
	URL    string // base URL
	Dir    string
	Creds  demo.Credentials
	Stdout *syncBuffer
	Stderr *syncBuffer

	storeArgs []string // how `shopfloor token` finds this server's store
	cancel    context.CancelFunc
	done      chan error
	stopOnce  sync.Once
	stopErr   error
}

// startServer runs `shopfloor serve` until the test ends, and checks that
// it then shuts down cleanly. Unless extra points it elsewhere or asks for
// no demo data, its data directory is a copy of the demo template.
func startServer(tb testing.TB, extra ...string) *testServer {
	tb.Helper()
	dir := tb.TempDir()
	if seedsFromTemplate(extra) {
		if err := copyDemoTemplate(dir); err != nil {
			tb.Fatal(err)
		}
	}
	return startIn(tb, time.Minute, dir, extra...)
}

// startSeeding is startServer on an empty data directory, which serve
// migrates and seeds itself.
func startSeeding(tb testing.TB, extra ...string) *testServer {
	tb.Helper()
	return startIn(tb, seedTimeout, tb.TempDir(), extra...)
}

// startIn is startServer on data directory dir, started within timeout.
func startIn(tb testing.TB, timeout time.Duration, dir string, extra ...string) *testServer {
	tb.Helper()
	s, err := launchWithin(timeout, dir, extra...)
	if s != nil {
		tb.Cleanup(func() {
			if err := s.stop(); err != nil {
				tb.Errorf("serve: %v", err)
			}
		})
	}
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// launch runs `shopfloor serve` on data directory dir until stopped, and
// returns once it serves.
func launch(dir string, extra ...string) (*testServer, error) {
	return launchWithin(time.Minute, dir, extra...)
}

// launchWithin is launch, failing when the server does not serve within
// timeout.
func launchWithin(timeout time.Duration, dir string, extra ...string) (*testServer, error) {
	s := &testServer{Dir: dir, Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, done: make(chan error, 1)}
	s.storeArgs = []string{"--data", s.Dir}
	for i, arg := range extra {
		if arg == "--database-url" && i+1 < len(extra) {
			s.storeArgs = []string{"--database-url", extra[i+1]}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", s.Dir}, extra...)
	go func() { s.done <- run(ctx, args, func(string) string { return "" }, s.Stdout, s.Stderr) }()
	deadline := time.Now().Add(timeout)
	for s.URL == "" {
		select {
		case err := <-s.done:
			s.done <- err
			return s, fmt.Errorf("serve exited early: %v\n%s", err, s.Stderr)
		default:
		}
		if time.Now().After(deadline) {
			return s, fmt.Errorf("server did not start:\n%s", s.Stderr)
		}
		for _, line := range strings.Split(s.Stdout.String(), "\n") {
			if u, ok := strings.CutPrefix(strings.TrimSpace(line), "GraphQL:"); ok {
				s.URL = strings.TrimSuffix(strings.TrimSpace(u), "/graphql")
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	// serve prints the banner's first line before the rest of it, and
	// serves once the whole banner is out. (Whether a TLS server's
	// certificate is trusted is for its tests to check, not this wait.)
	ready := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	defer ready.CloseIdleConnections()
	for {
		if r, err := ready.Get(s.URL + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			return s, fmt.Errorf("server did not answer /healthz:\n%s", s.Stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if raw, err := os.ReadFile(filepath.Join(s.Dir, CredentialsFile)); err == nil {
		if err := json.Unmarshal(raw, &s.Creds); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Engines a shared server runs on.
const (
	sqliteEngine   = "sqlite"
	postgresEngine = "postgres"
)

// shared holds the servers that many tests use at once, one per engine,
// started on first use and stopped when the package's tests end.
var shared struct {
	sync.Mutex
	servers map[string]*testServer
	dirs    []string
}

// sharedServer is the package's server on engine, with default flags and the
// demo data. Tests that use it run in parallel, so they create what they
// change (names of their own) and never rely on counts of shared rows;
// a test that needs flags, a clock or an outage starts its own server.
func sharedServer(tb testing.TB, engine string) *testServer {
	tb.Helper()
	shared.Lock()
	defer shared.Unlock()
	if s, ok := shared.servers[engine]; ok {
		return s
	}
	dir, err := os.MkdirTemp("", "shopfloor-shared-")
	if err != nil {
		tb.Fatal(err)
	}
	shared.dirs = append(shared.dirs, dir)
	var extra []string
	if engine == postgresEngine {
		extra = []string{"--database-url", pgtest.Database(tb)}
	} else if err := copyDemoTemplate(dir); err != nil {
		tb.Fatal(err)
	}
	s, err := launch(dir, extra...)
	if err != nil {
		if s != nil {
			s.stop()
		}
		tb.Fatal(err)
	}
	if shared.servers == nil {
		shared.servers = map[string]*testServer{}
	}
	shared.servers[engine] = s
	return s
}

// onEngines runs test against the shared server of each engine, in parallel.
func onEngines(t *testing.T, test func(t *testing.T, s *testServer)) {
	t.Parallel()
	for _, engine := range []string{sqliteEngine, postgresEngine} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			test(t, sharedServer(t, engine))
		})
	}
}

// names numbers the names tests give what they create on shared servers.
var names atomic.Int64

// unique is a name no other test uses.
func unique(prefix string) string { return fmt.Sprintf("%s-%d", prefix, names.Add(1)) }

// stopSharedServers stops the shared servers and removes their data.
func stopSharedServers() {
	shared.Lock()
	defer shared.Unlock()
	for engine, s := range shared.servers {
		if err := s.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "shared %s server: %v\n", engine, err)
		}
	}
	for _, dir := range shared.dirs {
		os.RemoveAll(dir)
	}
}

// stop asks serve to shut down, as SIGTERM does, and waits until it has.
func (s *testServer) stop() error {
	s.stopOnce.Do(func() {
		s.cancel()
		select {
		case s.stopErr = <-s.done:
		case <-time.After(60 * time.Second):
			s.stopErr = errors.New("did not shut down")
		}
	})
	return s.stopErr
}

// operator runs one of the operator's commands (shopfloor org|user|key)
// on this server's store, and returns what it printed.
func (s *testServer) operator(tb testing.TB, args ...string) string {
	tb.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), append(args, s.storeArgs...), func(string) string { return "" }, &out, &errOut); err != nil {
		tb.Fatalf("shopfloor %v: %v: %s", args, err, errOut.String())
	}
	return out.String()
}

// userToken makes a token for a user with `shopfloor token`.
func (s *testServer) userToken(tb testing.TB, email string) string {
	tb.Helper()
	var out, errOut bytes.Buffer
	args := append([]string{"token", "--email", email}, s.storeArgs...)
	if err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut); err != nil {
		tb.Fatalf("shopfloor token: %v: %s", err, errOut.String())
	}
	return strings.TrimSpace(out.String())
}

// apiKey returns the demo API key of org (0 or 1) with role.
func (s *testServer) apiKey(tb testing.TB, org int, role string) demo.APIKey {
	tb.Helper()
	return withRole(tb, s.Creds.Orgs[org].APIKeys, func(k demo.APIKey) string { return k.Role }, role)
}

// demoUser returns the demo user of org (0 or 1) with role.
func (s *testServer) demoUser(tb testing.TB, org int, role string) demo.User {
	tb.Helper()
	return withRole(tb, s.Creds.Orgs[org].Users, func(u demo.User) string { return u.Role }, role)
}

// withRole returns the demo credential with role.
func withRole[T any](tb testing.TB, items []T, roleOf func(T) string, role string) T {
	tb.Helper()
	for _, item := range items {
		if roleOf(item) == role {
			return item
		}
	}
	var none T
	tb.Fatalf("no %T with role %s", none, role)
	return none
}

// token exchanges a demo API key for an access token.
func (s *testServer) token(tb testing.TB, org int, role string) string {
	tb.Helper()
	return s.scopedToken(tb, org, role, "")
}

// scopedToken exchanges a demo API key for an access token asked for with
// scope, and checks that exactly that scope was granted (when one is asked).
func (s *testServer) scopedToken(tb testing.TB, org int, role, scope string) string {
	tb.Helper()
	k := s.apiKey(tb, org, role)
	status, body := s.exchange(tb, k.ClientID, k.ClientSecret, scope)
	var tok struct {
		AccessToken string `json:"access_token"`
		Scope       string
	}
	if err := json.Unmarshal(body, &tok); err != nil || status != http.StatusOK || tok.AccessToken == "" || (scope != "" && tok.Scope != scope) {
		tb.Fatalf("token with scope %q: %d %v %s", scope, status, err, body)
	}
	return tok.AccessToken
}

// exchange posts the client-credentials grant for a key (with scope, if
// any) to the token endpoint.
func (s *testServer) exchange(tb testing.TB, clientID, secret, scope string) (int, []byte) {
	tb.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}
	if scope != "" {
		form.Set("scope", scope)
	}
	return s.postForm(tb, "/realms/api-keys/protocol/openid-connect/token", form)
}

func (s *testServer) postForm(tb testing.TB, path string, form url.Values) (int, []byte) {
	tb.Helper()
	resp, err := http.PostForm(s.URL+path, form)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// gqlError is one entry of errors[].
type gqlError struct {
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Locations  []struct{ Line, Column int }
	Extensions struct {
		Code   string `json:"code"`
		Status int    `json:"status"`
	} `json:"extensions"`
}

// gqlResponse is a GraphQL response with its HTTP status and raw body.
type gqlResponse struct {
	Status     int
	Header     http.Header
	Raw        string
	Data       map[string]json.RawMessage `json:"data"`
	Errors     []gqlError                 `json:"errors"`
	Extensions struct {
		Cost *costExtension `json:"cost"`
	} `json:"extensions"`
}

// costExtension is extensions.cost of a response.
type costExtension struct {
	Requested, Limit, Remaining int
}

// post sends a raw body to /graphql with an Authorization header (none when
// auth is empty).
func (s *testServer) post(tb testing.TB, auth, body string) gqlResponse {
	tb.Helper()
	h := http.Header{}
	if auth != "" {
		h.Set("Authorization", auth)
	}
	return s.postHeaders(tb, h, body)
}

// postHeaders sends a raw body to /graphql with these headers.
func (s *testServer) postHeaders(tb testing.TB, h http.Header, body string) gqlResponse {
	tb.Helper()
	r, err := s.send(h, body)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// send posts a raw body to /graphql with these headers; it may be called
// from any goroutine.
func (s *testServer) send(h http.Header, body string) (gqlResponse, error) {
	req, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", strings.NewReader(body))
	if err != nil {
		return gqlResponse{}, err
	}
	req.Header = h.Clone()
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return gqlResponse{}, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if err := json.Unmarshal(raw, &out); err != nil {
		return out, fmt.Errorf("response is not JSON: %v: %s", err, raw)
	}
	return out, nil
}

// gql runs a query with variables as a bearer token.
func (s *testServer) gql(tb testing.TB, token, query string, vars map[string]any) gqlResponse {
	tb.Helper()
	return s.gqlHeaders(tb, token, nil, query, vars)
}

// gqlHeaders runs a query as a bearer token with extra headers.
func (s *testServer) gqlHeaders(tb testing.TB, token string, extra http.Header, query string, vars map[string]any) gqlResponse {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatal(err)
	}
	h := extra.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Authorization", "Bearer "+token)
	return s.postHeaders(tb, h, string(body))
}

// must fails the test unless r is HTTP 200 without errors.
func (r gqlResponse) must(tb testing.TB) gqlResponse {
	tb.Helper()
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		tb.Fatalf("unexpected failure: %d %s", r.Status, r.Raw)
	}
	return r
}

// field decodes data.<name> into v.
func (r gqlResponse) field(tb testing.TB, name string, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Data[name], v); err != nil {
		tb.Fatalf("data.%s: %v in %s", name, err, r.Raw)
	}
}

// wantError checks that r carries exactly one error with this message and
// status class, under HTTP httpStatus.
func (r gqlResponse) wantError(tb testing.TB, httpStatus, status int, message string) gqlError {
	tb.Helper()
	if r.Status != httpStatus || len(r.Errors) != 1 || r.Errors[0].Message != message || r.Errors[0].Extensions.Status != status {
		tb.Fatalf("want HTTP %d, one error %d %q; got HTTP %d %s", httpStatus, status, message, r.Status, r.Raw)
	}
	return r.Errors[0]
}

type httpResult struct {
	status int
	body   []byte
}

func httpGet(u string) (httpResult, error) {
	resp, err := http.Get(u)
	if err != nil {
		return httpResult{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return httpResult{resp.StatusCode, body}, nil
}
