package shopfloor

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"time"
)

// OAuthApp is a user-facing application registered by an organization: its
// people sign in to it with the authorization-code flow and PKCE, and it
// acts for them with their permissions, within the scopes they granted.
// Apps are public clients: they have a client id and no secret.
type OAuthApp struct {
	ID           int64
	OrgID        int64
	Name         string
	AppType      string
	ClientID     string
	CreatedByID  int64
	Etag         string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	RedirectURIs []RedirectURI
}

// The application types, as ION (on Auth0) names them. Each signs in with
// the authorization-code flow and PKCE S256.
var AppTypes = []string{"regular_web", "spa", "native"}

// RedirectURI is a URL registered for an app: where sign-in may return
// (callback), which origins may call the token endpoint (origin), or where
// sign-out may return (logout).
type RedirectURI struct {
	ID      int64
	AppID   int64
	URI     string
	URIType string
}

// The types of registered URL.
const (
	URICallback = "callback"
	URIOrigin   = "origin"
	URILogout   = "logout"
)

// URITypes lists the types of registered URL.
var URITypes = []string{URICallback, URIOrigin, URILogout}

// Callback reports whether uri is, character for character, one of the
// app's registered callbacks: redirect URIs are matched exactly, never by
// prefix or pattern.
func (a *OAuthApp) Callback(uri string) bool {
	return slices.ContainsFunc(a.RedirectURIs, func(r RedirectURI) bool { return r.URIType == URICallback && r.URI == uri })
}

// ValidateApp normalizes (trims) and checks a registration.
func ValidateApp(name *string, appType string) error {
	c := &check{entity: "OauthApp"}
	c.text("name", name, true, MaxName)
	if c.err == nil && !slices.Contains(AppTypes, appType) {
		c.fail("appType", "must be one of %s; '%s' is not.", strings.Join(AppTypes, ", "), appType)
	}
	return c.result()
}

// ValidateRedirectURI checks a URL to register: an absolute URL without a
// fragment; plain http only for loopback hosts, as RFC 8252 allows native
// apps.
func ValidateRedirectURI(uri, uriType string) error {
	if !slices.Contains(URITypes, uriType) {
		return Errorf(CodeInvalid, "Redirect URI uriType must be one of %s; '%s' is not.", strings.Join(URITypes, ", "), uriType)
	}
	c := &check{entity: "RedirectUri"}
	if c.length("uri", uri, MaxURI); c.err != nil {
		return c.err
	}
	u, err := url.Parse(uri)
	ok := err == nil && u.Host != "" && u.Fragment == "" && !strings.Contains(uri, "#") &&
		(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname()))
	if !ok {
		return Errorf(CodeInvalid, "Redirect URI '%s' must be an absolute https URL (http only for localhost) without a fragment.", uri)
	}
	return nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// AuthCode is an authorization code: what a signed-in user granted an app,
// redeemable once, briefly, by the holder of the PKCE verifier.
type AuthCode struct {
	CodeHash      string
	AppID         int64
	UserID        int64
	RedirectURI   string
	CodeChallenge string // S256 of the verifier, base64url
	Scope         string
	Nonce         string
	ExpiresAt     time.Time
	// GrantID is the grant redeeming the code started: its tokens carry
	// it, and a replay of the code revokes it.
	GrantID int64
}

// RefreshToken is a stored refresh token (only its hash): it belongs to a
// user and an app, and is replaced by a new one each time it is used.
type RefreshToken struct {
	ID        int64
	TokenHash string
	AppID     int64
	UserID    int64
	Scope     string
	ExpiresAt time.Time
	GrantID   int64 // the grant of the code it descends from (0 before grants were kept)
}

// PKCEChallenge is the S256 code challenge of a PKCE code verifier.
func PKCEChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// OAuthAppService manages the caller's organization's OAuth apps.
type OAuthAppService interface {
	OAuthApps(ctx context.Context, opts ListOptions) (*Page[OAuthApp], error)
	RegisterOAuthApp(ctx context.Context, name, appType string) (*OAuthApp, error)
	AddOAuthRedirectURI(ctx context.Context, appID int64, uri, uriType string) (*RedirectURI, error)
	// DeleteOAuthApp deletes an app; its refresh tokens and access tokens
	// stop working at once.
	DeleteOAuthApp(ctx context.Context, id int64, etag string) (*OAuthApp, error)
}
