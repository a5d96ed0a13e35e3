package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// The command-line contract: serve seeds a new data directory and writes
// demo-credentials.json; token prints a token that the server accepts.
func TestServeWritesDemoCredentials(t *testing.T) {
	s := startServer(t)
	info, err := os.Stat(filepath.Join(s.Dir, CredentialsFile))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("credentials file mode %v, want 0600", info.Mode().Perm())
	}
	c := s.Creds
	if c.GraphQLURL != s.URL+"/graphql" || c.TokenURL != s.URL+"/realms/api-keys/protocol/openid-connect/token" {
		t.Errorf("urls %q %q", c.GraphQLURL, c.TokenURL)
	}
	if len(c.Orgs) < 2 {
		t.Fatalf("want at least two orgs, got %d", len(c.Orgs))
	}
	for i, org := range c.Orgs {
		if org.Name == "" || org.Domain == "" || len(org.Users) == 0 {
			t.Errorf("org %d incomplete: %+v", i, org)
		}
		for _, role := range []string{shopfloor.RoleAdmin, shopfloor.RoleReadOnly} {
			k := s.apiKey(t, i, role)
			if k.ClientID == "" || k.ClientSecret == "" {
				t.Errorf("org %d %s key incomplete", i, role)
			}
			// Every key signs in as its own service identity, in its own org.
			var me struct {
				Email        string
				Organization struct{ Domain string }
			}
			s.gql(t, s.token(t, i, role), `{ me { email organization { domain } } }`, nil).must(t).field(t, "me", &me)
			if me.Organization.Domain != org.Domain || me.Email != "service-account-"+k.ClientID {
				t.Errorf("org %d %s key acts as %+v", i, role, me)
			}
		}
	}
	// The banner's curl carries a working token.
	var tok string
	for _, line := range strings.Split(s.Stdout.String(), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "export TOKEN="); ok {
			tok = v
		}
	}
	if tok == "" {
		t.Fatalf("banner has no token:\n%s", s.Stdout)
	}
	s.gql(t, tok, `{ me { id } }`, nil).must(t)
}

func TestTokenCommand(t *testing.T) {
	s := startServer(t)
	email := s.Creds.Orgs[1].Users[0].Email
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"token", "--data", s.Dir, "--email", email, "--ttl", "5m"}, func(string) string { return "" }, &out, &errOut); err != nil {
		t.Fatalf("token: %v %s", err, errOut.String())
	}
	var me struct{ Email string }
	s.gql(t, strings.TrimSpace(out.String()), `{ me { email } }`, nil).must(t).field(t, "me", &me)
	if me.Email != email {
		t.Errorf("token acts as %q, want %q", me.Email, email)
	}
	if err := run(context.Background(), []string{"token", "--data", s.Dir, "--email", "nobody@nowhere.example"}, func(string) string { return "" }, &out, &errOut); err == nil {
		t.Error("token for an unknown user succeeded")
	}
}

func TestNoDemo(t *testing.T) {
	s := startServer(t, "--no-demo")
	if _, err := os.Stat(filepath.Join(s.Dir, CredentialsFile)); !os.IsNotExist(err) {
		t.Errorf("--no-demo wrote credentials: %v", err)
	}
	if !strings.Contains(s.Stdout.String(), "shopfloor token --data") {
		t.Errorf("banner does not say how to get a token:\n%s", s.Stdout)
	}
}

func TestHealthAndDiscovery(t *testing.T) {
	s := startServer(t, "--no-demo")
	for _, path := range []string{"/healthz", "/readyz", "/realms/api-keys/.well-known/openid-configuration", "/auth/realms/api-keys/protocol/openid-connect/certs"} {
		resp, err := httpGet(s.URL + path)
		if err != nil || resp.status != 200 {
			t.Errorf("GET %s: %v %+v", path, err, resp)
		}
	}
	resp, _ := httpGet(s.URL + "/realms/api-keys/.well-known/openid-configuration")
	var d struct {
		Issuer        string `json:"issuer"`
		TokenEndpoint string `json:"token_endpoint"`
	}
	json.Unmarshal(resp.body, &d)
	if d.Issuer != s.URL+"/realms/api-keys" || d.TokenEndpoint != s.URL+"/realms/api-keys/protocol/openid-connect/token" {
		t.Errorf("discovery %+v", d)
	}
}
