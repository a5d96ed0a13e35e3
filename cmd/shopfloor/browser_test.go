package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// browserDir holds drive.mjs, which drives Debian's Chromium with
// playwright-core; scripts/test installs both.
const browserDir = "../../internal/browsertest"

// browserVisit is a page to open in Chromium, the forms to submit on it,
// and the elements (CSS selectors) whose text each snapshot reads. WaitFor
// and Screenshot apply to the page's loading, as to a submit's.
type browserVisit struct {
	URL        string          `json:"url"`
	Submits    []browserSubmit `json:"submits"`
	Read       []string        `json:"read,omitempty"`
	WaitFor    *browserWait    `json:"waitFor,omitempty"`
	Screenshot string          `json:"screenshot,omitempty"`
}

// browserSubmit fills fields (by CSS selector), pastes text into editors
// (by selector: select all, then paste), and clicks a button. It then
// waits for the page the click leads to or, with WaitFor, for a text on
// this page; Screenshot, when set, is the PNG file to save.
type browserSubmit struct {
	Fields     map[string]string `json:"fields,omitempty"`
	Type       map[string]string `json:"type,omitempty"`
	Click      string            `json:"click,omitempty"`
	WaitFor    *browserWait      `json:"waitFor,omitempty"`
	Screenshot string            `json:"screenshot,omitempty"`
}

// browserWait waits until the element Selector shows Text.
type browserWait struct {
	Selector string `json:"selector"`
	Text     string `json:"text"`
}

// browserPage is what Chromium showed after loading a page.
type browserPage struct {
	URL         string
	Navigations []struct { // the main frame's, redirects included
		Method, URL string
		Status      int
	}
	Heading, Error, Text string
	Read                 map[string]string // the visit's Read selectors' texts
	Requests             []string          // "METHOD URL" of every request since the last snapshot
	Kept                 struct {          // what the browser keeps for the server's origin
		LocalStorage map[string]string
		Cookies      []string
	}
}

// trail tells the page's navigations as "METHOD path status" joined by
// " > ".
func (p browserPage) trail() string {
	var steps []string
	for _, n := range p.Navigations {
		u, _ := url.Parse(n.URL)
		steps = append(steps, fmt.Sprintf("%s %s %d", n.Method, u.Path, n.Status))
	}
	return strings.Join(steps, " > ")
}

// drive runs the visits in headless Chromium and returns, for each, the
// page after loading and after each submit. A console error other than a
// 4xx answer (a resource the CSP blocked, a script error) fails the test,
// as does a missing browser.
func drive(t *testing.T, visits ...browserVisit) [][]browserPage {
	t.Helper()
	for _, need := range []string{"/usr/bin/chromium", filepath.Join(browserDir, "node_modules", "playwright-core")} {
		if _, err := os.Stat(need); err != nil {
			t.Fatalf("%v: scripts/test installs Debian's chromium and runs npm ci in internal/browsertest", err)
		}
	}
	plan, err := json.Marshal(map[string]any{"visits": visits})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "drive.mjs")
	cmd.Dir, cmd.Stdin = browserDir, bytes.NewReader(plan)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("drive.mjs: %v\n%s", err, stderr.String())
	}
	var seen struct {
		Visits        [][]browserPage
		ConsoleErrors []string
	}
	if err := json.Unmarshal(out, &seen); err != nil || len(seen.Visits) != len(visits) {
		t.Fatalf("drive.mjs printed %s (%v)", out, err)
	}
	for _, e := range seen.ConsoleErrors {
		// Chromium logs each 4xx answer (the 401 pages, the callback's
		// favicon); a test checks the statuses it expects.
		if !strings.HasPrefix(e, "Failed to load resource: the server responded with a status of 4") {
			t.Fatalf("console error: %s", e)
		}
	}
	return seen.Visits
}

// A person signs in on the sign-in page in Chromium: the page names the
// app, answers a wrong password on the page, and the right one sends the
// browser to the app's callback with a code and the state; the app redeems
// the code with its PKCE verifier for a token that acts as the person. A
// deactivated person is told so on the page. The page's CSP lets all of
// this happen without a violation in the console.
func TestSignInPageInChromium(t *testing.T) {
	s := startServer(t)
	callbacks := make(chan url.Values, 2)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) {
		select {
		case callbacks <- r.URL.Query():
		default: // a third call; two already fail the test
		}
		fmt.Fprint(w, "Line Dashboard: signed in.")
	})
	callback := httptest.NewServer(mux)
	defer callback.Close()
	app := s.registerApp(t, "Line Dashboard", callback.URL+"/callback")
	admin, viewer := s.demoUser(t, 0, shopfloor.RoleAdmin), s.demoUser(t, 0, shopfloor.RoleReadOnly)
	s.operator(t, "user", "set", "--email", viewer.Email, "--active=false")

	signIn := func(email, password string) browserSubmit {
		return browserSubmit{Fields: map[string]string{"#email": email, "#password": password}, Click: "#sign-in"}
	}
	p := newPKCE()
	params := authParams(app, "openid", p)
	visits := drive(t,
		browserVisit{URL: s.URL + authPath + "?" + params.Encode(), Submits: []browserSubmit{signIn(admin.Email, "not-the-password"), signIn(admin.Email, admin.Password)}},
		browserVisit{URL: s.URL + authPath + "?" + authParams(app, "", newPKCE()).Encode(), Submits: []browserSubmit{signIn(viewer.Email, viewer.Password)}})

	form, wrong, done := visits[0][0], visits[0][1], visits[0][2]
	if form.trail() != "GET "+authPath+" 200" || form.Heading != "Sign in to Line Dashboard" || form.Error != "" {
		t.Fatalf("sign-in page: %s %+v", form.trail(), form)
	}
	if wrong.trail() != "POST "+authPath+" 401" || wrong.Error != "Invalid username or password." {
		t.Fatalf("wrong password: %s %+v", wrong.trail(), wrong)
	}
	if done.trail() != "POST "+authPath+" 302 > GET /callback 200" || !strings.HasPrefix(done.URL, app.RedirectURI+"?") || done.Text != "Line Dashboard: signed in." {
		t.Fatalf("sign-in: %s %+v", done.trail(), done)
	}
	if deactivated := visits[1][1]; deactivated.trail() != "POST "+authPath+" 401" || deactivated.Error != "User "+viewer.Email+" is deactivated" {
		t.Fatalf("deactivated: %s %+v", deactivated.trail(), deactivated)
	}
	if len(callbacks) != 1 {
		t.Fatalf("the callback was called %d times", len(callbacks))
	}
	q := <-callbacks
	if q.Get("state") != params.Get("state") || q.Get("code") == "" {
		t.Fatalf("callback: %v", q)
	}
	tokens := s.redeem(t, app, q.Get("code"), p.verifier)
	if tokens.status != http.StatusOK {
		t.Fatalf("redeem: %+v", tokens)
	}
	var me struct{ Email string }
	s.gql(t, tokens.AccessToken, `{ me { email } }`, nil).must(t).field(t, "me", &me)
	if me.Email != admin.Email {
		t.Fatalf("me: %s", me.Email)
	}
}
