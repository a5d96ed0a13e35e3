package shopfloor

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Organization is a tenant. Every other row belongs to exactly one.
type Organization struct {
	ID             int64
	Name           string
	Domain         string
	State          string // OrgActive, OrgBlocked or OrgReadOnly
	ReadOnlySchema bool   // the tenant's schema is flagged read-only
	LoginDomains   []string
	Settings       OrganizationSettings
	Etag           string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// The states of an organization.
const (
	OrgActive   = "ACTIVE"
	OrgBlocked  = "BLOCKED"   // no sign-in, no request: 401
	OrgReadOnly = "READ_ONLY" // reads work, every mutation is a 403
)

// OrgStates lists the states an organization may be put in.
var OrgStates = []string{OrgActive, OrgBlocked, OrgReadOnly}

// User is a person or the service identity of an API key.
type User struct {
	ID        int64
	OrgID     int64
	Name      string
	Email     string
	Kind      string // UserPerson or UserService
	Active    bool
	Etag      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// The kinds of user.
const (
	UserPerson  = "PERSON"
	UserService = "SERVICE" // one per API key; never signs in
)

// UserFields are the fields of a user an admin may change.
type UserFields struct {
	Name   *string `json:"name"`
	Active *bool   `json:"active"`
}

// Validate normalizes and checks the fields.
func (f *UserFields) Validate() error {
	c := &check{entity: "User"}
	if f.Name != nil {
		c.text("name", f.Name, true, MaxName)
	}
	return c.result()
}

// OrganizationFields are the settings of an organization its admins may
// change; its state, schema flag and feature flags are the operator's
// (the shopfloor command).
type OrganizationFields struct {
	Name         *string                    `json:"name"`
	LoginDomains []string                   `json:"loginDomains"`
	Settings     *OrganizationSettingsPatch `json:"settings"`
}

// Validate normalizes the fields (trimmed, domains lower-cased) and checks
// them.
func (f *OrganizationFields) Validate() error {
	c := &check{entity: "Organization"}
	if f.Name != nil {
		c.text("name", f.Name, true, MaxName)
	}
	c.count("loginDomains", len(f.LoginDomains), MaxLoginDomains)
	for i := range f.LoginDomains {
		if c.err != nil {
			break
		}
		d := &f.LoginDomains[i]
		c.text("loginDomains", d, false, MaxDomain)
		if *d = strings.ToLower(*d); c.err == nil && (*d == "" || strings.ContainsAny(*d, ", @/") || !strings.Contains(*d, ".")) {
			c.fail("loginDomains", "must be domain names; '%s' is not.", *d)
		}
	}
	return c.result()
}

// KeepsSignIn refuses login domains (validated) that would lock out the
// person whose email is given: the caller of the change may not shut
// themselves out.
func (f OrganizationFields) KeepsSignIn(email string) error {
	_, domain, _ := strings.Cut(strings.ToLower(email), "@")
	if f.LoginDomains == nil || slices.Contains(f.LoginDomains, domain) {
		return nil
	}
	return Errorf(CodeInvalid, "Organization loginDomains must include %s: without it, the caller could no longer sign in.", domain)
}

// OrgService reads the caller's own organization and users.
type OrgService interface {
	// Me returns the calling user (the service identity of an API key).
	Me(ctx context.Context) (*User, error)
	// Organization returns the caller's organization.
	Organization(ctx context.Context) (*Organization, error)
	// UserRoles returns the roles of a user of the caller's organization.
	UserRoles(ctx context.Context, userID int64) ([]Role, error)
	// Users lists the caller's organization's users.
	Users(ctx context.Context, opts ListOptions) (*Page[User], error)
	// UsersByIDs returns the caller's organization's users among ids.
	UsersByIDs(ctx context.Context, ids []int64) ([]User, error)
	// UpdateUser changes a user; deactivating one disables the API keys
	// they made.
	UpdateUser(ctx context.Context, id int64, etag string, f UserFields) (*User, error)
	// UpdateOrganization changes the caller's organization; any other id
	// is the cross-org 403.
	UpdateOrganization(ctx context.Context, id int64, etag string, f OrganizationFields) (*Organization, error)
}

// APIKeyService manages the caller's organization's API keys.
type APIKeyService interface {
	APIKeys(ctx context.Context, opts ListOptions) (*Page[APIKey], error)
	// CreateCallerAPIKey makes a key holding the caller's permissions and
	// returns it with its secret.
	CreateCallerAPIKey(ctx context.Context) (*APIKey, string, error)
	// UpdateAPIKey enables or disables a key and, when asked, returns a new
	// secret; an etag, when given, must be current.
	UpdateAPIKey(ctx context.Context, clientID, etag string, enabled *bool, regenerate bool) (*APIKey, string, error)
	DeleteAPIKey(ctx context.Context, clientID, etag string) (*APIKey, error)
}
