package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// bannerCertFile is the certificate file the start-up banner names.
func (s *testServer) bannerCertFile(t *testing.T) string {
	t.Helper()
	for _, line := range strings.Split(s.Stdout.String(), "\n") {
		if path, ok := strings.CutPrefix(strings.TrimSpace(line), "TLS certificate:"); ok {
			return strings.TrimSpace(path)
		}
	}
	t.Fatalf("no TLS certificate in the banner:\n%s", s.Stdout)
	return ""
}

// trusting is an HTTP client whose only trusted roots are certFile's.
func trusting(t *testing.T, certFile string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", certFile)
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
}

// exchangeAndQuery gets a token for key over client and runs a query with
// it as a bare token, as ION's scripts do.
func exchangeAndQuery(t *testing.T, client *http.Client, base string, clientID, secret string) error {
	t.Helper()
	resp, err := client.PostForm(base+"/realms/api-keys/protocol/openid-connect/token",
		url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}, "audience": {base}})
	if err != nil {
		return err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("token: HTTP %d %v", resp.StatusCode, err)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(`{"query": "{ me { email } }"}`))
	req.Header.Set("Authorization", tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err = client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"me":{"email":`) {
		t.Fatalf("query: HTTP %d %s", resp.StatusCode, body)
	}
	return nil
}

// serve --tls serves HTTPS with a self-signed certificate it makes in the
// data directory and names in the banner: a client trusting only that file
// exchanges a key and queries; one that does not trust it is refused.
func TestServeTLSSelfSigned(t *testing.T) {
	s := startServer(t, "--tls")
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %s", s.URL)
	}
	certFile := s.bannerCertFile(t)
	if want := filepath.Join(s.Dir, TLSCertFile); certFile != want {
		t.Fatalf("banner names %s, want %s", certFile, want)
	}
	for _, want := range []string{"REQUESTS_CA_BUNDLE=" + certFile, "SSL_CERT_FILE=" + certFile, "Token URL:  https://"} {
		if !strings.Contains(s.Stdout.String(), want) {
			t.Fatalf("banner lacks %q:\n%s", want, s.Stdout)
		}
	}
	if info, err := os.Stat(filepath.Join(s.Dir, TLSKeyFile)); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	key := s.apiKey(t, 0, shopfloor.RoleAdmin)
	if err := exchangeAndQuery(t, trusting(t, certFile), s.URL, key.ClientID, key.ClientSecret); err != nil {
		t.Fatal(err)
	}
	signIn := authPath + "?" + authParams(s.Creds.Orgs[0].OAuthApps[0], "openid", newPKCE()).Encode()
	for _, path := range []string{"/playground", "/realms/api-keys/protocol/openid-connect/certs", signIn} {
		resp, err := trusting(t, certFile).Get(s.URL + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
	// The system's roots do not include it.
	_, err := http.Post(s.URL+"/graphql", "application/json", strings.NewReader(`{"query": "{ me { email } }"}`))
	if _, unknown := errors.AsType[x509.UnknownAuthorityError](err); !unknown {
		t.Fatalf("an untrusting client got %v, want x509.UnknownAuthorityError", err)
	}
}

// The self-signed pair is made once and reused: a restart serves the same
// certificate, so clients keep trusting it.
func TestSelfSignedCertificateIsReused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certFile, keyFile, err := selfSigned(dir)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(certFile)
	firstKey, _ := os.ReadFile(keyFile)
	if _, _, err := selfSigned(dir); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(certFile)
	againKey, _ := os.ReadFile(keyFile)
	if !bytes.Equal(first, again) || !bytes.Equal(firstKey, againKey) {
		t.Fatal("the certificate was made again")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	leaf := cert.Leaf
	if err := leaf.VerifyHostname("localhost"); err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"127.0.0.1", "::1"} {
		if err := leaf.VerifyHostname(ip); err != nil {
			t.Fatal(err)
		}
	}
}

// --tls-cert and --tls-key serve the operator's own pair; one without the
// other is refused at start-up.
func TestServeTLSOperatorCertificate(t *testing.T) {
	own := t.TempDir()
	certFile, keyFile, err := selfSigned(own)
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, "--tls-cert", certFile, "--tls-key", keyFile)
	if got := s.bannerCertFile(t); got != certFile {
		t.Fatalf("banner names %s, want %s", got, certFile)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, TLSCertFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a self-signed certificate was made too: %v", err)
	}
	key := s.apiKey(t, 0, shopfloor.RoleAdmin)
	if err := exchangeAndQuery(t, trusting(t, certFile), s.URL, key.ClientID, key.ClientSecret); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	err = run(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--tls-cert", certFile}, func(string) string { return "" }, &out, &errOut)
	if err == nil || err.Error() != "serve: --tls-cert and --tls-key go together" {
		t.Fatalf("--tls-cert alone: %v", err)
	}
}
