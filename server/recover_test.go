package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A panic outside GraphQL is a 500 in the errors[] shape with the generic
// message; the stack goes only to the log.
func TestPanicIsGeneric500(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	h := s.requestID(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("secret internals: SELECT * FROM parts")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
	want := `{"errors":[{"message":"Internal server error.","extensions":{"code":"INTERNAL_SERVER_ERROR","status":500}}]}`
	if rec.Code != http.StatusInternalServerError || strings.TrimSpace(rec.Body.String()) != want {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "secret internals") || !strings.Contains(logs.String(), "goroutine") ||
		!strings.Contains(logs.String(), rec.Header().Get("X-Request-Id")) {
		t.Errorf("panic not logged with stack and request id: %s", logs.String())
	}
}
