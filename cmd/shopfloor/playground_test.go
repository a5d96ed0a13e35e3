package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/contract"
	"github.com/shopfloor-dev/shopfloor/internal/playground"
)

// screenshotDir is where the browser tests save their screenshots, kept
// after the run as test artefacts (git-ignored).
const screenshotDir = browserDir + "/screenshots"

// screenshot is the absolute path of the test's screenshot name.png.
func screenshot(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(screenshotDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, t.Name()+"-"+name+".png")
}

// Playground selectors: the page's own and GraphiQL's.
const (
	explanation = "#explanation"
	httpStatus  = "#http-status"
	signedIn    = "#signed-in"
	response    = ".graphiql-response"
	execute     = ".graphiql-execute-button"
	variables   = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor"
	docs        = ".graphiql-doc-explorer"
)

// signInWithKey is the page's API key sign-in, done once the page says so.
func signInWithKey(clientID, secret string) browserSubmit {
	return browserSubmit{
		Fields:  map[string]string{"#client-id": clientID, "#client-secret": secret},
		Click:   "#exchange",
		WaitFor: &browserWait{signedIn, "Signed in with API key " + clientID},
	}
}

// In headless Chromium, the playground tells a wrong secret on the page,
// signs in with a demo API key, lists parts, and shows a 409 (a stale etag)
// and a 403 (the read-only key's update) readably: the HTTP status, each
// error's message, path and class, and the cause and fix the contract's
// table (GET /contract.json) gives it.
// The update changes nothing, the token is kept in no localStorage or
// cookie, and no request leaves the server. Screenshots go to
// internal/browsertest/screenshots.
func TestPlaygroundInChromium(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	admin, viewer := s.apiKey(t, 0, shopfloor.RoleAdmin), s.apiKey(t, 0, shopfloor.RoleReadOnly)
	token := s.token(t, 0, shopfloor.RoleAdmin)
	row := s.newCounter(t, token, 5)
	stale := s.readCounter(t, token, row.ID)
	s.gql(t, token, counterIncrement, stale.next(row.ID)).must(t)
	current := s.readCounter(t, token, row.ID)
	update := fmt.Sprintf(`{"id": "%d", "etag": %q, "quantity": 99}`, row.ID, stale.Etag)

	visit := drive(t, browserVisit{
		URL:        s.URL + "/playground",
		Read:       []string{explanation, httpStatus, signedIn, "#sign-in-error", response, docs},
		WaitFor:    &browserWait{httpStatus, "HTTP 401"},
		Screenshot: screenshot(t, "signed-out"),
		Submits: []browserSubmit{
			{Fields: map[string]string{"#client-id": admin.ClientID, "#client-secret": "not-the-secret"}, Click: "#exchange", WaitFor: &browserWait{"#sign-in-error", "HTTP 401"}},
			signInWithKey(admin.ClientID, admin.ClientSecret),
			{Click: execute, WaitFor: &browserWait{httpStatus, "ListParts"}, Screenshot: screenshot(t, "list-parts")},
			{Click: "#graphiql-session-tab-1", WaitFor: &browserWait{".graphiql-tab-active", "UpdateInventory"}},
			{Type: map[string]string{variables: update}, Click: execute, WaitFor: &browserWait{httpStatus, "UpdateInventory"}, Screenshot: screenshot(t, "409")},
			signInWithKey(viewer.ClientID, viewer.ClientSecret),
			{Click: execute, WaitFor: &browserWait{explanation, "permission"}, Screenshot: screenshot(t, "403")},
			{Click: `[aria-label="Show Documentation Explorer"]`, WaitFor: &browserWait{docs, "UpdatePartInventoryInput"}, Screenshot: screenshot(t, "docs")},
		},
	})[0]
	loaded, wrongSecret, listed, conflict, forbidden, schema := visit[0], visit[1], visit[3], visit[5], visit[7], visit[8]

	signedOut := contract.Classify(401, shopfloor.MsgNoCredentials, nil)[0]
	if got := loaded.Read[httpStatus]; got != "HTTP 401 · IntrospectionQuery · 1 error" || !strings.Contains(loaded.Read[explanation], shopfloor.MsgNoCredentials) ||
		!strings.Contains(loaded.Read[explanation], "Fix: "+signedOut.Fix) {
		t.Fatalf("signed out: %q %q", got, loaded.Read[explanation])
	}
	if got := wrongSecret.Read["#sign-in-error"]; !strings.HasPrefix(got, "HTTP 401: ") || wrongSecret.Read[signedIn] != "Not signed in" {
		t.Fatalf("wrong secret: %q %q", got, wrongSecret.Read[signedIn])
	}
	if got := listed.Read[httpStatus]; got != "HTTP 200 · ListParts · no errors" || !strings.Contains(listed.Read[response], `"partNumber"`) {
		t.Fatalf("list parts: %q %s", got, listed.Read[response])
	}
	const denied = "User does not have permission to perform UPDATE on Part Inventory."
	for _, c := range []struct {
		name    string
		page    browserPage
		message string
		code    shopfloor.Code
	}{
		{"409", conflict, shopfloor.MsgEtagMismatch, shopfloor.CodeConflict},
		{"403", forbidden, denied, shopfloor.CodeForbidden},
	} {
		advice := contract.Classify(200, c.message, map[string]any{"code": string(c.code), "status": float64(c.code.Status())})[0]
		for _, want := range []string{"HTTP 200 · UpdateInventory · 1 error", c.message, "path updatePartInventory", fmt.Sprintf("class %d", c.code.Status()),
			"Cause: " + advice.Cause, "Fix: " + advice.Fix} {
			if !strings.Contains(c.page.Read[explanation], want) {
				t.Errorf("%s: the explanation lacks %q:\n%s", c.name, want, c.page.Read[explanation])
			}
		}
	}
	if !strings.Contains(schema.Read[docs], "mutation: Mutation") {
		t.Errorf("docs: %s", schema.Read[docs])
	}
	if after := s.readCounter(t, token, row.ID); after != current {
		t.Errorf("the refused updates changed the row: %+v, was %+v", after, current)
	}
	for _, p := range visit {
		if len(p.Kept.LocalStorage) > 0 || len(p.Kept.Cookies) > 0 {
			t.Fatalf("the page kept %+v", p.Kept)
		}
	}
	onlyServer(t, s.URL, visit)
}

