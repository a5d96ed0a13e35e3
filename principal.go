package shopfloor

import (
	"context"
	"fmt"
)

// Principal is the authenticated caller of a request: a user, or an API key
// acting as its service identity. It travels in the request context, and
// every store call is scoped to its OrgID.
type Principal struct {
	OrgID       int64
	UserID      int64
	Email       string
	ClientID    string // the API key's client id; empty for a user token
	AppClientID string // the OAuth app a user token was issued to, if any
	// KeyGeneration is the API key's token generation (APIKey), and GrantID
	// the OAuth grant a user token through an app comes from: a token
	// carries both, and is revoked when the key moves on or the grant is.
	KeyGeneration int64
	GrantID       int64
	Permissions   map[Permission]bool
	Access
}

// Can reports whether the principal holds permission p.
func (p *Principal) Can(perm Permission) bool { return p.Permissions[perm] }

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of ctx, or an unauthenticated error
// when there is none: no store call runs without an organization.
func PrincipalFrom(ctx context.Context) (*Principal, error) {
	if p, ok := ctx.Value(principalKey{}).(*Principal); ok && p != nil {
		return p, nil
	}
	return nil, &Error{Code: CodeUnauthenticated, Message: MsgNoCredentials}
}

// MsgNoCredentials is the 401 message for a request with no credentials.
const MsgNoCredentials = "Please provide proper credentials"

// Authorize returns the principal of ctx when it holds perm, and the
// contract's 403 naming verb and resource otherwise.
func Authorize(ctx context.Context, perm Permission) (*Principal, error) {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Can(perm) {
		return nil, Errorf(CodeForbidden, "User does not have permission to perform %s on %s.", perm.Verb(), perm.Resource())
	}
	return p, nil
}

// String identifies the principal in logs without secrets.
func (p *Principal) String() string {
	if p.ClientID != "" {
		return fmt.Sprintf("apikey:%s", p.ClientID)
	}
	return fmt.Sprintf("user:%d", p.UserID)
}
