package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/demo"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

const (
	authPath  = "/realms/api-keys/protocol/openid-connect/auth"
	tokenPath = "/realms/api-keys/protocol/openid-connect/token"
)

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// pkce is a PKCE verifier and its S256 challenge, computed here from RFC
// 7636 rather than with the server's helper.
type pkce struct{ verifier, challenge string }

func newPKCE() pkce {
	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	return pkce{verifier, base64.RawURLEncoding.EncodeToString(sum[:])}
}

// authParams is a valid authorization request for app.
func authParams(app demo.OAuthApp, scope string, p pkce) url.Values {
	return url.Values{"client_id": {app.ClientID}, "redirect_uri": {app.RedirectURI}, "response_type": {"code"},
		"scope": {scope}, "state": {"st-" + rand.Text()}, "nonce": {"n-42"}, "code_challenge": {p.challenge}, "code_challenge_method": {"S256"}}
}

// authPage is an answer of the authorization endpoint.
type authPage struct {
	status   int
	location *url.URL
	body     string
}

func (s *testServer) authorize(tb testing.TB, method string, params url.Values) authPage {
	tb.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodGet {
		resp, err = noRedirects.Get(s.URL + authPath + "?" + params.Encode())
	} else {
		resp, err = noRedirects.PostForm(s.URL+authPath, params)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := authPage{status: resp.StatusCode, body: string(body)}
	if loc := resp.Header.Get("Location"); loc != "" {
		if out.location, err = url.Parse(loc); err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// signIn posts the sign-in form for params and returns the answer.
func (s *testServer) signIn(tb testing.TB, params url.Values, email, password string) authPage {
	tb.Helper()
	return s.authorize(tb, http.MethodPost, withCredentials(params, email, password))
}

// withCredentials is the sign-in form: the request's parameters, an email
// and a password.
func withCredentials(params url.Values, email, password string) url.Values {
	form := url.Values{"email": {email}, "password": {password}}
	for k, v := range params {
		form[k] = v
	}
	return form
}

// code signs a demo user in and returns the code the callback receives.
func (s *testServer) code(tb testing.TB, app demo.OAuthApp, user demo.User, scope string, p pkce) string {
	tb.Helper()
	params := authParams(app, scope, p)
	got := s.signIn(tb, params, user.Email, user.Password)
	if got.status != http.StatusFound || got.location == nil {
		tb.Fatalf("sign-in: %d %s", got.status, got.body)
	}
	q := got.location.Query()
	if got.location.Scheme+"://"+got.location.Host+got.location.Path != app.RedirectURI || q.Get("state") != params.Get("state") || q.Get("code") == "" {
		tb.Fatalf("sign-in redirected to %s", got.location)
	}
	return q.Get("code")
}

// tokenAnswer is a token endpoint answer, success or error.
type tokenAnswer struct {
	status           int
	AccessToken      string `json:"access_token"`
	RefreshToken     string `json:"refresh_token"`
	IDToken          string `json:"id_token"`
	Scope            string `json:"scope"`
	ExpiresIn        int    `json:"expires_in"`
	RefreshExpiresIn int    `json:"refresh_expires_in"`
	Error            string `json:"error"`
	Description      string `json:"error_description"`
}

func (s *testServer) grant(tb testing.TB, form url.Values) tokenAnswer {
	tb.Helper()
	status, body := s.postForm(tb, tokenPath, form)
	out := tokenAnswer{status: status}
	if err := json.Unmarshal(body, &out); err != nil {
		tb.Fatalf("token endpoint: %d %s", status, body)
	}
	return out
}

func (s *testServer) redeem(tb testing.TB, app demo.OAuthApp, code, verifier string) tokenAnswer {
	tb.Helper()
	return s.grant(tb, url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID}, "code": {code},
		"redirect_uri": {app.RedirectURI}, "code_verifier": {verifier}})
}

func (s *testServer) refresh(tb testing.TB, app demo.OAuthApp, token, scope string) tokenAnswer {
	tb.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {app.ClientID}, "refresh_token": {token}}
	if scope != "" {
		form.Set("scope", scope)
	}
	return s.grant(tb, form)
}

