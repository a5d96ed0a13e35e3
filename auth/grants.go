package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// The token endpoint's refusals of app grants, as Keycloak words them.
var (
	errCode         = oauthError{"invalid_grant", "Code not valid"}
	errRedirectURI  = oauthError{"invalid_grant", "Incorrect redirect_uri"}
	errNoVerifier   = oauthError{"invalid_grant", "PKCE code verifier not specified"}
	errVerifier     = oauthError{"invalid_grant", "PKCE verification failed: Invalid code verifier"}
	errRefreshToken = oauthError{"invalid_grant", "Invalid refresh token"}
)

func badGrant(e oauthError) error { return &grantError{http.StatusBadRequest, e} }

// appGrant authenticates the public client of an app grant by its client
// id, and returns it with the hash of the grant's secret, the form
// parameter param (a code or a refresh token), which is required.
func (a *Authenticator) appGrant(r *http.Request, param string) (*shopfloor.OAuthApp, string, error) {
	clientID, _, ok := r.BasicAuth()
	if !ok {
		clientID = r.PostForm.Get("client_id")
	}
	app, err := a.Grants.OAuthAppByClientID(r.Context(), clientID)
	if shopfloor.ErrorCode(err) == shopfloor.CodeNotFound {
		return nil, "", &grantError{http.StatusUnauthorized, errClient}
	} else if err != nil {
		return nil, "", err
	}
	secret := r.PostForm.Get(param)
	if secret == "" {
		return nil, "", badGrant(oauthError{"invalid_request", "Missing parameter: " + param})
	}
	return app, shopfloor.HashSecret(secret), nil
}

// codeGrant redeems an authorization code, once, for the app it was issued
// to, at the redirect URI it was issued for, with the PKCE verifier whose
// S256 challenge came with the request.
func (a *Authenticator) codeGrant(r *http.Request) (*tokenResponse, error) {
	app, hash, err := a.appGrant(r, "code")
	if err != nil {
		return nil, err
	}
	code, err := a.Grants.ConsumeAuthCode(r.Context(), hash)
	if shopfloor.ErrorCode(err) == shopfloor.CodeNotFound {
		return nil, badGrant(errCode)
	} else if err != nil {
		return nil, err
	}
	verifier := r.PostForm.Get("code_verifier")
	switch {
	case code.AppID != app.ID:
		return nil, badGrant(errCode)
	case r.PostForm.Get("redirect_uri") != code.RedirectURI:
		return nil, badGrant(errRedirectURI)
	case verifier == "":
		return nil, badGrant(errNoVerifier)
	case subtle.ConstantTimeCompare([]byte(shopfloor.PKCEChallenge(verifier)), []byte(code.CodeChallenge)) != 1:
		return nil, badGrant(errVerifier)
	}
	p, err := a.person(r.Context(), code.UserID, app)
	if err != nil {
		return nil, refuse(err, "invalid_grant")
	}
	p.GrantID = code.GrantID
	tokens, err := a.issue(p, code.Scope, code.Nonce)
	if err != nil || !slices.Contains(strings.Fields(tokens.Scope), "offline_access") {
		return tokens, err
	}
	refresh := a.refreshToken(tokens, p, app, tokens.Scope)
	return tokens, a.Grants.SaveRefreshToken(r.Context(), refresh)
}

// refreshGrant exchanges a live refresh token of the app for new tokens,
// with the scopes first granted or fewer; the refresh token is replaced by
// a new one, so each can be used once.
func (a *Authenticator) refreshGrant(r *http.Request) (*tokenResponse, error) {
	app, hash, err := a.appGrant(r, "refresh_token")
	if err != nil {
		return nil, err
	}
	old, err := a.Grants.RefreshToken(r.Context(), hash)
	if shopfloor.ErrorCode(err) == shopfloor.CodeNotFound || err == nil && old.AppID != app.ID {
		return nil, badGrant(errRefreshToken)
	} else if err != nil {
		return nil, err
	}
	scope := old.Scope
	if asked := r.PostForm.Get("scope"); asked != "" {
		if refused := invalidScopes(asked, strings.Fields(old.Scope)); refused != nil {
			return nil, badGrant(*refused)
		}
		scope = asked
	}
	p, err := a.person(r.Context(), old.UserID, app)
	if err != nil {
		return nil, refuse(err, "invalid_grant")
	}
	p.GrantID = old.GrantID
	tokens, err := a.issue(p, scope, "")
	if err != nil {
		return nil, err
	}
	// The next refresh token keeps every scope first granted, even when
	// this access token was asked for with fewer.
	next := a.refreshToken(tokens, p, app, old.Scope)
	if err := a.Grants.RotateRefreshToken(r.Context(), old.ID, next); shopfloor.ErrorCode(err) == shopfloor.CodeNotFound {
		return nil, badGrant(errRefreshToken)
	} else if err != nil {
		return nil, err
	}
	return tokens, nil
}

// issue mints the tokens a grant of scope gives p: an access token, and an
// ID token with openid.
func (a *Authenticator) issue(p *shopfloor.Principal, scope, nonce string) (*tokenResponse, error) {
	scopes := shopfloor.GrantScopes(scope)
	access, err := a.Issuer.Mint(p, scopes, a.TokenTTL)
	if err != nil {
		return nil, err
	}
	tokens := &tokenResponse{AccessToken: access, ExpiresIn: int(a.TokenTTL / time.Second), TokenType: "Bearer", Scope: strings.Join(scopes, " ")}
	if slices.Contains(scopes, "openid") {
		if tokens.IDToken, err = a.Issuer.MintIDToken(p, nonce, a.TokenTTL); err != nil {
			return nil, err
		}
	}
	return tokens, nil
}

// refreshToken adds a new refresh token to tokens and returns its record
// (with only its hash) for the store.
func (a *Authenticator) refreshToken(tokens *tokenResponse, p *shopfloor.Principal, app *shopfloor.OAuthApp, scope string) shopfloor.RefreshToken {
	secret := randomSecret()
	tokens.RefreshToken, tokens.RefreshExpiresIn = secret, int(a.RefreshTTL/time.Second)
	return shopfloor.RefreshToken{TokenHash: shopfloor.HashSecret(secret), AppID: app.ID, UserID: p.UserID, Scope: scope,
		ExpiresAt: a.Issuer.Now().Add(a.RefreshTTL), GrantID: p.GrantID}
}

// randomSecret returns 256 random bits, base64url: codes and refresh tokens.
func randomSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
