package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// An internal fault is the generic 500-class error: no SQL, no stack, no
// table name reaches the client; the log has the details and request id.
func TestInternalFaultsDoNotLeak(t *testing.T) {
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	_, store := issuerFor(t, s.Dir, s.URL)
	if _, err := store.DB().Exec("ALTER TABLE locations RENAME TO locations_broken"); err != nil {
		t.Fatal(err)
	}
	r := s.gql(t, tok, `{ me { email } locations(first: 2) { edges { node { name } } } }`, nil)
	e := r.wantError(t, http.StatusOK, http.StatusInternalServerError, "Internal server error.")
	if e.Extensions.Code != "INTERNAL_SERVER_ERROR" {
		t.Errorf("code %q", e.Extensions.Code)
	}
	for _, leak := range []string{"locations_broken", "SQL", "sqlite", "no such table", "goroutine", ".go:"} {
		if strings.Contains(r.Raw, leak) {
			t.Errorf("response leaks %q: %s", leak, r.Raw)
		}
	}
	if !strings.Contains(string(r.Data["me"]), "service-account-") {
		t.Errorf("the healthy field lost its data: %s", r.Raw)
	}
	if !strings.Contains(s.Stderr.String(), "no such table") || !strings.Contains(s.Stderr.String(), `"request_id"`) {
		t.Errorf("the fault is not in the log")
	}
	if _, err := store.DB().Exec("ALTER TABLE locations_broken RENAME TO locations"); err != nil {
		t.Fatal(err)
	}
	s.gql(t, tok, `{ locations(first: 2) { edges { node { name } } } }`, nil).must(t)
}

// Tokens and secrets never reach the log.
func TestLogsHoldNoSecrets(t *testing.T) {
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	s.gql(t, tok, `{ me { id } }`, nil).must(t)
	s.post(t, "Bearer "+tok+"x", `{"query":"{ me { id } }"}`)
	logs := s.Stderr.String()
	k := s.apiKey(t, 0, shopfloor.RoleAdmin)
	if !strings.Contains(logs, `"path":"/graphql"`) {
		t.Fatalf("requests are not logged:\n%s", logs)
	}
	for _, secret := range []string{tok[:40], k.ClientSecret} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds a secret")
		}
	}
}
