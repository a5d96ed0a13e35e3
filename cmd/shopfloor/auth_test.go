package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// issuerFor opens the server's own store (SQLite allows a second process
// or connection) and returns an issuer with its keys and a settable clock.
func issuerFor(t *testing.T, dir, base string) (*auth.Issuer, *sqlstore.Store) {
	t.Helper()
	store, err := sqlstore.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	keys, err := auth.LoadKeys(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	return &auth.Issuer{Keys: keys, URL: auth.IssuerURL(base), Now: time.Now}, store
}

func principal(t *testing.T, store *sqlstore.Store, email string) *shopfloor.Principal {
	t.Helper()
	u, err := store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	id, err := store.Identity(context.Background(), u.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return &id.Principal
}

// tamper flips one bit of a token's signature.
func tamper(token string) string {
	parts := strings.Split(token, ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sig[10] ^= 1
	return parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func mint(t *testing.T, iss *auth.Issuer, p *shopfloor.Principal, ttl time.Duration) string {
	t.Helper()
	tok, err := iss.Mint(p, shopfloor.GrantScopes(""), ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Every 401 of the contract that the foundation can reach, through HTTP,
// before GraphQL runs: status 401 and the exact message in errors[].
func TestUnauthenticated(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	iss, store := issuerFor(t, s.Dir, s.URL)
	admin := principal(t, store, s.Creds.Orgs[0].Users[0].Email)
	valid := mint(t, iss, admin, time.Hour)

	expired := &auth.Issuer{Keys: iss.Keys, URL: iss.URL, Audience: iss.Audience, Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }}
	wrongIssuer := &auth.Issuer{Keys: iss.Keys, URL: "https://auth.elsewhere.example/realms/other", Audience: iss.Audience, Now: iss.Now}
	foreign, _ := issuerFor(t, t.TempDir(), s.URL) // a key the server never made
	otherOrg := *admin
	otherOrg.OrgID = principal(t, store, s.Creds.Orgs[1].Users[0].Email).OrgID

	wrongAudience := &auth.Issuer{Keys: iss.Keys, URL: iss.URL, Audience: "https://another-api.example", Now: iss.Now}

	parts := strings.Split(valid, ".")

	hs, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("0123456789abcdef0123456789abcdef")},
		(&jose.SignerOptions{}).WithHeader("kid", iss.Keys.JWKS().Keys[0].KeyID))
	if err != nil {
		t.Fatal(err)
	}
	hmacToken, _ := jwt.Signed(hs).Claims(jwt.Claims{Subject: "1", Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour))}).Serialize()

	for _, tc := range []struct {
		name, header, message string
	}{
		{"no header", "", "Please provide proper credentials"},
		{"garbage", "Bearer not-a-token", "Unable to parse authentication token"},
		{"no signature part", "Bearer " + parts[0] + "." + parts[1], "Unable to parse authentication token"},
		{"unknown signing key", "Bearer " + mint(t, foreign, admin, time.Hour), "Unable to find appropriate RSA key"},
		{"not RSA", "Bearer " + hmacToken, "Unable to find appropriate RSA key"},
		{"expired", "Bearer " + mint(t, expired, admin, time.Hour), "Token is expired"},
		{"bad signature", "Bearer " + tamper(valid), "Unable to validate authentication token"},
		{"wrong issuer", "Bearer " + mint(t, wrongIssuer, admin, time.Hour), "Unable to validate authentication token"},
		{"wrong audience", "Bearer " + mint(t, wrongAudience, admin, time.Hour), "Unable to validate authentication token"},
		{"org mismatch", "Bearer " + mint(t, iss, &otherOrg, time.Hour), "Token organization does not match user's organization"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.post(t, tc.header, `{"query":"{ me { id } }"}`)
			e := r.wantError(t, http.StatusUnauthorized, http.StatusUnauthorized, tc.message)
			if e.Extensions.Code != "UNAUTHENTICATED" || r.Data != nil {
				t.Errorf("error %+v, data %v", e, r.Data)
			}
		})
	}

	// The rest depend on the state of the account or the organization,
	// which the operator's commands change.
	domain, email := s.Creds.Orgs[0].Domain, s.Creds.Orgs[0].Users[0].Email
	for _, tc := range []struct {
		name    string
		set     []string // the operator's command
		reset   []string
		message string
	}{
		{"blocked organization", []string{"org", "set", "--domain", domain, "--state", "BLOCKED"},
			[]string{"org", "set", "--domain", domain, "--state", "ACTIVE"}, "Sorry, this organization is blocked from accessing ION"},
		{"login domain", []string{"org", "set", "--domain", domain, "--login-domains", "other.example,third.example"},
			[]string{"org", "set", "--domain", domain, "--login-domains", domain}, "Login domain '" + domain + "' is not valid for this organization"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.operator(t, tc.set...)
			defer s.operator(t, tc.reset...)
			s.post(t, "Bearer "+valid, `{"query":"{ me { id } }"}`).wantError(t, http.StatusUnauthorized, http.StatusUnauthorized, tc.message)
		})
	}
	s.gql(t, valid, `{ me { email } }`, nil).must(t)

	// A deactivated person cannot exchange credentials: their API key is
	// refused with the contract's message (and was disabled).
	t.Run("deactivated user", func(t *testing.T) {
		k := s.apiKey(t, 0, shopfloor.RoleAdmin)
		s.operator(t, "user", "set", "--email", email, "--active=false")
		defer s.operator(t, "user", "set", "--email", email, "--active=true")
		status, body := s.exchange(t, k.ClientID, k.ClientSecret, "")
		var e struct {
			ErrorDescription string `json:"error_description"`
		}
		json.Unmarshal(body, &e)
		if status != http.StatusUnauthorized || e.ErrorDescription != "User "+email+" is deactivated" {
			t.Fatalf("token exchange for a deactivated user's key: %d %s", status, body)
		}
	})
}

