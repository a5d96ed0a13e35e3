package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// corsAnswer is what a browser learns from an answer under CORS.
type corsAnswer struct {
	status int
	header http.Header
	body   string
}

// allowed is the origin the answer lets read it ("" for none).
func (a corsAnswer) allowed() string { return a.header.Get("Access-Control-Allow-Origin") }

// corsRequest sends a request with an Origin header and extra headers.
func (s *testServer) corsRequest(tb testing.TB, method, path, origin string, h http.Header, body string) corsAnswer {
	tb.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if h != nil {
		req.Header = h.Clone()
	}
	req.Header.Set("Origin", origin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return corsAnswer{resp.StatusCode, resp.Header, string(raw)}
}

// addOrigin registers origin for a new app of org (0 or 1), as its admin.
func (s *testServer) addOrigin(tb testing.TB, org int, origin string) {
	tb.Helper()
	admin := s.token(tb, org, shopfloor.RoleAdmin)
	var reg struct{ OauthApp struct{ ID int64 } }
	s.gql(tb, admin, registerMutation, map[string]any{"name": "SPA", "type": "spa"}).must(tb).field(tb, "registerOauthApp", &reg)
	s.gql(tb, admin, addURIMutation, map[string]any{"app": reg.OauthApp.ID, "uri": origin, "type": "origin"}).must(tb)
}

// Browser apps: an origin registered as an OAuth app's origin URI gets
// preflights answered on /graphql and the token endpoints, and may read
// the answers its own organization's tokens get; no other origin may.
func TestCORS(t *testing.T) { onBothEngines(t, testCORS) }

func testCORS(t *testing.T, s *testServer) {
	const spa0, spa1, unknown = "https://spa.org0.example", "https://spa.org1.example", "https://evil.example"
	s.addOrigin(t, 0, spa0)
	s.addOrigin(t, 1, spa1+"/") // registered with a trailing slash; browsers send none
	tok0, tok1 := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 1, shopfloor.RoleAdmin)

	preflight := http.Header{"Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"authorization, content-type"}}
	for _, path := range []string{"/graphql", tokenPath, "/auth" + tokenPath} {
		for _, origin := range []string{spa0, spa1} {
			a := s.corsRequest(t, http.MethodOptions, path, origin, preflight, "")
			h := a.header
			if a.status != http.StatusNoContent || a.allowed() != origin || h.Get("Access-Control-Allow-Methods") != "POST" ||
				!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization, Content-Type") || h.Get("Access-Control-Max-Age") != "600" ||
				h.Get("Vary") != "Origin" {
				t.Errorf("preflight %s from %s: %d %v", path, origin, a.status, h)
			}
		}
		a := s.corsRequest(t, http.MethodOptions, path, unknown, preflight, "")
		var body struct{ Errors []gqlError }
		json.Unmarshal([]byte(a.body), &body)
		if a.status != http.StatusForbidden || a.allowed() != "" || len(body.Errors) != 1 ||
			body.Errors[0].Message != "Origin https://evil.example is not allowed: register it as an origin URI of an OAuth app." {
			t.Errorf("preflight %s from an unknown origin: %d %v %s", path, a.status, a.header, a.body)
		}
	}

	query := `{"query":"{ me { email } }"}`
	bearer := func(tok string) http.Header {
		return http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"}}
	}
	for _, c := range []struct {
		name, origin string
		header       http.Header
		status       int
		allowed      string
	}{
		{"own organization", spa0, bearer(tok0), 200, spa0},
		{"own organization, trailing slash registered", spa1, bearer(tok1), 200, spa1},
		{"another organization's token", spa0, bearer(tok1), 200, ""},
		{"another organization's origin", spa1, bearer(tok0), 200, ""},
		{"unknown origin", unknown, bearer(tok0), 200, ""},
		{"no token", spa0, http.Header{"Content-Type": {"application/json"}}, 401, spa0},
	} {
		a := s.corsRequest(t, http.MethodPost, "/graphql", c.origin, c.header, query)
		if a.status != c.status || a.allowed() != c.allowed || a.header.Get("Vary") != "Origin" ||
			(c.allowed != "" && !strings.Contains(a.header.Get("Access-Control-Expose-Headers"), "X-RateLimit-Remaining")) {
			t.Errorf("%s: %d %v", c.name, a.status, a.header)
		}
		if c.status == 200 && !strings.Contains(a.body, `"email"`) {
			t.Errorf("%s: %s", c.name, a.body)
		}
	}

	k := s.apiKey(t, 0, shopfloor.RoleAdmin)
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	exchange := url.Values{"grant_type": {"client_credentials"}, "client_id": {k.ClientID}, "client_secret": {k.ClientSecret}}.Encode()
	if a := s.corsRequest(t, http.MethodPost, tokenPath, spa0, form, exchange); a.status != 200 || a.allowed() != spa0 {
		t.Errorf("token endpoint from a registered origin: %d %v", a.status, a.header)
	}
	if a := s.corsRequest(t, http.MethodPost, tokenPath, unknown, form, exchange); a.status != 200 || a.allowed() != "" {
		t.Errorf("token endpoint from an unknown origin: %d %v", a.status, a.header)
	}
}
