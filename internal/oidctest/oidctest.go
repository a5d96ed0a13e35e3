// Package oidctest runs a real OpenID Connect issuer for tests: the npm
// package oauth2-mock-server under Node.js (issuer.mjs beside this file),
// on loopback, with discovery, JWKS and a token endpoint that signs the
// claims a test asks for.
//
// scripts/test installs Node.js when it is missing and runs npm ci in this
// directory. Without them Start fails the test: nothing is skipped.
package oidctest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// Issuer is a running issuer.
type Issuer struct {
	// URL is the issuer URL, as its discovery document and its tokens' iss
	// say: http://127.0.0.1:PORT.
	URL string
}

// Start runs an issuer on 127.0.0.1:port (0: a free port) until the test
// ends.
func Start(tb testing.TB, port int) *Issuer {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		tb.Fatalf("oidctest: Node.js is missing (scripts/test installs it): %v", err)
	}
	_, file, _, _ := runtime.Caller(0)
	var stderr bytes.Buffer
	cmd := exec.Command(node, "issuer.mjs", strconv.Itoa(port))
	cmd.Dir, cmd.Stderr = filepath.Dir(file), &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("oidctest: %v", err)
	}
	urls, exited := make(chan string, 1), make(chan error, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		if lines.Scan() {
			urls <- lines.Text()
		}
		io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	select {
	case u := <-urls:
		tb.Cleanup(func() {
			stdin.Close() // the issuer stops when its input ends
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-exited
			}
		})
		return &Issuer{URL: u}
	case err := <-exited:
		tb.Fatalf("oidctest: the issuer exited: %v\n%s(scripts/test runs npm ci in internal/oidctest)", err, &stderr)
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
		tb.Fatalf("oidctest: the issuer did not start within 30s:\n%s", &stderr)
	}
	return nil
}

// Token returns an access token of the issuer (the client-credentials
// grant) whose payload carries claims over those the issuer sets itself
// (iss, iat, nbf, exp an hour on); a nil value removes a claim.
func (i *Issuer) Token(tb testing.TB, claims map[string]any) string {
	tb.Helper()
	raw, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.PostForm(i.URL+"/token", url.Values{"grant_type": {"client_credentials"}, "claims": {string(raw)}})
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || body.AccessToken == "" {
		tb.Fatalf("oidctest: token: %d %v", resp.StatusCode, err)
	}
	return body.AccessToken
}