// ION accepts "Bearer x", "Token x" and the bare token.
func TestAuthorizationHeaderForms(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	for _, header := range []string{"Bearer " + tok, "bearer " + tok, "Token " + tok, tok} {
		s.post(t, header, `{"query":"{ me { id } }"}`).must(t)
	}
}

func TestTokenEndpoint(t *testing.T) {
	s := startServer(t)
	k := s.apiKey(t, 0, shopfloor.RoleAdmin)
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {k.ClientID}, "client_secret": {k.ClientSecret}}

	for _, path := range []string{"/realms/api-keys/protocol/openid-connect/token", "/auth/realms/api-keys/protocol/openid-connect/token"} {
		form := url.Values{"audience": {s.URL}}
		for key, v := range good {
			form[key] = v
		}
		status, body := s.postForm(t, path, form)
		var resp struct {
			AccessToken string `json:"access_token"`
			ExpiresIn   int    `json:"expires_in"`
			TokenType   string `json:"token_type"`
		}
		if err := json.Unmarshal(body, &resp); status != 200 || err != nil || resp.TokenType != "Bearer" || resp.ExpiresIn != 3600 {
			t.Fatalf("%s: %d %s", path, status, body)
		}
		// The token is an RS256 JWT whose key the realm publishes.
		tok, err := jwt.ParseSigned(resp.AccessToken, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		certs, _ := httpGet(s.URL + "/realms/api-keys/protocol/openid-connect/certs")
		var jwks jose.JSONWebKeySet
		json.Unmarshal(certs.body, &jwks)
		keys := jwks.Key(tok.Headers[0].KeyID)
		var claims jwt.Claims
		if len(keys) != 1 || tok.Claims(keys[0].Key, &claims) != nil || claims.Issuer != s.URL+"/realms/api-keys" || !claims.Audience.Contains(auth.DefaultAudience) {
			t.Fatalf("token not verifiable with the published JWKS: %+v", claims)
		}
	}

	// client_secret_basic works too.
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/realms/api-keys/protocol/openid-connect/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(k.ClientID, k.ClientSecret)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("basic auth: %v %v", err, resp)
	}

	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		error  string
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {k.ClientID}, "client_secret": {"nope"}}, 401, "unauthorized_client"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {k.ClientSecret}}, 401, "unauthorized_client"},
		{"no grant type", url.Values{"client_id": {k.ClientID}, "client_secret": {k.ClientSecret}}, 400, "invalid_request"},
		{"unsupported grant", url.Values{"grant_type": {"password"}, "client_id": {k.ClientID}, "client_secret": {k.ClientSecret}}, 400, "unsupported_grant_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := s.postForm(t, "/realms/api-keys/protocol/openid-connect/token", tc.form)
			var e struct{ Error string }
			json.Unmarshal(body, &e)
			if status != tc.status || e.Error != tc.error || strings.Contains(string(body), "access_token") {
				t.Errorf("got %d %s", status, body)
			}
		})
	}
}

// The token endpoint grants only the scopes it knows (OAuth's invalid_scope
// otherwise) and issues tokens only for this API: an audience, when sent,
// is the configured one or the server's own URL (its base, as ION's
// scripts send, or its GraphQL endpoint).
func TestTokenScopesAndAudience(t *testing.T) {
	s := startServer(t, "--audience", "https://api.acme.example")
	k := s.apiKey(t, 0, shopfloor.RoleAdmin)
	for _, tc := range []struct {
		scope, audience    string
		status             int
		error, description string
		granted            string
	}{
		{"", "", 200, "", "", "api:read api:write"},
		{"openid api:read", "https://api.acme.example", 200, "", "", "openid api:read"},
		{"", s.URL, 200, "", "", "api:read api:write"},
		{"", s.URL + "/", 200, "", "", "api:read api:write"},
		{"", s.URL + "/graphql", 200, "", "", "api:read api:write"},
		{"admin api:write", "", 400, "invalid_scope", "Invalid scopes: admin", ""},
		{"offline_access", "", 400, "invalid_scope", "Invalid scopes: offline_access", ""},
		{"", "https://api.other.example", 400, "invalid_target", "Invalid audience: https://api.other.example", ""},
		{"", auth.DefaultAudience, 400, "invalid_target", "Invalid audience: " + auth.DefaultAudience, ""},
	} {
		t.Run(tc.scope+" "+tc.audience, func(t *testing.T) {
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {k.ClientID}, "client_secret": {k.ClientSecret}}
			if tc.scope != "" {
				form.Set("scope", tc.scope)
			}
			if tc.audience != "" {
				form.Set("audience", tc.audience)
			}
			got := s.grant(t, form)
			if tc.status != http.StatusOK {
				got.wantRefused(t, tc.status, tc.error, tc.description)
				return
			}
			if got.status != http.StatusOK || got.Scope != tc.granted || claims(t, got.AccessToken)["aud"] != "https://api.acme.example" {
				t.Fatalf("got %+v", got)
			}
		})
	}
}
