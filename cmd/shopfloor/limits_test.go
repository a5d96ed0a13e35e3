package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// Every text input has a limit, and one past it is a 422 naming the field
// and the limit, on both engines; a NUL character is refused wherever text
// comes in; and the refused mutation changes nothing.
func TestInputLimits(t *testing.T) { onBothEngines(t, testInputLimits) }

func testInputLimits(t *testing.T, s *testServer) {
	admin := s.token(t, 0, shopfloor.RoleAdmin)
	var me struct {
		ID           int64
		Organization struct {
			ID   int64
			Etag string `json:"_etag"`
		}
	}
	s.gql(t, admin, `{ me { id organization { id _etag } } }`, nil).must(t).field(t, "me", &me)
	var app struct{ OauthApp struct{ ID int64 } }
	s.gql(t, admin, registerMutation, map[string]any{"name": "Limits", "type": "spa"}).must(t).field(t, "registerOauthApp", &app)
	snapshot := func() string {
		r := s.gql(t, admin, `{ me { organization { _etag name loginDomains } } users(first: 10) { edges { node { _etag name } } }
			oauthApps(first: 10) { edges { node { name redirectUris { uri } } } } roles(first: 0) { totalCount } teams(first: 0) { totalCount }
			parts(first: 0) { pageInfo { totalCount } } }`, nil).must(t)
		return fmt.Sprint(r.Data)
	}
	name := strings.Repeat("n", shopfloor.MaxName+1)
	domains := make([]string, shopfloor.MaxLoginDomains+1)
	for i := range domains {
		domains[i] = fmt.Sprintf("d%d.example", i)
	}
	ids := make([]int, 32766) // past SQLite's bound variables
	for i := range ids {
		ids[i] = i + 1
	}
	filterParts := `query($ids: [ID!], $p: String) { parts(filters: {id: {in: $ids}, description: {ilike: $p}}) { totalCount } }`
	updateOrg := `mutation($id: ID!, $etag: String!, $name: String, $domains: [String!]) {
		updateOrganization(input: {id: $id, etag: $etag, name: $name, loginDomains: $domains}) { organization { id } } }`
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		message     string
	}{
		{"app name", registerMutation, map[string]any{"name": name, "type": "spa"}, "OauthApp name must be at most 255 characters."},
		{"redirect URI", addURIMutation, map[string]any{"app": app.OauthApp.ID, "uri": "https://x.example/" + strings.Repeat("a", shopfloor.MaxURI), "type": "callback"},
			"RedirectUri uri must be at most 2048 characters."},
		{"user name", `mutation($id: ID!, $name: String) { updateUser(input: {id: $id, etag: "x", name: $name}) { user { id } } }`,
			map[string]any{"id": me.ID, "name": name}, "User name must be at most 255 characters."},
		{"organization name", updateOrg, map[string]any{"id": me.Organization.ID, "etag": me.Organization.Etag, "name": name},
			"Organization name must be at most 255 characters."},
		{"login domains", updateOrg, map[string]any{"id": me.Organization.ID, "etag": me.Organization.Etag, "domains": domains},
			"Organization loginDomains must have at most 100 entries."},
		{"login domain", updateOrg, map[string]any{"id": me.Organization.ID, "etag": me.Organization.Etag, "domains": []string{strings.Repeat("a", 250) + ".example"}},
			"Organization loginDomains must be at most 253 characters."},
		{"role name", `mutation($name: String!) { createRole(input: {name: $name}) { role { id } } }`, map[string]any{"name": name},
			"Role name must be at most 255 characters."},
		{"team name", `mutation($name: String!) { createTeam(input: {name: $name}) { team { id } } }`, map[string]any{"name": name},
			"Team name must be at most 255 characters."},
		{"NUL in a part", `mutation($n: String!) { createPart(input: {partNumber: $n}) { part { id } } }`, map[string]any{"n": "A\x00B"},
			"Text must not contain the NUL character (U+0000)."},
		{"NUL in an app name", registerMutation, map[string]any{"name": "A\x00B", "type": "spa"}, "Text must not contain the NUL character (U+0000)."},
		{"in list", filterParts, map[string]any{"ids": ids}, "Part filter id.in must have at most 1000 values."},
		{"ilike pattern", filterParts, map[string]any{"p": strings.Repeat("%", 50001)}, "Part filter description.ilike must be at most 2048 characters."},
		{"ilike ending in an escape", filterParts, map[string]any{"p": `%\`}, "Part filter description.ilike must not end with an unescaped backslash."},
		{"NUL in a filter", `query($n: String) { parts(filters: {partNumber: {eq: $n}}) { totalCount } }`, map[string]any{"n": "A\x00B"},
			"Text must not contain the NUL character (U+0000)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot()
			e := s.gql(t, admin, tc.query, tc.vars).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, tc.message)
			if e.Extensions.Code != "VALIDATION_ERROR" {
				t.Errorf("code %q", e.Extensions.Code)
			}
			if after := snapshot(); after != before {
				t.Errorf("a refused mutation changed data:\n%s\n%s", before, after)
			}
		})
	}

	// Outside GraphQL, a NUL is the token endpoint's and sign-in page's 400.
	s.grant(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {"a\x00b"}, "client_secret": {"x"}}).
		wantRefused(t, http.StatusBadRequest, "invalid_request", "Text must not contain the NUL character (U+0000).")
	page := s.signIn(t, authParams(s.Creds.Orgs[0].OAuthApps[0], "", newPKCE()), "a\x00b@acme.example", "password")
	if page.status != http.StatusBadRequest || !strings.Contains(page.body, "Text must not contain the NUL character") {
		t.Fatalf("sign-in with a NUL: %d %s", page.status, page.body)
	}
}

// updateOrganization refuses login domains that would lock out the caller
// (a person, or the person who made the API key calling), and changes
// nothing; keeping the caller's domain works.
func TestLoginDomainsKeepCaller(t *testing.T) { onBothEngines(t, testLoginDomainsKeepCaller) }

func testLoginDomainsKeepCaller(t *testing.T, s *testServer) {
	person := s.userToken(t, s.demoUser(t, 0, shopfloor.RoleAdmin).Email)
	key := s.token(t, 0, shopfloor.RoleAdmin)
	type org struct {
		ID           int64
		Etag         string `json:"_etag"`
		Domain       string
		LoginDomains []string
	}
	read := func() org {
		var me struct{ Organization org }
		s.gql(t, person, `{ me { organization { id _etag domain loginDomains } } }`, nil).must(t).field(t, "me", &me)
		return me.Organization
	}
	before := read()
	update := `mutation($id: ID!, $etag: String!, $domains: [String!]) {
		updateOrganization(input: {id: $id, etag: $etag, loginDomains: $domains}) { organization { loginDomains } } }`
	want := "Organization loginDomains must include " + before.Domain + ": without it, the caller could no longer sign in."
	for _, token := range []string{person, key} {
		for _, domains := range [][]string{{"other.example"}, {}} {
			s.gql(t, token, update, map[string]any{"id": before.ID, "etag": before.Etag, "domains": domains}).
				wantError(t, http.StatusOK, http.StatusUnprocessableEntity, want)
		}
	}
	if after := read(); after.Etag != before.Etag {
		t.Fatalf("a refused change was written: %+v", after)
	}
	s.gql(t, key, update, map[string]any{"id": before.ID, "etag": before.Etag, "domains": []string{"other.example", strings.ToUpper(before.Domain)}}).must(t)
	if after := read(); strings.Join(after.LoginDomains, ",") != "other.example,"+before.Domain {
		t.Fatalf("login domains: %+v", after)
	}
	s.gql(t, person, `{ me { id } }`, nil).must(t)
}
