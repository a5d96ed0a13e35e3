package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// rawAnswer is what a server answered on a raw connection, and whether it
// then closed the connection.
type rawAnswer struct {
	status int
	header http.Header
	errors []gqlError
	closed bool
}

// rawPost sends path the headers of a 1000-byte body (with auth, if any)
// and its first bytes, then one byte every 100ms while trickle, and reads
// the answer.
func rawPost(tb testing.TB, s *testServer, path, auth string, trickle bool) rawAnswer {
	tb.Helper()
	conn := s.dial(tb)
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: 1000\r\n\r\n{\"query\":\"", path, auth)
	stop := make(chan struct{})
	defer close(stop)
	if trickle {
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
				if _, err := conn.Write([]byte("a")); err != nil {
					return
				}
			}
		}()
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		tb.Fatalf("no answer: %v", err)
	}
	var body struct{ Errors []gqlError }
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &body); err != nil {
		tb.Fatalf("%d %s", resp.StatusCode, raw)
	}
	_, err = br.ReadByte()
	return rawAnswer{status: resp.StatusCode, header: resp.Header, errors: body.Errors, closed: err != nil && !isTimeout(err)}
}

// dial opens a raw connection to the server, closed when the test ends
// and bounded to 20s, so that a server that never answers fails the test.
func (s *testServer) dial(tb testing.TB) net.Conn {
	tb.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	return conn
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// A body sent too slowly, or that stops, is cut on every endpoint that
// reads one: 408 in the contract's shape, then the connection is closed.
func TestSlowBodyIsCut(t *testing.T) {
	s := startServer(t, "--body-timeout", "3s", "--body-idle-timeout", "1500ms", "--header-timeout", "1s")
	auth := "Bearer " + s.token(t, 0, shopfloor.RoleAdmin)
	for _, path := range []string{"/graphql", tokenPath, "/auth" + tokenPath, authPath} {
		for _, c := range []struct {
			name    string
			trickle bool
			message string
		}{
			{"trickle", true, "Request timeout: the body did not arrive within 3s."},
			{"stall", false, "Request timeout: the body paused for more than 1.5s."},
		} {
			t.Run(path+" "+c.name, func(t *testing.T) {
				t.Parallel()
				got := rawPost(t, s, path, auth, c.trickle)
				if got.status != http.StatusRequestTimeout || len(got.errors) != 1 || got.errors[0].Message != c.message ||
					got.errors[0].Extensions.Status != http.StatusRequestTimeout || got.errors[0].Extensions.Code != string(shopfloor.CodeBadRequest) {
					t.Errorf("got %d %+v", got.status, got.errors)
				}
				if !got.closed {
					t.Error("the connection stayed open")
				}
			})
		}
	}
	// Refused before its body is read, a slow request is answered, then
	// cut.
	t.Run("unauthenticated", func(t *testing.T) {
		t.Parallel()
		got := rawPost(t, s, "/graphql", "Bearer nonsense", true)
		if got.status != http.StatusUnauthorized || len(got.errors) != 1 || got.errors[0].Message != "Unable to parse authentication token" || !got.closed {
			t.Errorf("got %d %+v, closed %v", got.status, got.errors, got.closed)
		}
	})
	t.Run("headers", func(t *testing.T) {
		t.Parallel()
		conn := s.dial(t)
		fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: x\r\n")
		if n, err := conn.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			t.Errorf("headers that never end: read %d %v, want the connection closed", n, err)
		}
	})
}

// Headers over --max-header-bytes are answered 431 in the contract's shape
// (not Go's plain text); headers under it pass.
func TestOversizedHeaders(t *testing.T) {
	s := startServer(t, "--no-demo")
	for _, c := range []struct {
		size   int
		status int
	}{{60 << 10, http.StatusUnauthorized}, {100 << 10, http.StatusRequestHeaderFieldsTooLarge}, {900 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
		r := s.postHeaders(t, http.Header{"X-Padding": {strings.Repeat("p", c.size)}}, `{"query":"{ me { id } }"}`)
		if c.status == http.StatusUnauthorized {
			r.wantError(t, http.StatusUnauthorized, http.StatusUnauthorized, shopfloor.MsgNoCredentials)
			continue
		}
		e := r.wantError(t, c.status, c.status, "Malformed request: the headers are larger than 64 KiB.")
		if e.Extensions.Code != string(shopfloor.CodeBadRequest) || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%d bytes: %s %v", c.size, e.Extensions.Code, r.Header)
		}
	}
}

// API answers are never sniffed nor cached; every 401 carries a Bearer
// challenge, with RFC 6750's error when a token was refused.
func TestAPIHeaders(t *testing.T) {
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	k := s.apiKey(t, 0, shopfloor.RoleAdmin)
	answers := map[string]*http.Response{}
	do := func(name, method, path, auth, contentType, body string) {
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answers[name] = resp
	}
	form := "application/x-www-form-urlencoded"
	do("graphql", "POST", "/graphql", "Bearer "+tok, "application/json", `{"query":"{ me { id } }"}`)
	do("graphql 400", "POST", "/graphql", "Bearer "+tok, "application/json", `{`)
	do("token", "POST", tokenPath, "", form, url.Values{"grant_type": {"client_credentials"}, "client_id": {k.ClientID}, "client_secret": {k.ClientSecret}}.Encode())
	do("no credentials", "POST", "/graphql", "", "application/json", `{"query":"{ me { id } }"}`)
	do("bad token", "POST", "/graphql", "Bearer not-a-jwt", "application/json", `{"query":"{ me { id } }"}`)
	do("bad client", "POST", tokenPath, "", form, "grant_type=client_credentials&client_id=nobody&client_secret=x")
	do("405", "GET", "/graphql", "", "", "")
	do("404", "GET", "/nowhere", "", "", "")
	for name, resp := range answers {
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %v", name, resp.Header)
		}
	}
	for name, want := range map[string]string{
		"no credentials": "Bearer",
		"bad token":      `Bearer error="invalid_token", error_description="Unable to parse authentication token"`,
		"bad client":     "Bearer",
	} {
		if resp := answers[name]; resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != want {
			t.Errorf("%s: %d WWW-Authenticate %q, want %q", name, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), want)
		}
	}
	if got := answers["graphql"].Header.Get("WWW-Authenticate"); got != "" {
		t.Errorf("a 200 challenges: %q", got)
	}

	resp, err := http.Get(s.URL + "/playground")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'none'") ||
		resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("playground headers: %v", resp.Header)
	}
}

// With --metrics-addr, /metrics moves to its own listener.
func TestMetricsAddr(t *testing.T) {
	s := startServer(t, "--no-demo", "--metrics-addr", "127.0.0.1:0")
	var metricsURL string
	for _, line := range strings.Split(s.Stdout.String(), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Metrics:"); ok {
			metricsURL = strings.TrimSpace(v)
		}
	}
	if metricsURL == "" || strings.HasPrefix(metricsURL, s.URL) {
		t.Fatalf("banner metrics %q:\n%s", metricsURL, s.Stdout)
	}
	if res, err := httpGet(metricsURL); err != nil || res.status != http.StatusOK || !strings.Contains(string(res.body), "go_goroutines") {
		t.Errorf("metrics listener: %v %d", err, res.status)
	}
	if res, err := httpGet(s.URL + "/metrics"); err != nil || res.status != http.StatusNotFound {
		t.Errorf("main listener still serves /metrics: %v %d", err, res.status)
	}
}
