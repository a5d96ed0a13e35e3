package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor/demo"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

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
}

// startServer runs `shopfloor serve` until the test ends, and checks that
// it then shuts down cleanly.
func startServer(tb testing.TB, extra ...string) *testServer {
	tb.Helper()
	s := &testServer{Dir: tb.TempDir(), Stdout: &syncBuffer{}, Stderr: &syncBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", s.Dir}, extra...)
	go func() { done <- run(ctx, args, func(string) string { return "" }, s.Stdout, s.Stderr) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("serve returned %v", err)
			}
		case <-time.After(30 * time.Second):
			tb.Errorf("serve did not shut down")
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for s.URL == "" {
		select {
		case err := <-done:
			tb.Fatalf("serve exited early: %v\n%s", err, s.Stderr)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("server did not start:\n%s", s.Stderr)
		}
		for _, line := range strings.Split(s.Stdout.String(), "\n") {
			if u, ok := strings.CutPrefix(strings.TrimSpace(line), "GraphQL:"); ok {
				s.URL = strings.TrimSuffix(strings.TrimSpace(u), "/graphql")
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if raw, err := os.ReadFile(filepath.Join(s.Dir, CredentialsFile)); err == nil {
		if err := json.Unmarshal(raw, &s.Creds); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// apiKey returns the demo API key of org (0 or 1) with role.
func (s *testServer) apiKey(tb testing.TB, org int, role string) demo.APIKey {
	tb.Helper()
	for _, k := range s.Creds.Orgs[org].APIKeys {
		if k.Role == role {
			return k
		}
	}
	tb.Fatalf("no %s key in org %d", role, org)
	return demo.APIKey{}
}

// token exchanges a demo API key for an access token.
func (s *testServer) token(tb testing.TB, org int, role string) string {
	tb.Helper()
	k := s.apiKey(tb, org, role)
	status, body := s.postForm(tb, "/realms/api-keys/protocol/openid-connect/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {k.ClientID}, "client_secret": {k.ClientSecret},
	})
	if status != http.StatusOK {
		tb.Fatalf("token: %d %s", status, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		tb.Fatalf("token: %v %s", err, body)
	}
	return tok.AccessToken
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
	Status int
	Raw    string
	Data   map[string]json.RawMessage `json:"data"`
	Errors []gqlError                 `json:"errors"`
}

// post sends a raw body to /graphql with an Authorization header (none when
// auth is empty).
func (s *testServer) post(tb testing.TB, auth, body string) gqlResponse {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{Status: resp.StatusCode, Raw: string(raw)}
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatalf("response is not JSON: %v: %s", err, raw)
	}
	return out
}

// gql runs a query with variables as a bearer token.
func (s *testServer) gql(tb testing.TB, token, query string, vars map[string]any) gqlResponse {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatal(err)
	}
	return s.post(tb, "Bearer "+token, string(body))
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
