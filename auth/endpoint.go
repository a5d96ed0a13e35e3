package auth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
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

// maxTokenBody bounds a token request's body.
const maxTokenBody = 64 << 10

// TokenHandler is the realm's token endpoint. The client-credentials grant
// exchanges an API key (client_id, client_secret, in the form or as HTTP
// Basic) for an access token with the scopes asked for (see
// shopfloor.GrantScopes); the authorization-code and refresh-token grants
// serve OAuth apps. An audience parameter, when sent, must name this API
// (Issuer.AcceptsAudience).
func (a *Authenticator) TokenHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxTokenBody)
		if err := r.ParseForm(); err != nil {
			writeOAuth(w, http.StatusBadRequest, oauthError{"invalid_request", "Malformed form body"})
			return
		}
		if aud := r.PostForm.Get("audience"); aud != "" && !a.Issuer.AcceptsAudience(aud) {
			writeOAuth(w, http.StatusBadRequest, oauthError{"invalid_target", "Invalid audience: " + aud})
			return
		}
		var grant func(*http.Request) (*tokenResponse, error)
		switch r.PostForm.Get("grant_type") {
		case "":
			writeOAuth(w, http.StatusBadRequest, errMissingGrant)
			return
		case "client_credentials":
			grant = a.clientCredentials
		case "authorization_code":
			grant = a.codeGrant
		case "refresh_token":
			grant = a.refreshGrant
		default:
			writeOAuth(w, http.StatusBadRequest, errGrantType)
			return
		}
		tokens, err := grant(r)
		var refused *grantError
		switch {
		case err == nil:
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Pragma", "no-cache")
			wire.WriteJSON(w, http.StatusOK, tokens)
		case errors.As(err, &refused):
			writeOAuth(w, refused.status, refused.body)
		case shopfloor.ErrorCode(err) == shopfloor.CodeUnavailable:
			w.Header().Set("Retry-After", "1")
			writeOAuth(w, http.StatusServiceUnavailable, oauthError{"temporarily_unavailable", shopfloor.MsgUnavailable})
		case shopfloor.ErrorCode(err) == shopfloor.CodeInvalid: // a parameter the store refuses (a NUL character)
			writeOAuth(w, http.StatusBadRequest, oauthError{"invalid_request", shopfloor.ErrorMessage(err)})
		default:
			a.Logger.ErrorContext(r.Context(), "token exchange", "request_id", shopfloor.RequestID(r.Context()), "error", err)
			writeOAuth(w, http.StatusInternalServerError, oauthError{"server_error", shopfloor.MsgInternal})
		}
	})
}

// grantError is a refused token request: the status and OAuth error body.
type grantError struct {
	status int
	body   oauthError
}

func (e *grantError) Error() string { return e.body.Description }

// refuse returns the token endpoint's refusal for a 401 or 403 of the
// identity layer (the contract's message as the description), and err
// otherwise.
func refuse(err error, code string) error {
	if c := shopfloor.ErrorCode(err); c == shopfloor.CodeUnauthenticated || c == shopfloor.CodeForbidden {
		return &grantError{c.Status(), oauthError{code, shopfloor.ErrorMessage(err)}}
	}
	return err
}

// tokenResponse is a token endpoint answer, as Keycloak shapes it.
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int    `json:"expires_in"`
	RefreshExpiresIn int    `json:"refresh_expires_in"`
	RefreshToken     string `json:"refresh_token,omitempty"`
	TokenType        string `json:"token_type"`
	IDToken          string `json:"id_token,omitempty"`
	NotBeforePolicy  int    `json:"not-before-policy"`
	Scope            string `json:"scope"`
}

// clientCredentials exchanges an API key for an access token.
func (a *Authenticator) clientCredentials(r *http.Request) (*tokenResponse, error) {
	clientID, secret, ok := r.BasicAuth()
	if !ok {
		clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p, err := a.client(r, clientID, secret)
	if err != nil {
		if shopfloor.ErrorMessage(err) == MsgInvalid {
			return nil, &grantError{http.StatusUnauthorized, errClient}
		}
		return nil, refuse(err, errClient.Error) // a deactivated user: the contract's message
	}
	if refused := invalidScopes(r.PostForm.Get("scope"), keyScopes); refused != nil {
		return nil, badGrant(*refused)
	}
	scopes := shopfloor.GrantScopes(r.PostForm.Get("scope"))
	token, err := a.Issuer.Mint(p, scopes, a.TokenTTL)
	if err != nil {
		return nil, err
	}
	return &tokenResponse{AccessToken: token, ExpiresIn: int(a.TokenTTL / time.Second), TokenType: "Bearer", Scope: strings.Join(scopes, " ")}, nil
}

// keyScopes are the scopes an API key's token may be asked for: the API's,
// and OpenID Connect's that clients habitually send.
var keyScopes = []string{"openid", "profile", "email", shopfloor.ScopeRead, shopfloor.ScopeWrite}

// invalidScopes is OAuth's invalid_scope listing the scopes asked for
// outside known, or nil when there are none.
func invalidScopes(asked string, known []string) *oauthError {
	if bad := slices.DeleteFunc(strings.Fields(asked), func(s string) bool { return slices.Contains(known, s) }); len(bad) > 0 {
		return &oauthError{"invalid_scope", "Invalid scopes: " + strings.Join(bad, " ")}
	}
	return nil
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
	id, err := a.Store.KeyIdentity(r.Context(), key)
	if err != nil {
		return nil, err
	}
	// The generation read with the secret and state just checked: if the
	// key was disabled or regenerated since, the token is born revoked.
	id.KeyGeneration = key.TokenGeneration
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
		realm := a.Issuer.URL
		wire.WriteJSON(w, http.StatusOK, map[string]any{
			"issuer":                                realm,
			"authorization_endpoint":                realm + AuthPath,
			"token_endpoint":                        realm + TokenPath,
			"jwks_uri":                              realm + CertsPath,
			"grant_types_supported":                 []string{"authorization_code", "refresh_token", "client_credentials"},
			"response_types_supported":              []string{"code"},
			"code_challenge_methods_supported":      []string{"S256"},
			"scopes_supported":                      appScopes,
			"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic", "none"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"claims_supported":                      []string{"aud", "sub", "iss", "email", "preferred_username"},
		})
	})
}

func writeOAuth(w http.ResponseWriter, status int, e oauthError) {
	w.Header().Set("Cache-Control", "no-store")
	wire.WriteJSON(w, status, e)
}
