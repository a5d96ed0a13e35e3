package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// The command-line contract: serve seeds a new data directory and writes
// demo-credentials.json; token prints a token that the server accepts.
func TestServeWritesDemoCredentials(t *testing.T) {
	s := startSeeding(t)
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

// Asking for help prints the commands, one line each, and exits 0; it
// never starts a server.
func TestHelpListsCommands(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{}, {"help"}, {"--help"}, {"-h"}} {
		t.Run(strings.Join(append([]string{"shopfloor"}, args...), " "), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "data")
			env := map[string]string{"SHOPFLOOR_DATA": dir, "SHOPFLOOR_ADDR": "127.0.0.1:0"}
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a server started by mistake stops at once
			var out, errOut bytes.Buffer
			if err := run(ctx, args, func(k string) string { return env[k] }, &out, &errOut); err != nil {
				t.Fatalf("err %v, stderr %s", err, errOut.String())
			}
			for _, c := range commands {
				if !strings.Contains(out.String(), "\n  "+c.name+" ") {
					t.Errorf("no line for %q in:\n%s", c.name, out.String())
				}
			}
			if strings.Contains(out.String(), "serving") {
				t.Errorf("started a server:\n%s", out.String())
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("created the data directory: %v", err)
			}
		})
	}
}

// COMMAND --help prints that command's flags on stdout and exits 0; a
// group's --help lists its commands.
func TestCommandHelp(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"serve", "--help"}, []string{"-addr", "-data", "-database-url", "-no-demo", "-body-timeout", "-sqlite-synchronous"}},
		{[]string{"token", "-h"}, []string{"-email", "-ttl", "-scope"}},
		{[]string{"org", "create", "--help"}, []string{"-name", "-domain", "-data"}},
		{[]string{"user", "set", "-help"}, []string{"-email", "-active", "-password"}},
		{[]string{"key", "create", "--help"}, []string{"-email"}},
		{[]string{"keys", "rotate", "--help"}, []string{"-keep"}},
		{[]string{"role", "grant", "--help"}, []string{"-as", "-name", "-permission"}},
		{[]string{"team", "create", "-h"}, []string{"-as", "-supervisor"}},
		{[]string{"org", "--help"}, []string{"  org create ", "  org set "}},
		{[]string{"keys", "help"}, []string{"  keys rotate ", "  keys list "}},
		{[]string{"explain", "--help"}, []string{"-status"}},
		{[]string{"query", "--help"}, []string{"-url", "-client-id", "-client-secret", "-token", "-var", "-json"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			dir := t.TempDir()
			if err := run(ctx, c.args, func(k string) string { return map[string]string{"SHOPFLOOR_DATA": dir}[k] }, &out, &errOut); err != nil {
				t.Fatalf("err %v, stderr %s", err, errOut.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("no %q in:\n%s", w, out.String())
				}
			}
			if errOut.Len() > 0 {
				t.Errorf("help went to stderr: %s", errOut.String())
			}
		})
	}
	// A mistake still fails, on stderr.
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &errOut); err == nil ||
		err.Error() != `unknown command "frobnicate"` || !strings.Contains(errOut.String(), "  serve ") {
		t.Errorf("unknown command: %v, stderr %s", err, errOut.String())
	}
	if err := run(context.Background(), []string{"org"}, func(string) string { return "" }, &out, &errOut); err == nil {
		t.Error("org without a command succeeded")
	}
}

// The banner's token lives as long as the token endpoint's (--token-ttl),
// and the banner says so.
func TestBannerTokenTTL(t *testing.T) {
	s := startServer(t, "--token-ttl", "5m")
	if !strings.Contains(s.Stdout.String(), ", valid 5m), and a query to try:") {
		t.Errorf("banner does not say 5m:\n%s", s.Stdout)
	}
	var tok string
	for _, line := range strings.Split(s.Stdout.String(), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "export TOKEN="); ok {
			tok = v
		}
	}
	c := claims(t, tok)
	if life := c["exp"].(float64) - c["iat"].(float64); life != 300 {
		t.Errorf("banner token lives %vs, want 300", life)
	}
}

// The demo data directory, with its secrets, is ignored by git wherever
// serve creates it in a clone.
func TestDataDirectoryIgnoredByGit(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"shopfloor-data/demo-credentials.json", "cmd/shopfloor/shopfloor-data/shopfloor.db"} {
		cmd := exec.Command("git", "check-ignore", "--no-index", "-q", path)
		cmd.Dir = "../.."
		if err := cmd.Run(); err != nil {
			t.Errorf("%s is not ignored by git: %v", path, err)
		}
	}
}

// With --no-demo and no organization, the banner's commands, run as
// printed, make an organization, an admin, a key and a working token.
func TestNoDemoBannerCommandsWork(t *testing.T) {
	s := startServer(t, "--no-demo")
	fill := strings.NewReplacer("NAME", "Acme", "DOMAIN", "acme.example", "EMAIL", "ada@acme.example", "PASSWORD", "correct-horse-battery")
	var printed, tok string
	for _, line := range strings.Split(s.Stdout.String(), "\n") {
		cmdline, ok := strings.CutPrefix(line, "  shopfloor ")
		if !ok {
			continue
		}
		printed += cmdline + "\n"
		var out, errOut bytes.Buffer
		if err := run(context.Background(), strings.Fields(fill.Replace(cmdline)), func(string) string { return "" }, &out, &errOut); err != nil {
			t.Fatalf("shopfloor %s: %v %s", cmdline, err, errOut.String())
		}
		tok = strings.TrimSpace(out.String())
	}
	for _, want := range []string{"org create --data " + s.Dir, "user create --data " + s.Dir, "key create --data " + s.Dir, "token --data " + s.Dir} {
		if !strings.Contains(printed, want) {
			t.Fatalf("banner lacks %q:\n%s", want, s.Stdout)
		}
	}
	var me struct{ Email string }
	s.gql(t, tok, `{ me { email } }`, nil).must(t).field(t, "me", &me)
	if me.Email != "ada@acme.example" {
		t.Errorf("token acts as %q", me.Email)
	}
	if !strings.Contains(s.operator(t, "keys", "list"), "live") { // the same store
		t.Error("no live signing key")
	}
}

// --sqlite-synchronous takes normal or full, nothing else.
func TestSQLiteSynchronousFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--sqlite-synchronous", "sometimes"}, func(string) string { return "" }, &out, &errOut)
	if err == nil || err.Error() != `serve: --sqlite-synchronous: want normal or full, not "sometimes"` {
		t.Errorf("got %v", err)
	}
	s := startServer(t, "--no-demo", "--sqlite-synchronous", "full")
	if res, err := httpGet(s.URL + "/readyz"); err != nil || res.status != 200 {
		t.Errorf("readyz: %v %+v", err, res)
	}
}