// wantRefused checks a token endpoint refusal.
func (a tokenAnswer) wantRefused(tb testing.TB, status int, code, description string) {
	tb.Helper()
	if a.status != status || a.Error != code || a.Description != description || a.AccessToken != "" {
		tb.Fatalf("want %d %s %q, got %d %s %q", status, code, description, a.status, a.Error, a.Description)
	}
}

// claims decodes a JWT's claims without verifying it (the API verifies).
func claims(tb testing.TB, token string) map[string]any {
	tb.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]any{}
	if err := tok.UnsafeClaimsWithoutVerification(&out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// onBothEngines runs test against a server on the embedded database and
// one on PostgreSQL, both started with flags.
func onBothEngines(t *testing.T, test func(*testing.T, *testServer), flags ...string) {
	t.Run("sqlite", func(t *testing.T) { test(t, startServer(t, flags...)) })
	t.Run("postgres", func(t *testing.T) {
		test(t, startServer(t, append([]string{"--database-url", pgtest.Database(t)}, flags...)...))
	})
}

const createLocation = `mutation { createLocation(input: {name: "OAuth bench"}) { location { id } } }`

// A person signs in to an OAuth app with PKCE; the app gets an access
// token that acts as them (their org, their roles' permissions, the
// granted scopes), an ID token, and a refresh token that is replaced at
// each use.
func TestOAuthAppSignIn(t *testing.T) { onBothEngines(t, testOAuthAppSignIn) }

func testOAuthAppSignIn(t *testing.T, s *testServer) {
	app, admin, viewer := s.Creds.Orgs[0].OAuthApps[0], s.demoUser(t, 0, shopfloor.RoleAdmin), s.demoUser(t, 0, shopfloor.RoleReadOnly)

	p := newPKCE()
	form := s.authorize(t, http.MethodGet, authParams(app, "openid offline_access", p))
	if form.status != http.StatusOK || !strings.Contains(form.body, `<form method="post">`) || !strings.Contains(form.body, "Acme Aerospace Dashboard") {
		t.Fatalf("sign-in authPage: %d %s", form.status, form.body)
	}
	wrong := s.signIn(t, authParams(app, "openid", p), admin.Email, "not-the-password")
	if wrong.status != http.StatusUnauthorized || wrong.location != nil || !strings.Contains(wrong.body, "Invalid username or password.") {
		t.Fatalf("wrong password: %d %s", wrong.status, wrong.body)
	}
	other := s.demoUser(t, 1, shopfloor.RoleAdmin) // a person of another organization
	if got := s.signIn(t, authParams(app, "openid", p), other.Email, other.Password); got.status != http.StatusUnauthorized || !strings.Contains(got.body, "Invalid username or password.") {
		t.Fatalf("other org's person: %d %s", got.status, got.body)
	}

	tokens := s.redeem(t, app, s.code(t, app, admin, "openid offline_access", p), p.verifier)
	if tokens.status != http.StatusOK || tokens.AccessToken == "" || tokens.RefreshToken == "" || tokens.IDToken == "" ||
		tokens.Scope != "openid offline_access api:read api:write" || tokens.ExpiresIn != 3600 || tokens.RefreshExpiresIn != 30*24*3600 {
		t.Fatalf("tokens: %+v", tokens)
	}
	access, id := claims(t, tokens.AccessToken), claims(t, tokens.IDToken)
	if access["azp"] != app.ClientID || access["email"] != admin.Email || access["org_id"] != float64(1) || id["aud"] != app.ClientID || id["nonce"] != "n-42" {
		t.Fatalf("claims: access %v, id %v", access, id)
	}
	var me struct{ Email string }
	s.gql(t, tokens.AccessToken, `{ me { email } }`, nil).must(t).field(t, "me", &me)
	if me.Email != admin.Email {
		t.Fatalf("me: %s", me.Email)
	}
	s.gql(t, tokens.AccessToken, createLocation, nil).must(t)

	// The refresh token is used once: the next one replaces it.
	next := s.refresh(t, app, tokens.RefreshToken, "")
	if next.status != http.StatusOK || next.RefreshToken == "" || next.RefreshToken == tokens.RefreshToken || next.Scope != tokens.Scope {
		t.Fatalf("refresh: %+v", next)
	}
	s.refresh(t, app, tokens.RefreshToken, "").wantRefused(t, http.StatusBadRequest, "invalid_grant", "Invalid refresh token")
	s.gql(t, next.AccessToken, `{ me { email } }`, nil).must(t)

	// Fewer scopes on refresh: a read-only access token; more are refused.
	readOnly := s.refresh(t, app, next.RefreshToken, "offline_access api:read")
	if readOnly.status != http.StatusOK || readOnly.Scope != "offline_access api:read" {
		t.Fatalf("narrowed refresh: %+v", readOnly)
	}
	s.gql(t, readOnly.AccessToken, createLocation, nil).wantError(t, http.StatusOK, http.StatusForbidden, "OAuth scope insufficient: mutations need the api:write scope.")
	s.refresh(t, app, readOnly.RefreshToken, "openid profile").wantRefused(t, http.StatusBadRequest, "invalid_scope", "Invalid scopes: profile")

	// Without offline_access there is no refresh token; permissions are the
	// person's own.
	q := newPKCE()
	viewerTokens := s.redeem(t, app, s.code(t, app, viewer, "", q), q.verifier)
	if viewerTokens.status != http.StatusOK || viewerTokens.RefreshToken != "" || viewerTokens.IDToken != "" || viewerTokens.Scope != "api:read api:write" {
		t.Fatalf("viewer tokens: %+v", viewerTokens)
	}
	s.gql(t, viewerTokens.AccessToken, createLocation, nil).wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform CREATE on Location.")

	// Nothing secret reaches the logs.
	logs := s.Stdout.String() + s.Stderr.String()
	for _, secret := range []string{tokens.AccessToken, tokens.RefreshToken, next.RefreshToken, admin.Password, "not-the-password"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("a secret is in the logs")
		}
	}
}

