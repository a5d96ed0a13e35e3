package main

import (
	"cmp"
	"fmt"
	"maps"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/internal/oidctest"
)

// Tokens of an external OpenID Connect issuer (a real one, on loopback)
// name their user by email, and answer every 401 and 403 of the contract
// that applies to them exactly as Shopfloor's own tokens do.
func TestExternalIssuer(t *testing.T) {
	idp, unconfigured := oidctest.Start(t, 0), oidctest.Start(t, 0)
	s := startServer(t, "--oidc-issuer", idp.URL)
	org0 := s.Creds.Orgs[0]
	email := org0.Users[0].Email
	ownOrg, otherOrg := s.orgID(t, s.token(t, 0, shopfloor.RoleAdmin)), s.orgID(t, s.token(t, 1, shopfloor.RoleAdmin))
	valid := map[string]any{"aud": auth.DefaultAudience, "email": email}
	with := func(claims map[string]any) map[string]any {
		out := maps.Clone(valid)
		maps.Copy(out, claims)
		return out
	}

	good := idp.Token(t, valid)
	hs, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("0123456789abcdef0123456789abcdef")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hmac, err := jwt.Signed(hs).Claims(map[string]any{"iss": idp.URL, "aud": auth.DefaultAudience, "email": email, "exp": time.Now().Add(time.Hour).Unix()}).Serialize()
	if err != nil {
		t.Fatal(err)
	}

	me, readParts := `{ me { email } }`, `{ parts(first: 1) { edges { node { id } } } }`
	create := `mutation { createLocation(input: {name: "External"}) { location { id } } }`
	for _, tc := range []struct {
		name       string
		issuer     *oidctest.Issuer // nil: the configured one
		claims     map[string]any   // over a valid token's
		token      string           // instead of one from an issuer
		set, reset []string         // the operator's commands around the case
		query      string           // "": me
		httpStatus int              // 0: a success
		status     int
		message    string
	}{
		{name: "valid"},
		{name: "email in another case", claims: map[string]any{"email": strings.ToUpper(email)}},
		{name: "org_id of the user's organization", claims: map[string]any{"org_id": ownOrg}},
		{name: "scope api:read, query", claims: map[string]any{"scope": "openid api:read"}, query: readParts},
		{name: "expired", claims: map[string]any{"exp": time.Now().Add(-time.Minute).Unix()},
			httpStatus: 401, status: 401, message: "Token is expired"},
		{name: "wrong audience", claims: map[string]any{"aud": "https://another-api.example"},
			httpStatus: 401, status: 401, message: "Unable to validate authentication token"},
		{name: "bad signature", token: tamper(good), httpStatus: 401, status: 401, message: "Unable to validate authentication token"},
		{name: "not signed by the issuer's keys", token: hmac, httpStatus: 401, status: 401, message: "Unable to find appropriate RSA key"},
		{name: "unknown email", claims: map[string]any{"email": "nobody@" + org0.Domain},
			httpStatus: 401, status: 401, message: "Unable to validate authentication token"},
		{name: "no email", claims: map[string]any{"email": nil}, httpStatus: 401, status: 401, message: "Unable to validate authentication token"},
		{name: "unverified email", claims: map[string]any{"email_verified": false},
			httpStatus: 401, status: 401, message: "Unable to validate authentication token"},
		{name: "an API key's service identity", claims: map[string]any{"email": "service-account-" + s.apiKey(t, 0, shopfloor.RoleAdmin).ClientID},
			httpStatus: 401, status: 401, message: "Unable to validate authentication token"},
		{name: "issuer not configured", issuer: unconfigured, httpStatus: 401, status: 401, message: "Unable to find appropriate RSA key"},
		{name: "org_id of another organization", claims: map[string]any{"org_id": otherOrg},
			httpStatus: 401, status: 401, message: "Token organization does not match user's organization"},
		{name: "blocked organization", httpStatus: 401, status: 401, message: "Sorry, this organization is blocked from accessing ION",
			set: []string{"org", "set", "--domain", org0.Domain, "--state", "BLOCKED"}, reset: []string{"org", "set", "--domain", org0.Domain, "--state", "ACTIVE"}},
		{name: "login domain", httpStatus: 401, status: 401, message: "Login domain '" + org0.Domain + "' is not valid for this organization",
			set: []string{"org", "set", "--domain", org0.Domain, "--login-domains", "other.example"}, reset: []string{"org", "set", "--domain", org0.Domain, "--login-domains", org0.Domain}},
		{name: "deactivated user", query: readParts, httpStatus: 200, status: 403, message: "User " + email + " is deactivated and may not perform this operation.",
			set: []string{"user", "set", "--email", email, "--active=false"}, reset: []string{"user", "set", "--email", email, "--active=true"}},
		{name: "scope api:read, mutation", claims: map[string]any{"scope": "openid api:read"}, query: create,
			httpStatus: 200, status: 403, message: "OAuth scope insufficient: mutations need the api:write scope."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := tc.token
			if token == "" {
				token = cmp.Or(tc.issuer, idp).Token(t, with(tc.claims))
			}
			if tc.set != nil {
				s.operator(t, tc.set...)
				defer s.operator(t, tc.reset...)
			}
			r := s.gql(t, token, cmp.Or(tc.query, me), nil)
			if tc.httpStatus != 0 {
				r.wantError(t, tc.httpStatus, tc.status, tc.message)
				return
			}
			r.must(t)
			var got struct{ Email string }
			if tc.query == "" {
				if r.field(t, "me", &got); got.Email != email {
					t.Fatalf("me.email %q, want %q", got.Email, email)
				}
			}
		})
	}
	if strings.Contains(s.Stderr.String(), good) {
		t.Fatal("a token reached the logs")
	}
}

// The server starts while its external issuer is down: meanwhile the
// issuer's tokens are a retryable 503 and Shopfloor's own still work; once
// the issuer answers, its tokens are accepted without a restart.
func TestExternalIssuerDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	issuerURL := fmt.Sprintf("http://127.0.0.1:%d", port)
	s := startServer(t, "--oidc-issuer", issuerURL, "--oidc-audience", "shopfloor-external")
	claims := map[string]any{"aud": "shopfloor-external", "email": s.Creds.Orgs[0].Users[0].Email}

	forged := maps.Clone(claims)
	forged["iss"] = issuerURL // signed by a stand-in, since the issuer is down
	r := s.gql(t, oidctest.Start(t, 0).Token(t, forged), `{ me { email } }`, nil)
	r.wantError(t, http.StatusServiceUnavailable, http.StatusServiceUnavailable, shopfloor.MsgUnavailable)
	if r.Header.Get("Retry-After") != "1" {
		t.Fatalf("503 without Retry-After: %v", r.Header)
	}
	s.gql(t, s.token(t, 0, shopfloor.RoleAdmin), `{ me { email } }`, nil).must(t)

	idp := oidctest.Start(t, port)
	token := idp.Token(t, claims)
	eventually(t, "the issuer's tokens are accepted once it answers", func() bool {
		return s.gql(t, token, `{ me { email } }`, nil).Status == http.StatusOK
	})
	s.gql(t, token, `{ me { email } }`, nil).must(t)
}
