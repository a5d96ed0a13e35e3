package auth

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/shopfloor-dev/shopfloor"
)

// The 401 messages of the contract, verbatim.
const (
	MsgUnparseable  = "Unable to parse authentication token"
	MsgUnknownKey   = "Unable to find appropriate RSA key"
	MsgExpired      = "Token is expired"
	MsgInvalid      = "Unable to validate authentication token"
	MsgOrgMismatch  = "Token organization does not match user's organization"
	MsgOrgIsBlocked = "Sorry, this organization is blocked from accessing ION"
	MsgLoginDomain  = "Login domain '%s' is not valid for this organization" // the email's domain
	MsgDeactivated  = "User %s is deactivated"                               // the email
)

// RealmPath is where the realm (API keys and OAuth apps) lives, as ION's
// Keycloak realm for API keys does.
const RealmPath = "/realms/api-keys"

// The realm's OpenID Connect endpoints, under its URL.
const (
	AuthPath  = "/protocol/openid-connect/auth"
	TokenPath = "/protocol/openid-connect/token"
	CertsPath = "/protocol/openid-connect/certs"
)

// Claims are the claims of a Shopfloor access token.
type Claims struct {
	jwt.Claims
	Type              string `json:"typ,omitempty"`
	AuthorizedParty   string `json:"azp,omitempty"`       // the API key's or OAuth app's client id
	OAuthApp          string `json:"oauth_app,omitempty"` // the OAuth app's client id, for a user's token
	OrgID             int64  `json:"org_id"`
	Email             string `json:"email,omitempty"`
	PreferredUsername string `json:"preferred_username,omitempty"`
	Scope             string `json:"scope,omitempty"`
	KeyGeneration     int64  `json:"key_gen,omitempty"`  // the API key's token generation
	GrantID           int64  `json:"grant_id,omitempty"` // the OAuth app grant of a user's token
}

// Scopes are the token's granted scopes.
func (c *Claims) Scopes() map[string]bool {
	out := map[string]bool{}
	for _, s := range strings.Fields(c.Scope) {
		out[s] = true
	}
	return out
}

// UserID is the numeric user id of the token's subject.
func (c *Claims) UserID() (int64, error) { return strconv.ParseInt(c.Subject, 10, 64) }

// DefaultAudience is the aud of Shopfloor's access tokens unless configured.
const DefaultAudience = "shopfloor-api"

// Issuer mints and verifies access tokens of the realm.
type Issuer struct {
	Keys *Keys
	// URL is the realm URL tokens carry as iss: <public URL>/realms/api-keys.
	URL string
	// Audience is the aud every token is minted for and must carry; empty
	// means DefaultAudience.
	Audience string
	// Now is the clock.
	Now func() time.Time

	verified verifiedTokens
}

func (iss *Issuer) audience() string {
	if iss.Audience == "" {
		return DefaultAudience
	}
	return iss.Audience
}

// AcceptsAudience reports whether a client asking the token endpoint for
// aud asks for this API: the configured audience, or the server's public
// URL or its GraphQL endpoint (ION's scripts send the API's base URL), a
// trailing slash ignored. The token's aud is the configured audience in
// every case.
func (iss *Issuer) AcceptsAudience(aud string) bool {
	base := strings.TrimSuffix(iss.URL, RealmPath)
	switch strings.TrimSuffix(aud, "/") {
	case iss.audience(), base, base + "/graphql":
		return true
	}
	return false
}

// IssuerURL is the realm URL for a server reached at baseURL.
func IssuerURL(baseURL string) string { return strings.TrimSuffix(baseURL, "/") + RealmPath }

// Mint signs a token for a principal (a user, possibly through an OAuth
// app, or an API key's service identity) with the granted scopes, that
// expires after ttl. A client's audience parameter does not choose the aud:
// like Keycloak, the realm decides it.
func (iss *Issuer) Mint(p *shopfloor.Principal, scopes []string, ttl time.Duration) (string, error) {
	c := Claims{
		Claims:            iss.registered(p, iss.audience(), ttl),
		Type:              "Bearer",
		AuthorizedParty:   cmp.Or(p.ClientID, p.AppClientID),
		OAuthApp:          p.AppClientID,
		OrgID:             p.OrgID,
		Email:             p.Email,
		PreferredUsername: p.Email,
		Scope:             strings.Join(scopes, " "),
		KeyGeneration:     p.KeyGeneration,
		GrantID:           p.GrantID,
	}
	if p.ClientID != "" {
		c.PreferredUsername = "service-account-" + p.ClientID
	}
	return iss.sign(c)
}

