package auth

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/ratelimit"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// IdentityStore is what authentication needs of the store.
type IdentityStore interface {
	Identity(ctx context.Context, userID int64, clientID string) (*shopfloor.Identity, error)
	// DeferIdentityCheck returns a context in which a kept identity is
	// answered before the check that it is current; ConfirmIdentity makes
	// or reads that check, and must report current before anything of the
	// request is answered.
	DeferIdentityCheck(ctx context.Context) context.Context
	ConfirmIdentity(ctx context.Context) (bool, error)
	IdentityViaApp(ctx context.Context, userID int64, appClientID string, grantID int64) (*shopfloor.Identity, error)
	APIKeyByClientID(ctx context.Context, clientID string) (*shopfloor.APIKey, error)
	// KeyIdentity is Identity for the service identity of a key read by
	// APIKeyByClientID, current as of that read.
	KeyIdentity(ctx context.Context, key *shopfloor.APIKey) (*shopfloor.Identity, error)
}

// Authenticator verifies requests and exchanges API keys for tokens.
type Authenticator struct {
	Issuer *Issuer
	Store  IdentityStore
	Logger *slog.Logger
	// Grants keeps OAuth apps' codes and refresh tokens.
	Grants GrantStore
	// External, if set, accepts the tokens of an external OpenID Connect
	// issuer besides the realm's own.
	External *External
	// TokenTTL is the lifetime of the access tokens the endpoint mints.
	TokenTTL time.Duration
	// RefreshTTL is the lifetime of refresh tokens, renewed at each use.
	RefreshTTL time.Duration
	// Attempts, if set, limits sign-in attempts per email to AttemptLimit,
	// so that passwords cannot be guessed at speed.
	Attempts     ratelimit.Limiter
	AttemptLimit ratelimit.Limit
}

// credentials extracts the token from an Authorization header, which ION
// accepts as "Bearer <token>", "Token <token>" or the bare token.
func credentials(header string) (string, bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return "", false
	}
	if scheme, token, ok := strings.Cut(header, " "); ok &&
		(strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Token")) {
		return strings.TrimSpace(token), true
	}
	return header, true
}

// Authenticate admits requests that carry a valid token for a live
// principal and puts the principal in the context; everything else is a 401
// in the contract's errors[] shape, before GraphQL runs.
//
// An identity the store keeps admits a request before the check that it is
// current, which rides with the request's first read (DeferIdentityCheck):
// the answer is held until that check is made, and when the identity was
// stale the work is thrown away (the store wrote nothing) and the request is
// served again, authenticated afresh. A refusal is told only from a current
// identity.
func (a *Authenticator) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := r.WithContext(a.Store.DeferIdentityCheck(r.Context()))
		confirm := func() bool {
			current, err := a.Store.ConfirmIdentity(first.Context())
			return current && err == nil
		}
		p, err := a.principal(first)
		if err != nil {
			if confirm() {
				a.refuse(w, r, err)
			} else {
				a.serve(w, r, next)
			}
			return
		}
		body := newReplayableBody(r)
		first.Body = body
		held := &heldWriter{ResponseWriter: w, confirm: confirm, header: w.Header().Clone()}
		admit(held, first, p, next)
		if held.released() || r.Context().Err() != nil { // or the client is gone: nothing is answered
			return
		}
		h := w.Header()
		clear(h)
		maps.Copy(h, held.header)
		r.Body = body.replay()
		a.serve(w, r, next)
	})
}

// serve authenticates r with a fresh identity and serves it, or refuses it.
func (a *Authenticator) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	p, err := a.principal(r)
	if err != nil {
		a.refuse(w, r, err)
		return
	}
	admit(w, r, p, next)
}

// admit serves r as p.
func admit(w http.ResponseWriter, r *http.Request, p *shopfloor.Principal, next http.Handler) {
	shopfloor.LogPrincipal(r.Context(), p)
	next.ServeHTTP(w, r.WithContext(shopfloor.WithPrincipal(r.Context(), p)))
}

// refuse answers a request that did not authenticate.
func (a *Authenticator) refuse(w http.ResponseWriter, r *http.Request, err error) {
	code := shopfloor.ErrorCode(err)
	msg := shopfloor.ErrorMessage(err)
	switch code {
	case shopfloor.CodeInternal:
		a.Logger.ErrorContext(r.Context(), "authenticate", "request_id", shopfloor.RequestID(r.Context()), "error", err)
	case shopfloor.CodeUnauthenticated:
		refusal := msg
		if msg == shopfloor.MsgNoCredentials {
			refusal = "" // RFC 6750 §3.1: no error code for a request without credentials
		}
		w.Header().Set("WWW-Authenticate", wire.BearerChallenge(refusal))
	}
	wire.WriteError(w, code, msg)
}

func (a *Authenticator) principal(r *http.Request) (*shopfloor.Principal, error) {
	token, ok := credentials(r.Header.Get("Authorization"))
	if !ok {
		return nil, unauthenticated(shopfloor.MsgNoCredentials)
	}
	claims, err := a.verify(r.Context(), token)
	if err != nil {
		return nil, err
	}
	userID, _ := claims.UserID()
	keyID := claims.AuthorizedParty // an API key's, unless the token is a person's through an app
	var id *shopfloor.Identity
	if claims.OAuthApp != "" {
		keyID = ""
		id, err = a.Store.IdentityViaApp(r.Context(), userID, claims.OAuthApp, claims.GrantID)
	} else {
		id, err = a.Store.Identity(r.Context(), userID, keyID)
	}
	switch {
	case shopfloor.ErrorCode(err) == shopfloor.CodeNotFound:
		return nil, unauthenticated(MsgInvalid)
	case err != nil:
		return nil, err
	case id.OrgID != claims.OrgID:
		return nil, unauthenticated(MsgOrgMismatch)
	case id.OrgState == shopfloor.OrgBlocked:
		return nil, unauthenticated(MsgOrgIsBlocked)
	case keyID != "" && (!id.KeyEnabled || claims.KeyGeneration != id.KeyGeneration), claims.OAuthApp != "" && !id.AppLive:
		// A disabled, deleted or regenerated key, a deleted app or a
		// revoked grant revokes the tokens it was issued.
		return nil, unauthenticated(MsgInvalid)
	}
	if domain, ok := id.LoginDomainOK(); !ok {
		return nil, unauthenticated(fmt.Sprintf(MsgLoginDomain, domain))
	}
	// A user deactivated since the token was issued still authenticates;
	// every operation is then a 403 (shopfloor.Admit).
	id.Scopes = claims.Scopes()
	return &id.Principal, nil
}
