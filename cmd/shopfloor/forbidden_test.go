package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

func (s *testServer) orgID(t *testing.T, token string) int64 {
	t.Helper()
	var me struct{ Organization struct{ ID int64 } }
	s.gql(t, token, `{ me { organization { id } } }`, nil).must(t).field(t, "me", &me)
	return me.Organization.ID
}

// Every 403 cause of the contract that exists so far, each with its own
// message, inside GraphQL (HTTP 200, errors[] with status 403 and the
// field's path); none of them writes anything. The approval gate comes with
// the domain that has approvals.
func TestForbidden(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	org0 := s.Creds.Orgs[0]
	admin := s.userToken(t, org0.Users[0].Email)
	viewer := s.userToken(t, org0.Users[1].Email)
	otherOrg := s.orgID(t, s.token(t, 1, shopfloor.RoleAdmin))
	var created map[string]ref
	s.gql(t, s.token(t, 1, shopfloor.RoleAdmin), `mutation { createLocation(input: {name: "Theirs"}) { location { id _etag } } }`, nil).must(t).field(t, "createLocation", &created)
	foreignLoc := created["location"]

	create := `mutation { createLocation(input: {name: "Forbidden"}) { location { id } } }`
	cases := []struct {
		name         string
		set, reset   []string // the operator's commands around the case
		token, query string
		path         string
		status       int
		message      string
	}{
		{name: "missing role permission", token: s.token(t, 0, shopfloor.RoleReadOnly), query: create, path: "createLocation",
			status: 403, message: "User does not have permission to perform CREATE on Location."},
		{name: "resource of another org", token: admin, path: "updateLocation", status: 404,
			query:   fmt.Sprintf(`mutation { updateLocation(input: {id: %d, etag: %q, name: "Mine"}) { location { id } } }`, foreignLoc.ID, foreignLoc.Etag),
			message: fmt.Sprintf("Location with id %d not found.", foreignLoc.ID)},
		{name: "read-only organization", token: admin, query: create, path: "createLocation", status: 403,
			set:     []string{"org", "set", "--domain", org0.Domain, "--state", "READ_ONLY"},
			reset:   []string{"org", "set", "--domain", org0.Domain, "--state", "ACTIVE"},
			message: "This organization is read-only: mutations are not allowed."},
		{name: "read-only schema", token: admin, query: create, path: "createLocation", status: 403,
			set:     []string{"org", "set", "--domain", org0.Domain, "--read-only-schema=true"},
			reset:   []string{"org", "set", "--domain", org0.Domain, "--read-only-schema=false"},
			message: "This organization's schema is read-only: mutations are not allowed."},
		{name: "deactivated user, query", token: viewer, query: `{ parts(first: 1) { edges { node { id } } } }`, path: "parts", status: 403,
			set:     []string{"user", "set", "--email", org0.Users[1].Email, "--active=false"},
			reset:   []string{"user", "set", "--email", org0.Users[1].Email, "--active=true"},
			message: "User " + org0.Users[1].Email + " is deactivated and may not perform this operation."},
		{name: "OAuth scope insufficient for a mutation", token: s.scopedToken(t, 0, shopfloor.RoleAdmin, "openid api:read"), query: create,
			path: "createLocation", status: 403, message: "OAuth scope insufficient: mutations need the api:write scope."},
		{name: "OAuth scope insufficient for a query", token: s.scopedToken(t, 0, shopfloor.RoleAdmin, "api:write"),
			query: `{ parts(first: 1) { edges { node { id } } } }`, path: "parts", status: 403,
			message: "OAuth scope insufficient: queries need the api:read scope."},
		{name: "feature flag disabled", token: admin, query: `{ apiKeys { edges { node { clientId } } } }`, path: "apiKeys", status: 403,
			set:     []string{"org", "set", "--domain", org0.Domain, "--feature", "API_KEYS=off"},
			reset:   []string{"org", "set", "--domain", org0.Domain, "--feature", "API_KEYS=on"},
			message: "Feature API_KEYS is not enabled for this organization."},
		{name: "feature flag disabled, mutation", token: admin, path: "registerOauthApp", status: 403,
			query:   `mutation { registerOauthApp(name: "Dashboard", appType: "spa") { oauthApp { id } } }`,
			set:     []string{"org", "set", "--domain", org0.Domain, "--feature", "OAUTH_APPS=off"},
			reset:   []string{"org", "set", "--domain", org0.Domain, "--feature", "OAUTH_APPS=on"},
			message: "Feature OAUTH_APPS is not enabled for this organization."},
		{name: "cross-org token", token: admin, path: "updateOrganization", status: 403,
			query:   fmt.Sprintf(`mutation { updateOrganization(input: {id: %d, etag: "x", name: "Ours now"}) { organization { id } } }`, otherOrg),
			message: fmt.Sprintf("Token organization %d does not grant access to organization %d.", s.orgID(t, admin), otherOrg)},
	}
	countLocations := func() string {
		return string(s.gql(t, s.token(t, 0, shopfloor.RoleAdmin), `{ locations { pageInfo { totalCount } } }`, nil).must(t).Data["locations"])
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.set != nil {
				s.operator(t, c.set...)
				defer s.operator(t, c.reset...)
			}
			before := countLocations()
			e := s.gql(t, c.token, c.query, nil).wantError(t, http.StatusOK, c.status, c.message)
			if fmt.Sprint(e.Path) != "["+c.path+"]" {
				t.Errorf("path %v, want [%s]", e.Path, c.path)
			}
			if after := countLocations(); after != before {
				t.Errorf("a refused operation wrote: %s, then %s", before, after)
			}
		})
	}

	// Reads work in a read-only organization and schema.
	s.operator(t, "org", "set", "--domain", org0.Domain, "--state", "READ_ONLY", "--read-only-schema=true")
	s.gql(t, admin, `{ parts(first: 1) { edges { node { id } } } }`, nil).must(t)
}

