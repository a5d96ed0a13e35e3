package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// wantReady checks /readyz's status, and its message when not ready.
func wantReady(t *testing.T, s *testServer, status int, message string) {
	t.Helper()
	res, err := httpGet(s.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	if res.status != status || (message != "" && !strings.Contains(string(res.body), fmt.Sprintf("%q", message))) {
		t.Fatalf("readyz: %d %s, want %d %q", res.status, res.body, status, message)
	}
}

// While PostgreSQL is down every request that needs it is a 503 with
// Retry-After, in the errors[] shape; liveness stays up; readiness says
// which dependency failed; when the database is back the server serves
// again by itself, and nothing was half-written.
func TestDatabaseOutage(t *testing.T) {
	pg := pgtest.New(t)
	s := startServer(t, "--database-url", pg.Database(t))
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	before := s.gql(t, tok, tenParts, nil).must(t).Data["parts"]
	k := s.apiKey(t, 0, shopfloor.RoleAdmin)

	pg.Stop()
	for _, q := range []string{tenParts, `mutation { createLocation(input: {name: "During outage"}) { location { id } } }`} {
		r := s.gql(t, tok, q, nil)
		r.wantError(t, http.StatusServiceUnavailable, http.StatusServiceUnavailable, shopfloor.MsgUnavailable)
		if r.Header.Get("Retry-After") != "1" {
			t.Fatalf("503 without Retry-After: %v", r.Header)
		}
	}
	status, body := s.exchange(t, k.ClientID, k.ClientSecret, "")
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), `"error":"temporarily_unavailable"`) {
		t.Fatalf("token endpoint during the outage: %d %s", status, body)
	}
	if res, err := httpGet(s.URL + "/healthz"); err != nil || res.status != http.StatusOK {
		t.Fatalf("healthz during the outage: %v %d", err, res.status)
	}
	wantReady(t, s, http.StatusServiceUnavailable, "Not ready: database is unavailable.")
	if logs := s.Stderr.String(); strings.Contains(logs, "panic") {
		t.Fatalf("panic during the outage:\n%s", logs)
	}

	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := s.gql(t, tok, tenParts, nil)
		if r.Status == http.StatusOK {
			if string(r.must(t).Data["parts"]) != string(before) {
				t.Fatalf("parts changed across the outage")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not serving 20s after the database came back: %s", r.Raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
	wantReady(t, s, http.StatusOK, "")
	var locs struct{ PageInfo struct{ TotalCount int } }
	s.gql(t, tok, `{ locations(filters: {name: {eq: "During outage"}}) { pageInfo { totalCount } } }`, nil).must(t).field(t, "locations", &locs)
	if locs.PageInfo.TotalCount != 0 {
		t.Fatal("a mutation refused with 503 was written")
	}
}

// On shutdown (SIGTERM) the server first reports not ready for the drain
// delay, then takes no new connection, and a request already in flight
// (here: its body still arriving) is answered in full.
func TestGracefulDrain(t *testing.T) {
	s := startServer(t, "--drain-delay", "500ms")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	wantReady(t, s, http.StatusOK, "")

	body := `{"query":"{ me { email } parts(first: 2) { edges { node { id } } } }"}`
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		tok, len(body), body[:10])

	stopped := make(chan error, 1)
	go func() { stopped <- s.stop() }()
	time.Sleep(100 * time.Millisecond)
	wantReady(t, s, http.StatusServiceUnavailable, "Not ready: the server is shutting down.")

	time.Sleep(time.Second) // past the drain delay: the listener is closed
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.URL, "http://"), time.Second); err == nil {
		c.Close()
		t.Fatal("a new connection was accepted after the drain delay")
	}
	select {
	case err := <-stopped:
		t.Fatalf("serve stopped with a request in flight: %v", err)
	default:
	}

	io.WriteString(conn, body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the in-flight request was cut: %v", err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var out struct {
		Data struct {
			Me    struct{ Email string }
			Parts struct{ Edges []any }
		}
		Errors []any
	}
	if err := json.Unmarshal(raw, &out); err != nil || resp.StatusCode != http.StatusOK || out.Errors != nil || out.Data.Me.Email == "" || len(out.Data.Parts.Edges) != 2 {
		t.Fatalf("in-flight request: %d %s", resp.StatusCode, raw)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// On PostgreSQL /metrics reports the connection pool that both the direct
// reads and database/sql take connections from.
func TestPostgresPoolMetrics(t *testing.T) {
	s := startServer(t, "--database-url", pgtest.Database(t))
	s.gql(t, s.token(t, 0, shopfloor.RoleAdmin), "query ListParts "+tenParts, nil).must(t)
	res, err := httpGet(s.URL + "/metrics")
	if err != nil || res.status != http.StatusOK {
		t.Fatalf("metrics: %v %d", err, res.status)
	}
	text := string(res.body)
	for _, want := range []string{"shopfloor_pg_pool_max_connections 20", "shopfloor_pg_pool_idle_connections ", "shopfloor_pg_pool_acquires_total "} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, "shopfloor_pg_pool_acquires_total 0\n") {
		t.Error("no connection was taken from the pool")
	}
}

// /metrics exposes requests by operation and status class, latency, rate
// limit rejections and the database pool, in Prometheus' text format.
func TestMetrics(t *testing.T) {
	s := startServer(t, "--org-burst", "30", "--org-rate", "1")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	s.gql(t, tok, "query ListParts "+tenParts, nil).must(t)
	s.gql(t, tok, "query ListParts "+tenParts, nil) // 429: 8 left
	s.post(t, "", `{"query":"{ me { id } }"}`)      // 401, no operation known

	res, err := httpGet(s.URL + "/metrics")
	if err != nil || res.status != http.StatusOK {
		t.Fatalf("metrics: %v %d", err, res.status)
	}
	text := string(res.body)
	for _, want := range []string{
		`shopfloor_requests_total{operation="ListParts",status_class="2xx"} 1`,
		`shopfloor_requests_total{operation="ListParts",status_class="4xx"} 1`,
		`shopfloor_requests_total{operation="none",status_class="4xx"} 1`,
		`shopfloor_request_duration_seconds_count{operation="ListParts"} 2`,
		`shopfloor_rate_limited_total{scope="org"} 1`,
		`go_sql_open_connections{db_name="shopfloor"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// Every request is one structured log line with its request id, org,
// principal, operation, status and duration.
func TestRequestLogs(t *testing.T) {
	s := startServer(t)
	k := s.apiKey(t, 0, shopfloor.RoleAdmin)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	r := s.gql(t, tok, "query WhoAmI { me { organization { id } } }", nil).must(t)
	var me struct{ Organization struct{ ID float64 } }
	r.field(t, "me", &me)
	id := r.Header.Get("X-Request-Id")
	if id == "" {
		t.Fatal("no X-Request-Id on the response")
	}
	var line map[string]any
	for _, l := range strings.Split(s.Stderr.String(), "\n") {
		if strings.Contains(l, id) {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatalf("log line is not JSON: %s", l)
			}
		}
	}
	want := map[string]any{"msg": "request", "request_id": id, "method": "POST", "path": "/graphql", "status": 200.0,
		"org": me.Organization.ID, "principal": "apikey:" + k.ClientID, "operation": "WhoAmI"}
	for field, v := range want {
		if line[field] != v {
			t.Errorf("log field %s = %v, want %v (line %v)", field, line[field], v, line)
		}
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("log line has no duration_ms: %v", line)
	}
}