// A code is redeemed once, by its app, at its redirect URI, with its PKCE
// verifier; anything else is refused and the code is spent.
func TestOAuthCodeRedemption(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	app, admin := s.Creds.Orgs[0].OAuthApps[0], s.demoUser(t, 0, shopfloor.RoleAdmin)
	otherApp := s.Creds.Orgs[1].OAuthApps[0]
	type redemption struct {
		client, redirect, verifier string
	}
	tests := []struct {
		name        string
		redeem      func(p pkce) redemption
		status      int
		error, desc string
	}{
		{"wrong verifier", func(p pkce) redemption { return redemption{app.ClientID, app.RedirectURI, newPKCE().verifier} },
			http.StatusBadRequest, "invalid_grant", "PKCE verification failed: Invalid code verifier"},
		{"no verifier", func(p pkce) redemption { return redemption{app.ClientID, app.RedirectURI, ""} },
			http.StatusBadRequest, "invalid_grant", "PKCE code verifier not specified"},
		{"other redirect URI", func(p pkce) redemption { return redemption{app.ClientID, app.RedirectURI + "/", p.verifier} },
			http.StatusBadRequest, "invalid_grant", "Incorrect redirect_uri"},
		{"another app", func(p pkce) redemption { return redemption{otherApp.ClientID, app.RedirectURI, p.verifier} },
			http.StatusBadRequest, "invalid_grant", "Code not valid"},
		{"unknown client", func(p pkce) redemption { return redemption{"nobody", app.RedirectURI, p.verifier} },
			http.StatusUnauthorized, "unauthorized_client", "Invalid client or Invalid client credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPKCE()
			code := s.code(t, app, admin, "", p)
			r := tt.redeem(p)
			s.grant(t, url.Values{"grant_type": {"authorization_code"}, "client_id": {r.client}, "code": {code},
				"redirect_uri": {r.redirect}, "code_verifier": {r.verifier}}).wantRefused(t, tt.status, tt.error, tt.desc)
			if tt.status == http.StatusBadRequest { // the code is spent
				s.redeem(t, app, code, p.verifier).wantRefused(t, http.StatusBadRequest, "invalid_grant", "Code not valid")
			}
		})
	}
	p := newPKCE()
	code := s.code(t, app, admin, "", p)
	if got := s.redeem(t, app, code, p.verifier); got.status != http.StatusOK {
		t.Fatalf("redeem: %+v", got)
	}
	s.redeem(t, app, code, p.verifier).wantRefused(t, http.StatusBadRequest, "invalid_grant", "Code not valid")
	s.grant(t, url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID}}).
		wantRefused(t, http.StatusBadRequest, "invalid_request", "Missing parameter: code")
}