// onlyServer fails the test unless every request of the pages went to the
// server at base.
func onlyServer(t *testing.T, base string, pages []browserPage) {
	t.Helper()
	server, _ := url.Parse(base)
	for _, p := range pages {
		for _, r := range p.Requests {
			_, target, _ := strings.Cut(r, " ")
			if u, err := url.Parse(target); err != nil || u.Host != server.Host {
				t.Errorf("a request left the server: %s", r)
			}
		}
	}
}

// The banner links the playground, which loads from the server alone:
// signed in with a pasted token, it fetches its script, styles, fonts,
// Monaco's three workers, the contract and the schema from the server, and
// nothing from any other host (a request the policy blocked would be a
// console error, which fails the test too). The page is served with the
// strict policy.
func TestPlaygroundLoadsFromServerOnly(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	var page string
	for _, line := range strings.Split(s.Stdout.String(), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Playground:"); ok {
			page = strings.TrimSpace(v)
		}
	}
	if page != s.URL+"/playground" || !strings.Contains(s.Stdout.String(), "(or sign in with it at "+page+")") {
		t.Fatalf("the banner links the playground as %q:\n%s", page, s.Stdout)
	}
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h := resp.Header; resp.StatusCode != http.StatusOK || h.Get("Content-Security-Policy") != playground.Policy ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("GET /playground: %d %v", resp.StatusCode, h)
	}
	visit := drive(t, browserVisit{
		URL:     page,
		Read:    []string{httpStatus, signedIn},
		WaitFor: &browserWait{httpStatus, "HTTP 401"},
		Submits: []browserSubmit{
			{Fields: map[string]string{"#token": "Bearer " + s.token(t, 0, shopfloor.RoleAdmin)}, Click: "#use-token", WaitFor: &browserWait{signedIn, "Signed in with a pasted token"}},
			{Click: execute, WaitFor: &browserWait{httpStatus, "ListParts"}, Screenshot: screenshot(t, "pasted-token")},
		},
	})[0]
	if got := visit[2].Read[httpStatus]; got != "HTTP 200 · ListParts · no errors" {
		t.Fatalf("list parts with a pasted token: %q", got)
	}
	onlyServer(t, s.URL, visit)
	fetched := map[string]bool{}
	for _, p := range visit {
		for _, r := range p.Requests {
			method, target, _ := strings.Cut(r, " ")
			if u, err := url.Parse(target); err == nil {
				fetched[method+" "+u.Path] = true
			}
		}
	}
	for _, want := range []string{"GET /playground", "GET /playground/playground.js", "GET /playground/playground.css", "GET /playground/editor.worker.js",
		"GET /playground/json.worker.js", "GET /playground/graphql.worker.js", "GET /contract.json", "POST /graphql"} {
		if !fetched[want] {
			t.Errorf("the page did not fetch %s: %v", want, fetched)
		}
	}
}
