package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/shopfloor-dev/shopfloor"
)

// People finds the person an external token names.
type People interface {
	PersonByEmail(ctx context.Context, email string) (*shopfloor.User, error)
}

// External accepts the access tokens of an external OpenID Connect issuer
// (a company's Keycloak, Okta, Entra ID…), verified with go-oidc against
// the keys its discovery document names, which go-oidc caches and fetches
// again when it meets a key it does not hold. A token names a person of
// Shopfloor by its email claim; an org_id claim, when present, must be that
// person's organization; its scope claim grants scopes as the token
// endpoint does (shopfloor.GrantScopes).
//
// Discovery is lazy, so that the server starts while the issuer is down: it
// runs at the first of the issuer's tokens, and after a failure again at
// most once a second; until it succeeds those tokens are answered 503.
type External struct {
	issuer   string
	audience string
	people   People
	logger   *slog.Logger
	client   *http.Client

	discovered atomic.Pointer[externalVerifier]
	mu         sync.Mutex // serializes discovery
	triedAt    time.Time
}

// externalVerifier is what discovery yields.
type externalVerifier struct {
	*oidc.IDTokenVerifier
	algorithms []string // the signing algorithms the issuer uses
}

// rediscoverEvery bounds how often a failed discovery is tried again.
const rediscoverEvery = time.Second

// NewExternal accepts the tokens of the issuer at issuerURL (exactly as its
// tokens' iss says) that carry audience, for the people that people finds.
func NewExternal(issuerURL, audience string, people People, logger *slog.Logger) *External {
	return &External{issuer: issuerURL, audience: audience, people: people, logger: logger,
		client: &http.Client{Timeout: 10 * time.Second}}
}

// verify checks a token with the external issuer when it says it comes
// from there, and with the realm's own Issuer otherwise.
func (a *Authenticator) verify(ctx context.Context, token string) (*Claims, error) {
	if a.External != nil && a.External.issued(token) {
		return a.External.Verify(ctx, token)
	}
	return a.Issuer.Verify(ctx, token)
}

// issued reports whether token claims to come from the external issuer; it
// proves nothing.
func (e *External) issued(token string) bool {
	tok, err := jwt.ParseSigned(token, anyAlgorithm)
	var c jwt.Claims
	return err == nil && tok.UnsafeClaimsWithoutVerification(&c) == nil && c.Issuer == e.issuer
}

// externalClaims are the claims of an external token that Shopfloor reads.
type externalClaims struct {
	Email         string `json:"email"`
	EmailVerified *bool  `json:"email_verified"`
	OrgID         *int64 `json:"org_id"`
	Scope         string `json:"scope"`
}

// Verify checks a token of the external issuer and returns it as the claims
// of a Shopfloor token for the person it names, or the contract's 401 for
// what is wrong with it. A key id the issuer does not publish is reported
// as MsgInvalid: go-oidc does not tell it from a bad signature.
func (e *External) Verify(ctx context.Context, token string) (*Claims, error) {
	v, err := e.verifier(ctx)
	if err != nil {
		return nil, err
	}
	if tok, err := jwt.ParseSigned(token, anyAlgorithm); err == nil && !slices.Contains(v.algorithms, tok.Headers[0].Algorithm) {
		return nil, unauthenticated(MsgUnknownKey)
	}
	idToken, err := v.Verify(ctx, token)
	if _, expired := errors.AsType[*oidc.TokenExpiredError](err); expired {
		return nil, unauthenticated(MsgExpired)
	} else if err != nil {
		return nil, unauthenticated(MsgInvalid)
	}
	var c externalClaims
	if err := idToken.Claims(&c); err != nil || c.Email == "" || (c.EmailVerified != nil && !*c.EmailVerified) {
		return nil, unauthenticated(MsgInvalid)
	}
	u, err := e.people.PersonByEmail(ctx, c.Email)
	if shopfloor.ErrorCode(err) == shopfloor.CodeNotFound {
		return nil, unauthenticated(MsgInvalid)
	} else if err != nil {
		return nil, err
	}
	orgID := u.OrgID
	if c.OrgID != nil {
		orgID = *c.OrgID
	}
	return &Claims{
		Claims: jwt.Claims{Issuer: idToken.Issuer, Subject: strconv.FormatInt(u.ID, 10), Expiry: jwt.NewNumericDate(idToken.Expiry)},
		OrgID:  orgID,
		Email:  u.Email,
		Scope:  strings.Join(shopfloor.GrantScopes(c.Scope), " "),
	}, nil
}

// verifier returns the issuer's verifier, discovering the issuer first if
// that has not succeeded yet.
func (e *External) verifier(ctx context.Context) (*externalVerifier, error) {
	if v := e.discovered.Load(); v != nil {
		return v, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if v := e.discovered.Load(); v != nil {
		return v, nil
	}
	unavailable := &shopfloor.Error{Code: shopfloor.CodeUnavailable, Message: shopfloor.MsgUnavailable}
	if time.Since(e.triedAt) < rediscoverEvery {
		return nil, unavailable
	}
	e.triedAt = time.Now()
	v, err := e.discover(context.WithoutCancel(ctx))
	if err != nil {
		e.logger.WarnContext(ctx, "oidc discovery failed", "issuer", e.issuer, "error", err)
		unavailable.Err = err
		return nil, unavailable
	}
	e.discovered.Store(v)
	return v, nil
}

// discover reads the issuer's discovery document and makes its verifier.
func (e *External) discover(ctx context.Context) (*externalVerifier, error) {
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, e.client), e.issuer)
	if err != nil {
		return nil, err
	}
	var meta struct {
		Algorithms []string `json:"id_token_signing_alg_values_supported"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, err
	}
	algorithms := meta.Algorithms
	if len(algorithms) == 0 {
		algorithms = []string{oidc.RS256}
	}
	return &externalVerifier{
		IDTokenVerifier: provider.Verifier(&oidc.Config{ClientID: e.audience, SupportedSigningAlgs: algorithms}),
		algorithms:      algorithms,
	}, nil
}
