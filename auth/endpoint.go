package auth

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// oauthError is the body of an OAuth 2.0 error response (RFC 6749 §5.2),
// worded as ION's Keycloak words it.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

var (
	errMissingGrant = oauthError{"invalid_request", "Missing form parameter: grant_type"}
	errGrantType    = oauthError{"unsupported_grant_type", "Unsupported grant_type"}
	errClient       = oauthError{"unauthorized_client", "Invalid client or Invalid client credentials"}
)

// TokenHandler is the realm's token endpoint: the client-credentials grant
// exchanges an API key (client_id, client_secret, in the form or as HTTP
// Basic) for an RS256 access token with the scopes asked for (see
// shopfloor.GrantScopes). An audience parameter is accepted and ignored.
func (a *Authenticator) TokenHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			writeOAuth(w, http.StatusBadRequest, oauthError{"invalid_request", "Malformed form body"})
			return
		}
		switch r.PostForm.Get("grant_type") {
		case "":
			writeOAuth(w, http.StatusBadRequest, errMissingGrant)
			return
		case "client_credentials":
		default:
			writeOAuth(w, http.StatusBadRequest, errGrantType)
			return
		}
		clientID, secret, ok := r.BasicAuth()
		if !ok {
			clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		p, err := a.client(r, clientID, secret)
		switch {
		case err == nil:
		case shopfloor.ErrorCode(err) == shopfloor.CodeUnauthenticated:
			e := errClient
			if msg := shopfloor.ErrorMessage(err); msg != MsgInvalid {
				e.Description = msg // a deactivated user: the contract's message
			}
			writeOAuth(w, http.StatusUnauthorized, e)
			return
		case shopfloor.ErrorCode(err) == shopfloor.CodeUnavailable:
			w.Header().Set("Retry-After", "1")
			writeOAuth(w, http.StatusServiceUnavailable, oauthError{"temporarily_unavailable", shopfloor.MsgUnavailable})
			return
		default:
			a.Logger.ErrorContext(r.Context(), "token exchange", "request_id", shopfloor.RequestID(r.Context()), "error", err)
			writeOAuth(w, http.StatusInternalServerError, oauthError{"server_error", shopfloor.MsgInternal})
			return
		}
		scopes := shopfloor.GrantScopes(r.PostForm.Get("scope"))
		token, err := a.Issuer.Mint(p, scopes, a.TokenTTL)
		if err != nil {
			writeOAuth(w, http.StatusInternalServerError, oauthError{"server_error", shopfloor.MsgInternal})
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		wire.WriteJSON(w, http.StatusOK, map[string]any{
			"access_token":       token,
			"expires_in":         int(a.TokenTTL / time.Second),
			"refresh_expires_in": 0,
			"token_type":         "Bearer",
			"not-before-policy":  0,
			"scope":              strings.Join(scopes, " "),
		})
	})
}

// client authenticates an API key and returns the principal it acts as.
func (a *Authenticator) client(r *http.Request, clientID, secret string) (*shopfloor.Principal, error) {
	if clientID == "" || secret == "" {
		return nil, unauthenticated(MsgInvalid)
	}
	key, err := a.Store.APIKeyByClientID(r.Context(), clientID)
	if shopfloor.ErrorCode(err) == shopfloor.CodeNotFound {
		return nil, unauthenticated(MsgInvalid)
	} else if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(shopfloor.HashSecret(secret)), []byte(key.SecretHash)) != 1 {
		return nil, unauthenticated(MsgInvalid)
	}
	if !key.CreatorActive {
		// Deactivating a person disables their keys; say why.
		return nil, unauthenticated(fmt.Sprintf(MsgDeactivated, key.CreatorEmail))
	}
	if !key.Enabled {
		return nil, unauthenticated(MsgInvalid)
	}
	id, err := a.Store.Identity(r.Context(), key.UserID, key.ClientID)
	if err != nil {
		return nil, err
	}
	return &id.Principal, nil
}

// JWKSHandler publishes the realm's public keys.
func (a *Authenticator) JWKSHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wire.WriteJSON(w, http.StatusOK, a.Issuer.Keys.JWKS())
	})
}

// DiscoveryHandler serves the realm's OpenID configuration.
func (a *Authenticator) DiscoveryHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := a.Issuer.URL + "/protocol/openid-connect"
		wire.WriteJSON(w, http.StatusOK, map[string]any{
			"issuer":                                a.Issuer.URL,
			"token_endpoint":                        base + "/token",
			"jwks_uri":                              base + "/certs",
			"grant_types_supported":                 []string{"client_credentials"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"claims_supported":                      []string{"aud", "sub", "iss", "email", "preferred_username"},
		})
	})
}

func writeOAuth(w http.ResponseWriter, status int, e oauthError) {
	w.Header().Set("Cache-Control", "no-store")
	wire.WriteJSON(w, status, e)
}
