// Package demo seeds a new data directory with a demo data set: two
// organizations, their users and API keys, a role and a team, and a
// plausible shop floor (locations, part subtypes, parts and inventory),
// written through the same store calls, and so the same rules, as the API.
package demo

import (
	"context"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// Credentials is demo-credentials.json: how to reach the server and sign in
// as each demo organization.
type Credentials struct {
	GraphQLURL string `json:"graphql_url"`
	TokenURL   string `json:"token_url"`
	Orgs       []Org  `json:"orgs"`
}

// Org is one demo organization's credentials.
type Org struct {
	Name    string   `json:"name"`
	Domain  string   `json:"domain"`
	APIKeys []APIKey `json:"api_keys"`
	Users   []User   `json:"users"`
}

// APIKey is a demo API key and the role of the user it acts as.
type APIKey struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	Role         string `json:"role"`
}

// User is a demo user.
type User struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

// orgSpec describes one demo organization.
type orgSpec struct {
	name, domain, prefix string
	parts                int
}

var orgs = []orgSpec{
	{"Acme Aerospace", "acme.example", "ACME", 60},
	{"Globex Robotics", "globex.example", "GBX", 40},
}

// Seed writes the demo data set into a new store.
func Seed(ctx context.Context, s *sqlstore.Store) ([]Org, error) {
	var out []Org
	for _, spec := range orgs {
		o, err := seedOrg(ctx, s, spec)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", spec.name, err)
		}
		out = append(out, *o)
	}
	return out, nil
}

func seedOrg(ctx context.Context, s *sqlstore.Store, spec orgSpec) (*Org, error) {
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
		creds.Users = append(creds.Users, User{Email: user.Email, Role: u.role})
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
	if err := seedTeam(ctx, s, admin.ID); err != nil {
		return nil, err
	}
	return creds, seedFloor(ctx, s, spec)
}
