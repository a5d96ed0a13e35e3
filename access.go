package shopfloor

import (
	"context"
	"fmt"
	"strings"
)

// Feature is a feature flag: an organization has it enabled or not.
type Feature string

// The feature flags, and whether a new organization has them.
const (
	FeatureAPIKeys   Feature = "API_KEYS"   // createApiKey, apiKeys, updateApiKey, deleteApiKey
	FeatureOAuthApps Feature = "OAUTH_APPS" // oauthApps, registerOauthApp, addOauthRedirectUri, deleteOauthApp; apps' sign-in and tokens
)

// Features lists every feature flag with its default.
var Features = map[Feature]bool{FeatureAPIKeys: true, FeatureOAuthApps: true}

// The API scopes a token may carry. A token asked for without either gets
// both; one asked for with one of them is limited to it.
const (
	ScopeRead  = "api:read"  // queries
	ScopeWrite = "api:write" // mutations
)

// Access is what decides, beyond role permissions, whether a principal may
// run an operation at all: its account's and organization's state, its
// token's scopes and its organization's feature flags.
type Access struct {
	Deactivated    bool // the user was deactivated after the token was issued
	OrgState       string
	ReadOnlySchema bool
	Features       map[Feature]bool // the organization's effective flags
	Scopes         map[string]bool  // the token's granted scopes
}

// Admit returns the contract's 403 when the principal of ctx may not run a
// query (mutation false) or mutation at all, in the order a client should
// fix them: the account, the token, the organization.
func Admit(ctx context.Context, mutation bool) error {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	scope, kind := ScopeRead, "queries need"
	if mutation {
		scope, kind = ScopeWrite, "mutations need"
	}
	switch {
	case p.Deactivated:
		return Errorf(CodeForbidden, "User %s is deactivated and may not perform this operation.", p.Email)
	case p.AppClientID != "" && !p.Features[FeatureOAuthApps]:
		return featureOff(FeatureOAuthApps) // the app's tokens lapse with the flag
	case !p.Scopes[scope]:
		return Errorf(CodeForbidden, "OAuth scope insufficient: %s the %s scope.", kind, scope)
	case mutation && p.OrgState == OrgReadOnly:
		return Errorf(CodeForbidden, "This organization is read-only: mutations are not allowed.")
	case mutation && p.ReadOnlySchema:
		return Errorf(CodeForbidden, "This organization's schema is read-only: mutations are not allowed.")
	}
	return nil
}

// RequireFeature returns the contract's 403 unless the organization of ctx
// has feature f enabled.
func RequireFeature(ctx context.Context, f Feature) error {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	if !p.Features[f] {
		return featureOff(f)
	}
	return nil
}

// featureOff is the contract's 403 for a feature flag the organization has
// disabled.
func featureOff(f Feature) error {
	return Errorf(CodeForbidden, "Feature %s is not enabled for this organization.", f)
}

// RequireOwnOrg returns the contract's cross-org 403 unless orgID is the
// organization the principal's token was issued for. Organization ids are
// not secret, so this says so plainly instead of answering not-found.
func RequireOwnOrg(ctx context.Context, orgID int64) (*Principal, error) {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if orgID != p.OrgID {
		return nil, Errorf(CodeForbidden, "Token organization %d does not grant access to organization %d.", p.OrgID, orgID)
	}
	return p, nil
}

// GrantScopes returns the scopes to grant for a requested scope string:
// what was asked for, plus both API scopes when neither was.
func GrantScopes(requested string) []string {
	out, seen := []string{}, map[string]bool{}
	for _, s := range strings.Fields(requested) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if !seen[ScopeRead] && !seen[ScopeWrite] {
		out = append(out, ScopeRead, ScopeWrite)
	}
	return out
}

// ParseFeature returns the feature named s.
func ParseFeature(s string) (Feature, error) {
	f := Feature(strings.ToUpper(s))
	if _, ok := Features[f]; !ok {
		return "", fmt.Errorf("unknown feature %q", s)
	}
	return f, nil
}