// Redirect URIs match exactly: any other is refused on the authPage, never
// redirected to; once the redirect URI is trusted, other faults of the
// request go back to the app as OAuth errors with its state.
func TestOAuthAuthorizationRequests(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	app := s.Creds.Orgs[0].OAuthApps[0]
	p := newPKCE()
	onPage := []struct {
		name, param, value, message string
	}{
		{"unknown client", "client_id", "nobody", "Client not found."},
		{"no redirect URI", "redirect_uri", "", "Invalid parameter: redirect_uri"},
		{"trailing slash", "redirect_uri", app.RedirectURI + "/", "Invalid parameter: redirect_uri"},
		{"longer path", "redirect_uri", app.RedirectURI + "/evil", "Invalid parameter: redirect_uri"},
		{"extra query", "redirect_uri", app.RedirectURI + "?next=/evil", "Invalid parameter: redirect_uri"},
		{"other host", "redirect_uri", "http://localhost.evil.example:8000/callback", "Invalid parameter: redirect_uri"},
		{"other case", "redirect_uri", strings.Replace(app.RedirectURI, "localhost", "LOCALHOST", 1), "Invalid parameter: redirect_uri"},
		{"https", "redirect_uri", strings.Replace(app.RedirectURI, "http:", "https:", 1), "Invalid parameter: redirect_uri"},
	}
	for _, tt := range onPage {
		t.Run(tt.name, func(t *testing.T) {
			params := authParams(app, "", p)
			params.Set(tt.param, tt.value)
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				got := s.authorize(t, method, params)
				if got.status != http.StatusBadRequest || got.location != nil || !strings.Contains(got.body, tt.message) {
					t.Fatalf("%s: want 400 %q on the authPage, got %d %v %s", method, tt.message, got.status, got.location, got.body)
				}
			}
		})
	}
	toApp := []struct {
		name, param, value, error, desc string
	}{
		{"implicit flow", "response_type", "token", "unsupported_response_type", "Client is not allowed to initiate browser login with given response_type. Only the code flow is enabled."},
		{"no PKCE", "code_challenge", "", "invalid_request", "Missing parameter: code_challenge"},
		{"plain PKCE", "code_challenge_method", "plain", "invalid_request", "Invalid parameter: code_challenge_method"},
		{"short challenge", "code_challenge", "abc", "invalid_request", "Invalid parameter: code_challenge"},
		{"unknown scope", "scope", "openid admin", "invalid_scope", "Invalid scopes: admin"},
	}
	for _, tt := range toApp {
		t.Run(tt.name, func(t *testing.T) {
			params := authParams(app, "openid", p)
			params.Set(tt.param, tt.value)
			got := s.authorize(t, http.MethodGet, params)
			if got.status != http.StatusFound || got.location == nil {
				t.Fatalf("want a redirect, got %d %s", got.status, got.body)
			}
			q := got.location.Query()
			if q.Get("error") != tt.error || q.Get("error_description") != tt.desc || q.Get("state") != params.Get("state") || q.Get("code") != "" {
				t.Fatalf("redirected to %s", got.location)
			}
		})
	}
}

// A deactivated person cannot sign in or refresh (401 with the contract's
// message); deleting an app revokes its access and refresh tokens.
func TestOAuthRevocation(t *testing.T) { onBothEngines(t, testOAuthRevocation) }