// idClaims are the claims of an OpenID Connect ID token.
type idClaims struct {
	jwt.Claims
	Type            string `json:"typ"`
	AuthorizedParty string `json:"azp"`
	Nonce           string `json:"nonce,omitempty"`
	Email           string `json:"email"`
	OrgID           int64  `json:"org_id"`
}

// MintIDToken signs an OpenID Connect ID token telling the app that the
// principal signed in, echoing the nonce it sent.
func (iss *Issuer) MintIDToken(p *shopfloor.Principal, nonce string, ttl time.Duration) (string, error) {
	return iss.sign(idClaims{
		Claims:          iss.registered(p, p.AppClientID, ttl),
		Type:            "ID",
		AuthorizedParty: p.AppClientID,
		Nonce:           nonce,
		Email:           p.Email,
		OrgID:           p.OrgID,
	})
}

// registered are the registered claims of a token for p.
func (iss *Issuer) registered(p *shopfloor.Principal, audience string, ttl time.Duration) jwt.Claims {
	now := iss.Now()
	return jwt.Claims{
		Issuer:   iss.URL,
		Subject:  strconv.FormatInt(p.UserID, 10),
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(now.Add(ttl)),
		Audience: jwt.Audience{audience},
		ID:       randomID(),
	}
}

// sign serializes claims as a JWT signed with the current signing key:
// the claims' JSON is the payload as it is (go-jose's jwt builder would
// marshal, parse and marshal it again to merge claims it is given apart).
func (iss *Issuer) sign(claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("auth: claims: %w", err)
	}
	signed, err := iss.Keys.current().signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("auth: sign: %w", err)
	}
	return signed.CompactSerialize()
}

// every algorithm go-jose knows, so that a well-formed token signed with
// another is told apart from a malformed one.
var anyAlgorithm = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.HS256, jose.HS384, jose.HS512, jose.EdDSA}

// Verify checks a token and returns its claims, or a 401 *shopfloor.Error
// with the contract's message for what is wrong with it.
func (iss *Issuer) Verify(ctx context.Context, token string) (*Claims, error) {
	if c, ok := iss.verified.get(ctx, iss.Keys, token); ok {
		return iss.current(c)
	}
	tok, err := jwt.ParseSigned(token, anyAlgorithm)
	if err != nil || len(tok.Headers) != 1 {
		return nil, unauthenticated(MsgUnparseable)
	}
	h := tok.Headers[0]
	if h.Algorithm != string(jose.RS256) {
		return nil, unauthenticated(MsgUnknownKey)
	}
	key, ok := iss.Keys.verifier(ctx, h.KeyID)
	if !ok {
		return nil, unauthenticated(MsgUnknownKey)
	}
	var c Claims
	if err := tok.Claims(key, &c); err != nil {
		return nil, unauthenticated(MsgInvalid)
	}
	if c.Expiry == nil {
		return nil, unauthenticated(MsgInvalid)
	}
	valid, err := iss.current(&c)
	if err == nil {
		iss.verified.put(token, h.KeyID, key, &c)
	}
	return valid, err
}

// current returns the claims of a token whose signature holds, and which
// carries an expiry, when they are valid now: not expired, of a user and
// organization of this realm, not before their time, for this API.
func (iss *Issuer) current(c *Claims) (*Claims, error) {
	now := iss.Now()
	if !now.Before(c.Expiry.Time()) {
		return nil, unauthenticated(MsgExpired)
	}
	if _, err := c.UserID(); err != nil || c.OrgID == 0 || !strings.HasSuffix(c.Issuer, RealmPath) {
		return nil, unauthenticated(MsgInvalid)
	}
	if err := c.Claims.ValidateWithLeeway(jwt.Expected{Time: now, AnyAudience: jwt.Audience{iss.audience()}}, time.Minute); err != nil && !errors.Is(err, jwt.ErrExpired) {
		return nil, unauthenticated(MsgInvalid)
	}
	return c, nil
}

func unauthenticated(msg string) *shopfloor.Error {
	return &shopfloor.Error{Code: shopfloor.CodeUnauthenticated, Message: msg}
}
