package auth

import (
	"context"
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

// RealmPath is where the API-key realm lives, as on ION's Keycloak.
const RealmPath = "/realms/api-keys"

// Claims are the claims of a Shopfloor access token.
type Claims struct {
	jwt.Claims
	Type              string `json:"typ,omitempty"`
	AuthorizedParty   string `json:"azp,omitempty"` // the API key's client id
	OrgID             int64  `json:"org_id"`
	Email             string `json:"email,omitempty"`
	PreferredUsername string `json:"preferred_username,omitempty"`
	Scope             string `json:"scope,omitempty"`
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
}

func (iss *Issuer) audience() string {
	if iss.Audience == "" {
		return DefaultAudience
	}
	return iss.Audience
}

// IssuerURL is the realm URL for a server reached at baseURL.
func IssuerURL(baseURL string) string { return strings.TrimSuffix(baseURL, "/") + RealmPath }

// Mint signs a token for a principal (a user, or an API key's service
// identity) with the granted scopes, that expires after ttl. A client's
// audience parameter does not choose the aud: like Keycloak, the realm
// decides it.
func (iss *Issuer) Mint(p *shopfloor.Principal, scopes []string, ttl time.Duration) (string, error) {
	now := iss.Now()
	c := Claims{
		Claims: jwt.Claims{
			Issuer:   iss.URL,
			Subject:  strconv.FormatInt(p.UserID, 10),
			IssuedAt: jwt.NewNumericDate(now),
			Expiry:   jwt.NewNumericDate(now.Add(ttl)),
			Audience: jwt.Audience{iss.audience()},
			ID:       randomID(),
		},
		Type:              "Bearer",
		AuthorizedParty:   p.ClientID,
		OrgID:             p.OrgID,
		Email:             p.Email,
		PreferredUsername: p.Email,
		Scope:             strings.Join(scopes, " "),
	}
	if p.ClientID != "" {
		c.PreferredUsername = "service-account-" + p.ClientID
	}
	keys := iss.Keys.current()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: keys.sign},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", keys.signKID))
	if err != nil {
		return "", fmt.Errorf("auth: signer: %w", err)
	}
	return jwt.Signed(signer).Claims(c).Serialize()
}

// every algorithm go-jose knows, so that a well-formed token signed with
// another is told apart from a malformed one.
var anyAlgorithm = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.HS256, jose.HS384, jose.HS512, jose.EdDSA}

// Verify checks a token and returns its claims, or a 401 *shopfloor.Error
// with the contract's message for what is wrong with it.
func (iss *Issuer) Verify(ctx context.Context, token string) (*Claims, error) {
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
	now := iss.Now()
	if c.Expiry == nil {
		return nil, unauthenticated(MsgInvalid)
	}
	if !now.Before(c.Expiry.Time()) {
		return nil, unauthenticated(MsgExpired)
	}
	if _, err := c.UserID(); err != nil || c.OrgID == 0 || !strings.HasSuffix(c.Issuer, RealmPath) {
		return nil, unauthenticated(MsgInvalid)
	}
	if err := c.Claims.ValidateWithLeeway(jwt.Expected{Time: now, AnyAudience: jwt.Audience{iss.audience()}}, time.Minute); err != nil && !errors.Is(err, jwt.ErrExpired) {
		return nil, unauthenticated(MsgInvalid)
	}
	return &c, nil
}

func unauthenticated(msg string) *shopfloor.Error {
	return &shopfloor.Error{Code: shopfloor.CodeUnauthenticated, Message: msg}
}