func testOAuthRevocation(t *testing.T, s *testServer) {
	app, viewer := s.Creds.Orgs[0].OAuthApps[0], s.demoUser(t, 0, shopfloor.RoleReadOnly)
	p := newPKCE()
	tokens := s.redeem(t, app, s.code(t, app, viewer, "offline_access", p), p.verifier)

	s.operator(t, "user", "set", "--email", viewer.Email, "--active=false")
	deactivated := "User " + viewer.Email + " is deactivated"
	if got := s.signIn(t, authParams(app, "", p), viewer.Email, viewer.Password); got.status != http.StatusUnauthorized || !strings.Contains(got.body, deactivated) {
		t.Fatalf("sign-in when deactivated: %d %s", got.status, got.body)
	}
	s.refresh(t, app, tokens.RefreshToken, "").wantRefused(t, http.StatusUnauthorized, "invalid_grant", deactivated)
	s.operator(t, "user", "set", "--email", viewer.Email, "--active=true")
	renewed := s.refresh(t, app, tokens.RefreshToken, "") // refused above without being spent
	if renewed.status != http.StatusOK {
		t.Fatalf("refresh after reactivation: %+v", renewed)
	}

	adminToken := s.token(t, 0, shopfloor.RoleAdmin)
	var apps struct {
		Edges []struct {
			Node struct {
				ID   int64
				Etag string `json:"_etag"`
			}
		}
	}
	s.gql(t, adminToken, `{ oauthApps { edges { node { id _etag } } } }`, nil).must(t).field(t, "oauthApps", &apps)
	s.gql(t, adminToken, `mutation($id: ID!, $etag: String!) { deleteOauthApp(id: $id, etag: $etag) { id } }`,
		map[string]any{"id": apps.Edges[0].Node.ID, "etag": apps.Edges[0].Node.Etag}).must(t)
	s.gql(t, renewed.AccessToken, `{ me { email } }`, nil).wantError(t, http.StatusUnauthorized, http.StatusUnauthorized, "Unable to validate authentication token")
	s.refresh(t, app, renewed.RefreshToken, "").wantRefused(t, http.StatusUnauthorized, "unauthorized_client", "Invalid client or Invalid client credentials")
	if got := s.authorize(t, http.MethodGet, authParams(app, "", p)); got.status != http.StatusBadRequest || !strings.Contains(got.body, "Client not found.") {
		t.Fatalf("deleted app's sign-in authPage: %d %s", got.status, got.body)
	}
}

const (
	registerMutation = `mutation($name: String!, $type: String!) { registerOauthApp(name: $name, appType: $type) {
		oauthApp { id clientId appType authorizationEndpoint tokenEndpoint redirectUris { id } } } }`
	addURIMutation = `mutation($app: ID!, $uri: String!, $type: String!) { addOauthRedirectUri(oauthAppId: $app, uri: $uri, uriType: $type) {
		redirectUri { id uri uriType } } }`
)

// registerApp registers an app of the first organization through GraphQL,
// as its admin, with one callback.
func (s *testServer) registerApp(tb testing.TB, name, callback string) demo.OAuthApp {
	tb.Helper()
	admin := s.token(tb, 0, shopfloor.RoleAdmin)
	var reg struct {
		OauthApp struct {
			ID       int64
			ClientID string
		}
	}
	s.gql(tb, admin, registerMutation, map[string]any{"name": name, "type": "regular_web"}).must(tb).field(tb, "registerOauthApp", &reg)
	s.gql(tb, admin, addURIMutation, map[string]any{"app": reg.OauthApp.ID, "uri": callback, "type": "callback"}).must(tb)
	return demo.OAuthApp{ID: reg.OauthApp.ID, ClientID: reg.OauthApp.ClientID, RedirectURI: callback}
}

