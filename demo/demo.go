// Package demo seeds a new data directory with a demo data set: two
// organizations, their users and API keys, a role and a team, and a
// plausible shop floor (locations, part subtypes, parts and inventory,
// suppliers, purchase orders in several statuses and receipts, a released
// procedure and a run of it, an mBOM) and a paused webhook receiver with its
// delivery log,
// written through the same store calls, and so the same rules, as the API.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// Credentials is demo-credentials.json: how to reach the server and sign in
// as each demo organization.
type Credentials struct {
	GraphQLURL string `json:"graphql_url"`
	TokenURL   string `json:"token_url"`
	// AuthorizationURL is where OAuth apps send people to sign in.
	AuthorizationURL string `json:"authorization_url"`
	Orgs             []Org  `json:"orgs"`
}

// Org is one demo organization's credentials.
type Org struct {
	Name      string     `json:"name"`
	Domain    string     `json:"domain"`
	APIKeys   []APIKey   `json:"api_keys"`
	Users     []User     `json:"users"`
	OAuthApps []OAuthApp `json:"oauth_apps"`
}

// APIKey is a demo API key and the role of the user it acts as.
type APIKey struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	Role         string `json:"role"`
}

// OAuthApp is a demo OAuth app: a public client that signs people in with
// the authorization-code flow and PKCE.
type OAuthApp struct {
	ID          int64  `json:"id"`
	ClientID    string `json:"client_id"`
	RedirectURI string `json:"redirect_uri"`
}

// DemoCallback is the demo apps' registered callback.
const DemoCallback = "http://localhost:8000/callback"

// User is a demo user, with the password that signs them in to OAuth
// apps on the sign-in page.
type User struct {
	Email    string `json:"email"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// orgSpec describes one demo organization.
type orgSpec struct {
	name, domain, prefix string
	parts                int
	revised              bool // its first part has a revision B
}

var orgs = []orgSpec{
	{"Acme Aerospace", "acme.example", "ACME", 60, false},
	{"Globex Robotics", "globex.example", "GBX", 40, true},
}

// Seed writes the demo data set into a new store; with files (the blob
// store), its first part in each organization has attachments too.
func Seed(ctx context.Context, s *sqlstore.Store, files Blobs) ([]Org, error) {
	var out []Org
	for _, spec := range orgs {
		o, err := seedOrg(ctx, s, spec, files)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", spec.name, err)
		}
		out = append(out, *o)
	}
	return out, nil
}

func seedOrg(ctx context.Context, s *sqlstore.Store, spec orgSpec, files Blobs) (*Org, error) {
	org, err := s.CreateOrganization(ctx, spec.name, spec.domain)
	if err != nil {
		return nil, err
	}
	creds := &Org{Name: spec.name, Domain: spec.domain}
	var admin *shopfloor.User
	for _, u := range []struct{ local, name, role string }{
		{"admin", "Ada Admin", shopfloor.RoleAdmin},
		{"viewer", "Vic Viewer", shopfloor.RoleReadOnly},
	} {
		user, err := s.CreateUser(ctx, org.ID, u.local+"@"+spec.domain, u.name, u.role)
		if err != nil {
			return nil, err
		}
		key, err := s.CreateAPIKey(ctx, org.ID, user.ID)
		if err != nil {
			return nil, err
		}
		password := rand.Text()
		hash, err := auth.HashGeneratedPassword(password)
		if err != nil {
			return nil, err
		}
		if err := s.SetPasswordHash(ctx, user.ID, hash); err != nil {
			return nil, err
		}
		creds.Users = append(creds.Users, User{Email: user.Email, Role: u.role, Password: password})
		creds.APIKeys = append(creds.APIKeys, APIKey{ClientID: key.ClientID, ClientSecret: key.ClientSecret, Role: u.role})
		if admin == nil {
			admin = user
		}
	}
	id, err := s.Identity(ctx, admin.ID, "")
	if err != nil {
		return nil, err
	}
	ctx = shopfloor.WithPrincipal(ctx, &id.Principal)
	app, err := seedApp(ctx, s, spec)
	if err != nil {
		return nil, err
	}
	creds.OAuthApps = append(creds.OAuthApps, *app)
	if err := seedTeam(ctx, s, admin.ID); err != nil {
		return nil, err
	}
	if err := seedFloor(ctx, s, spec, files); err != nil {
		return nil, err
	}
	if err := seedQuality(ctx, s, spec); err != nil {
		return creds, err
	}
	if err := seedSupply(ctx, s, spec); err != nil {
		return creds, err
	}
	if err := seedProcedure(ctx, s, spec); err != nil {
		return creds, err
	}
	if err := seedRun(ctx, s, spec); err != nil {
		return creds, err
	}
	if err := seedMBom(ctx, s, spec); err != nil {
		return creds, err
	}
	return creds, seedWebhooks(ctx, s, spec)
}

// seedApp registers a demo OAuth app whose callback is on the user's own
// machine, to try the sign-in page with.
func seedApp(ctx context.Context, s *sqlstore.Store, spec orgSpec) (*OAuthApp, error) {
	app, err := s.RegisterOAuthApp(ctx, spec.name+" Dashboard", "regular_web")
	if err != nil {
		return nil, err
	}
	uri, err := s.AddOAuthRedirectURI(ctx, app.ID, DemoCallback, shopfloor.URICallback)
	if err != nil {
		return nil, err
	}
	return &OAuthApp{ID: app.ID, ClientID: app.ClientID, RedirectURI: uri.URI}, nil
}
