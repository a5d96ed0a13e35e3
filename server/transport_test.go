package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The body deadline ends with the body: a handler that runs past it, and
// reads the ended body again then, is not cancelled (Go's server reads on
// after the body, and cancels the request if that read fails).
func TestBodyDeadlineEndsWithBody(t *testing.T) {
	t.Parallel()
	s := &Server{transport: Transport{BodyTimeout: 200 * time.Millisecond, BodyIdleTimeout: time.Second}}
	srv := httptest.NewServer(s.limitBody(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		time.Sleep(300 * time.Millisecond) // past the body deadline
		r.Body.Read(make([]byte, 1))
		select {
		case <-r.Context().Done():
			io.WriteString(w, "cancelled")
		case <-time.After(time.Second): // five times the body deadline
			io.WriteString(w, "ran")
		}
	})))
	defer srv.Close()
	resp, err := http.Post(srv.URL, "text/plain", strings.NewReader("a body"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if got, _ := io.ReadAll(resp.Body); string(got) != "ran" {
		t.Errorf("handler %s", got)
	}
}

// /metrics answers connections to a loopback address only.
func TestMetricsOnLoopbackOnly(t *testing.T) {
	t.Parallel()
	h := loopbackOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "metrics") }))
	for addr, want := range map[string]int{"127.0.0.1": 200, "::1": 200, "10.1.2.3": 404, "192.0.2.7": 404} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.ParseIP(addr), Port: 8080}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("connection to %s: %d, want %d", addr, rec.Code, want)
		}
	}
}