// An admin registers an app and its URLs through GraphQL, as ION's API
// does; bad registrations are refused and change nothing; the new app signs
// people in at exactly its registered callback; codes, refresh tokens and
// passwords are stored only as hashes.
func TestOAuthAppRegistration(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	admin, viewer := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 0, shopfloor.RoleReadOnly)
	var reg struct {
		OauthApp struct {
			ID                                                      int64
			ClientID, AppType, AuthorizationEndpoint, TokenEndpoint string
			RedirectUris                                            []struct{ ID int64 }
		}
	}
	s.gql(t, admin, registerMutation, map[string]any{"name": "Line Dashboard", "type": "spa"}).must(t).field(t, "registerOauthApp", &reg)
	created := reg.OauthApp
	if created.ClientID == "" || created.AppType != "spa" || created.AuthorizationEndpoint != s.URL+authPath ||
		created.TokenEndpoint != s.URL+tokenPath || len(created.RedirectUris) != 0 {
		t.Fatalf("registered: %+v", created)
	}
	const callback = "https://dashboard.acme.example/auth/callback"
	for _, uri := range []struct{ uri, kind string }{{callback, "callback"}, {"https://dashboard.acme.example", "origin"}, {"https://dashboard.acme.example/bye", "logout"}} {
		s.gql(t, admin, addURIMutation, map[string]any{"app": created.ID, "uri": uri.uri, "type": uri.kind}).must(t)
	}

	refused := []struct {
		name, query string
		vars        map[string]any
		path        string
		status      int
		message     string
	}{
		{"no name", registerMutation, map[string]any{"name": " ", "type": "spa"}, "registerOauthApp", 422, "OauthApp name is required."},
		{"unknown app type", registerMutation, map[string]any{"name": "X", "type": "device"}, "registerOauthApp", 422,
			"OauthApp appType must be one of regular_web, spa, native; 'device' is not."},
		{"plain http", addURIMutation, map[string]any{"app": created.ID, "uri": "http://dashboard.acme.example/cb", "type": "callback"}, "addOauthRedirectUri", 422,
			"Redirect URI 'http://dashboard.acme.example/cb' must be an absolute https URL (http only for localhost) without a fragment."},
		{"relative", addURIMutation, map[string]any{"app": created.ID, "uri": "/cb", "type": "callback"}, "addOauthRedirectUri", 422,
			"Redirect URI '/cb' must be an absolute https URL (http only for localhost) without a fragment."},
		{"fragment", addURIMutation, map[string]any{"app": created.ID, "uri": callback + "#x", "type": "callback"}, "addOauthRedirectUri", 422,
			"Redirect URI '" + callback + "#x' must be an absolute https URL (http only for localhost) without a fragment."},
		{"unknown type", addURIMutation, map[string]any{"app": created.ID, "uri": callback, "type": "webhook"}, "addOauthRedirectUri", 422,
			"Redirect URI uriType must be one of callback, origin, logout; 'webhook' is not."},
		{"twice", addURIMutation, map[string]any{"app": created.ID, "uri": callback, "type": "callback"}, "addOauthRedirectUri", 422,
			"Redirect URI '" + callback + "' is already registered as callback for this app."},
		{"unknown app", addURIMutation, map[string]any{"app": 999999, "uri": callback, "type": "callback"}, "addOauthRedirectUri", 404,
			"OauthApp with id 999999 not found."},
		{"not an admin", registerMutation, map[string]any{"name": "Mine", "type": "spa"}, "registerOauthApp", 403,
			"User does not have permission to perform UPDATE on Organization."},
	}
	appsBefore := string(s.gql(t, admin, `{ oauthApps { edges { node { id redirectUris { uri uriType } } } } }`, nil).must(t).Data["oauthApps"])
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			token := admin
			if tt.name == "not an admin" {
				token = viewer
			}
			e := s.gql(t, token, tt.query, tt.vars).wantError(t, http.StatusOK, tt.status, tt.message)
			if len(e.Path) != 1 || e.Path[0] != tt.path {
				t.Fatalf("path %v", e.Path)
			}
		})
	}
	if after := string(s.gql(t, admin, `{ oauthApps { edges { node { id redirectUris { uri uriType } } } } }`, nil).must(t).Data["oauthApps"]); after != appsBefore {
		t.Fatalf("a refused registration changed the apps:\n%s\n%s", appsBefore, after)
	}

	// The new app signs people in at its callback, and only there: its
	// origin and logout URLs are not callbacks.
	app := demo.OAuthApp{ID: created.ID, ClientID: created.ClientID, RedirectURI: callback}
	p := newPKCE()
	admin0 := s.demoUser(t, 0, shopfloor.RoleAdmin)
	tokens := s.redeem(t, app, s.code(t, app, admin0, "offline_access", p), p.verifier)
	if tokens.status != http.StatusOK {
		t.Fatalf("tokens: %+v", tokens)
	}
	for _, notCallback := range []string{"https://dashboard.acme.example", "https://dashboard.acme.example/bye"} {
		params := authParams(app, "", p)
		params.Set("redirect_uri", notCallback)
		if got := s.authorize(t, http.MethodGet, params); got.status != http.StatusBadRequest {
			t.Fatalf("%s served as a callback: %d", notCallback, got.status)
		}
	}
	pending := s.code(t, app, admin0, "", newPKCE()) // never redeemed

	store, err := sqlstore.OpenSQLite(context.Background(), s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var refreshHash, codeHash, passwordHash string
	if err := store.DB().QueryRow("SELECT token_hash FROM refresh_tokens").Scan(&refreshHash); err != nil {
		t.Fatal(err)
	}
	if err := store.DB().QueryRow("SELECT code_hash FROM oauth_codes WHERE grant_id IS NULL").Scan(&codeHash); err != nil {
		t.Fatal(err)
	}
	if err := store.DB().QueryRow("SELECT password_hash FROM users WHERE email = ?", admin0.Email).Scan(&passwordHash); err != nil {
		t.Fatal(err)
	}
	if refreshHash != sha256Hex(tokens.RefreshToken) || codeHash != sha256Hex(pending) || !strings.HasPrefix(passwordHash, "$2a$") || strings.Contains(passwordHash, admin0.Password) {
		t.Fatalf("stored: refresh %s, code %s, password %s", refreshHash, codeHash, passwordHash)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Turning OAuth apps off for an organization stops its apps: their access
// tokens get the feature flag's 403 on every operation, and sign-in and
// refresh are refused with it; turning it on again restores them.
func TestOAuthFeatureFlag(t *testing.T) {
	s := startServer(t)
	app, admin, domain := s.Creds.Orgs[0].OAuthApps[0], s.demoUser(t, 0, shopfloor.RoleAdmin), s.Creds.Orgs[0].Domain
	p := newPKCE()
	tokens := s.redeem(t, app, s.code(t, app, admin, "offline_access", p), p.verifier)
	const off = "Feature OAUTH_APPS is not enabled for this organization."

	s.operator(t, "org", "set", "--domain", domain, "--feature", "OAUTH_APPS=off")
	s.gql(t, tokens.AccessToken, `{ me { email } }`, nil).wantError(t, http.StatusOK, http.StatusForbidden, off)
	if got := s.signIn(t, authParams(app, "", p), admin.Email, admin.Password); got.status != http.StatusForbidden || !strings.Contains(got.body, off) {
		t.Fatalf("sign-in with OAuth apps off: %d %s", got.status, got.body)
	}
	s.refresh(t, app, tokens.RefreshToken, "").wantRefused(t, http.StatusForbidden, "invalid_grant", off)
	s.gql(t, s.token(t, 0, shopfloor.RoleAdmin), `{ me { email } }`, nil).must(t) // API keys are another feature

	s.operator(t, "org", "set", "--domain", domain, "--feature", "OAUTH_APPS=on")
	s.gql(t, tokens.AccessToken, `{ me { email } }`, nil).must(t)
	if got := s.refresh(t, app, tokens.RefreshToken, ""); got.status != http.StatusOK {
		t.Fatalf("refresh with OAuth apps on again: %+v", got)
	}
}

// Sign-in attempts are limited per email: past the limit, even the right
// password gets the contract's 429 (with Retry-After) until the bucket
// refills; other people are not held back.
func TestSignInAttemptsLimited(t *testing.T) {
	s := startServer(t, "--sign-in-attempts", "3")
	app, admin, viewer := s.Creds.Orgs[0].OAuthApps[0], s.demoUser(t, 0, shopfloor.RoleAdmin), s.demoUser(t, 0, shopfloor.RoleReadOnly)
	params := authParams(app, "", newPKCE())
	for i := range 3 {
		if got := s.signIn(t, params, admin.Email, "guess-"+strconv.Itoa(i)); got.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d %s", i+1, got.status, got.body)
		}
	}
	resp, err := noRedirects.PostForm(s.URL+authPath, withCredentials(params, strings.ToUpper(admin.Email), admin.Password))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusTooManyRequests || retry < 1 || !strings.Contains(string(body), fmt.Sprintf("Rate limit exceeded: retry after %d seconds.", retry)) {
		t.Fatalf("4th attempt: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if got := s.signIn(t, params, viewer.Email, viewer.Password); got.status != http.StatusFound {
		t.Fatalf("another person was held back: %d %s", got.status, got.body)
	}
}