// API keys through GraphQL: the secret is shown once and stored hashed; a
// disabled, regenerated or deleted key stops signing in; every change is
// audited with the principal that made it.
func TestAPIKeys(t *testing.T) {
	s := startServer(t)
	admin := s.token(t, 0, shopfloor.RoleAdmin)
	adminKey := s.apiKey(t, 0, shopfloor.RoleAdmin)
	type key struct {
		ClientID     string  `json:"clientId"`
		ClientSecret *string `json:"clientSecret"`
		Enabled      bool
		Etag         string `json:"_etag"`
	}
	var payload struct{ Apikey key }
	s.gql(t, admin, `mutation { createApiKey { apikey { clientId clientSecret enabled _etag } } }`, nil).must(t).field(t, "createApiKey", &payload)
	made := payload.Apikey
	if made.ClientSecret == nil || !made.Enabled {
		t.Fatalf("created key %+v", made)
	}
	signIn := func(id, secret string) int {
		status, _ := s.exchange(t, id, secret, "")
		return status
	}
	if signIn(made.ClientID, *made.ClientSecret) != http.StatusOK {
		t.Fatal("the new key does not sign in")
	}

	var list struct{ Edges []struct{ Node key } }
	s.gql(t, admin, `{ apiKeys { edges { node { clientId clientSecret enabled _etag } } } }`, nil).must(t).field(t, "apiKeys", &list)
	if len(list.Edges) != 3 { // the demo's two and this one
		t.Fatalf("apiKeys: %+v", list)
	}
	for _, e := range list.Edges {
		if e.Node.ClientSecret != nil {
			t.Fatalf("apiKeys shows a secret: %+v", e.Node)
		}
	}
	// The other organization's keys are not there, and not reachable.
	var other struct{ Edges []struct{ Node key } }
	s.gql(t, s.token(t, 1, shopfloor.RoleAdmin), `{ apiKeys { edges { node { clientId } } } }`, nil).must(t).field(t, "apiKeys", &other)
	for _, e := range other.Edges {
		if e.Node.ClientID == made.ClientID {
			t.Fatal("another org lists the key")
		}
	}
	s.gql(t, s.token(t, 1, shopfloor.RoleAdmin), `mutation($c: String!) { updateApiKey(input: {clientId: $c, enabled: false}) { apikey { enabled } } }`,
		map[string]any{"c": made.ClientID}).wantError(t, http.StatusOK, http.StatusNotFound, "APIKey with clientId "+made.ClientID+" not found.")

	// Disabled: no sign-in; enabled again: signs in.
	update := `mutation($c: String!, $e: Boolean, $r: Boolean) { updateApiKey(input: {clientId: $c, enabled: $e, regenerateSecret: $r}) { apikey { clientSecret enabled } } }`
	s.gql(t, admin, update, map[string]any{"c": made.ClientID, "e": false}).must(t)
	if signIn(made.ClientID, *made.ClientSecret) != http.StatusUnauthorized {
		t.Fatal("a disabled key signs in")
	}
	s.gql(t, admin, update, map[string]any{"c": made.ClientID, "e": true}).must(t)
	// Regenerated: the old secret stops working, the new one works.
	var regen struct{ Apikey key }
	s.gql(t, admin, update, map[string]any{"c": made.ClientID, "r": true}).must(t).field(t, "updateApiKey", &regen)
	if regen.Apikey.ClientSecret == nil || signIn(made.ClientID, *made.ClientSecret) != http.StatusUnauthorized ||
		signIn(made.ClientID, *regen.Apikey.ClientSecret) != http.StatusOK {
		t.Fatal("regenerating the secret did not replace it")
	}
	secrets := []string{*made.ClientSecret, *regen.Apikey.ClientSecret, adminKey.ClientSecret}

	// Deleted with a stale etag: 409; with the current one: gone.
	del := `mutation($c: String!, $etag: String) { deleteApiKey(input: {clientId: $c, _etag: $etag}) { apikey { clientId } } }`
	s.gql(t, admin, del, map[string]any{"c": made.ClientID, "etag": made.Etag}).wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)
	s.gql(t, admin, `{ apiKeys { edges { node { clientId _etag } } } }`, nil).must(t).field(t, "apiKeys", &list)
	for _, e := range list.Edges {
		if e.Node.ClientID == made.ClientID {
			s.gql(t, admin, del, map[string]any{"c": made.ClientID, "etag": e.Node.Etag}).must(t)
		}
	}
	if signIn(made.ClientID, *regen.Apikey.ClientSecret) != http.StatusUnauthorized {
		t.Fatal("a deleted key signs in")
	}

	// Stored: hashes only; audited: the key that made each change.
	store, err := sqlstore.OpenSQLite(context.Background(), s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var hashes []string
	rows, err := store.DB().Query("SELECT secret_hash FROM api_keys")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var h string
		rows.Scan(&h)
		hashes = append(hashes, h)
	}
	rows.Close()
	for _, secret := range secrets {
		if strings.Contains(strings.Join(hashes, " "), secret) {
			t.Fatal("a secret is stored in the clear")
		}
	}
	var audited int
	store.DB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE client_id = ? AND entity = 'APIKey' AND operation IN ('CreateAPIKey', 'UpdateAPIKey', 'DeleteAPIKey')",
		adminKey.ClientID).Scan(&audited)
	if audited != 5 { // create, disable, enable, regenerate, delete
		t.Fatalf("audit log has %d API-key changes by the admin key, want 5", audited)
	}
}
