package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// Each replica caches the principals it loaded, checked against their
// organization's auth_version on every request: a change to a role's
// permissions, or a key's revocation, made through one replica applies
// from the very next request on the other, whose cache held the old ones.
func TestPrincipalCacheFollowsChanges(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		s := sharedServer(t, sqliteEngine)
		testPrincipalCache(t, s, s)
	})
	t.Run("postgres, two replicas", func(t *testing.T) {
		t.Parallel()
		url := pgtest.Database(t)
		a := startServer(t, "--database-url", url)
		b := startServer(t, "--database-url", url)
		b.Creds = a.Creds
		testPrincipalCache(t, a, b)
	})
}

func testPrincipalCache(t *testing.T, a, b *testServer) {
	org := a.Creds.Orgs[0]
	email := unique("cached") + "@" + org.Domain
	a.operator(t, "user", "create", "--org", org.Domain, "--email", email, "--role", "")
	worker, admin := a.userToken(t, email), a.token(t, 0, shopfloor.RoleAdmin)
	create := func(s *testServer) gqlResponse {
		return s.gql(t, worker, createPart, map[string]any{"n": unique("CACHED")})
	}
	denied := func(s *testServer) {
		t.Helper()
		create(s).wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform CREATE on Part.")
	}
	denied(a)
	denied(b) // both replicas now hold the worker without CreatePart

	var role struct{ Role ref }
	a.gql(t, admin, `mutation($n: String!) { createRole(input: {name: $n}) { role { id } } }`, map[string]any{"n": unique("Cached")}).must(t).field(t, "createRole", &role)
	grant := map[string]any{"r": role.Role.ID, "g": a.ids(t, admin, "permissionGroups")["CreatePart"], "u": a.userID(t, worker)}
	a.gql(t, admin, `mutation($r: ID!, $g: ID!) { attachPermissionGroupToRole(input: {roleId: $r, permissionGroupId: $g}) { role { id } } }`, grant).must(t)
	a.gql(t, admin, `mutation($r: ID!, $u: ID!) { attachRoleToUser(input: {roleId: $r, userId: $u}) { user { id } } }`, grant).must(t)
	// b's kept worker is stale now: the first pass is refused before it
	// writes (its Idempotency-Key too), and the request is served again.
	key := http.Header{"Idempotency-Key": {unique("stale")}}
	vars := map[string]any{"n": unique("CACHED")}
	first := b.gqlHeaders(t, worker, key, createPart, vars).must(t)
	if again := b.gqlHeaders(t, worker, key, createPart, vars).must(t); again.Raw != first.Raw || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("the retry of a request served again: %s %v, want the replay of %s", again.Raw, again.Header, first.Raw)
	}
	create(a).must(t)
	b.gql(t, admin, `mutation($r: ID!, $g: ID!) { detachPermissionGroupFromRole(input: {roleId: $r, permissionGroupId: $g}) { role { id } } }`, grant).must(t)
	denied(a)
	denied(b)

	var made struct {
		Apikey struct {
			ClientID     string `json:"clientId"`
			ClientSecret string `json:"clientSecret"`
		}
	}
	a.gql(t, admin, `mutation { createApiKey { apikey { clientId clientSecret } } }`, nil).must(t).field(t, "createApiKey", &made)
	status, body := a.exchange(t, made.Apikey.ClientID, made.Apikey.ClientSecret, "")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || status != http.StatusOK {
		t.Fatalf("token: %d %s", status, body)
	}
	b.gql(t, tok.AccessToken, `{ me { id } }`, nil).must(t)
	a.gql(t, admin, `mutation($c: String!) { updateApiKey(input: {clientId: $c, enabled: false}) { apikey { enabled } } }`,
		map[string]any{"c": made.Apikey.ClientID}).must(t)
	b.gql(t, tok.AccessToken, `{ me { id } }`, nil).wantError(t, http.StatusUnauthorized, http.StatusUnauthorized, auth.MsgInvalid)
}
