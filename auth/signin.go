package auth

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/ratelimit"
	"golang.org/x/crypto/bcrypt"
)

// GrantStore is what the OAuth 2.0 flows for user-facing apps need of the
// store: apps, people's passwords, authorization codes and refresh tokens
// (codes and refresh tokens only as hashes).
type GrantStore interface {
	OAuthAppByClientID(ctx context.Context, clientID string) (*shopfloor.OAuthApp, error)
	UserByEmail(ctx context.Context, email string) (*shopfloor.User, error)
	PasswordHash(ctx context.Context, userID int64) (string, error)
	SaveAuthCode(ctx context.Context, c shopfloor.AuthCode) error
	ConsumeAuthCode(ctx context.Context, codeHash string) (*shopfloor.AuthCode, error)
	SaveRefreshToken(ctx context.Context, t shopfloor.RefreshToken) error
	RefreshToken(ctx context.Context, tokenHash string) (*shopfloor.RefreshToken, error)
	RotateRefreshToken(ctx context.Context, oldID int64, next shopfloor.RefreshToken) error
}

// The scopes an app may ask for: OpenID Connect's, and the API's.
var appScopes = []string{"openid", "profile", "email", "offline_access", shopfloor.ScopeRead, shopfloor.ScopeWrite}

// codeTTL is how long an authorization code may wait to be redeemed.
const codeTTL = time.Minute

// MsgBadCredentials is the sign-in page's answer to a wrong email or
// password, as Keycloak words it.
const MsgBadCredentials = "Invalid username or password."

// authRequest is a validated authorization request.
type authRequest struct {
	app                                *shopfloor.OAuthApp
	redirectURI, state, scope, nonce   string
	codeChallenge, codeChallengeMethod string
}

// pageError is an authorization request the app cannot be told about,
// because there is no registered redirect URI to tell it at: the user sees
// it on the page.
type pageError struct {
	status int
	msg    string
}

func (e *pageError) Error() string { return e.msg }

// redirectError is an authorization request refused by redirecting back to
// the app with an OAuth error (RFC 6749 §4.1.2.1).
type redirectError struct{ oauth oauthError }

func (e *redirectError) Error() string { return e.oauth.Description }

var challengeFormat = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// authorizeRequest validates the parameters of an authorization request:
// the client and its exactly-registered callback first, then the rest. A
// *redirectError comes with the request, to redirect with.
func (a *Authenticator) authorizeRequest(ctx context.Context, form url.Values) (*authRequest, error) {
	app, err := a.Grants.OAuthAppByClientID(ctx, form.Get("client_id"))
	if shopfloor.ErrorCode(err) == shopfloor.CodeNotFound {
		return nil, &pageError{http.StatusBadRequest, "Client not found."}
	} else if err != nil {
		return nil, err
	}
	req := &authRequest{app: app, redirectURI: form.Get("redirect_uri"), state: form.Get("state"), scope: form.Get("scope"),
		nonce: form.Get("nonce"), codeChallenge: form.Get("code_challenge"), codeChallengeMethod: form.Get("code_challenge_method")}
	if !app.Callback(req.redirectURI) {
		return nil, &pageError{http.StatusBadRequest, "Invalid parameter: redirect_uri"}
	}
	toApp := func(code, msg string) (*authRequest, error) { return req, &redirectError{oauthError{code, msg}} }
	switch {
	case form.Get("response_type") != "code":
		return toApp("unsupported_response_type", "Client is not allowed to initiate browser login with given response_type. Only the code flow is enabled.")
	case req.codeChallenge == "":
		return toApp("invalid_request", "Missing parameter: code_challenge")
	case req.codeChallengeMethod != "S256":
		return toApp("invalid_request", "Invalid parameter: code_challenge_method")
	case !challengeFormat.MatchString(req.codeChallenge):
		return toApp("invalid_request", "Invalid parameter: code_challenge")
	}
	if refused := invalidScopes(req.scope, appScopes); refused != nil {
		return toApp(refused.Error, refused.Description)
	}
	return req, nil
}

// redirect sends the browser back to the app with params and the state.
func (req *authRequest) redirect(w http.ResponseWriter, r *http.Request, params url.Values) {
	u, _ := url.Parse(req.redirectURI) // registered, so valid
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if req.state != "" {
		q.Set("state", req.state)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// AuthorizeHandler is the realm's authorization endpoint for OAuth apps:
// GET shows the sign-in page for a valid request; POST signs the person in
// and sends the browser back to the app's callback with a single-use code.
func (a *Authenticator) AuthorizeHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			a.page(w, http.StatusBadRequest, signInPage{Error: "Malformed request."})
			return
		}
		req, err := a.authorizeRequest(r.Context(), r.Form)
		var pe *pageError
		var re *redirectError
		switch {
		case errors.As(err, &pe):
			a.page(w, pe.status, signInPage{Error: pe.msg})
			return
		case errors.As(err, &re):
			req.redirect(w, r, url.Values{"error": {re.oauth.Error}, "error_description": {re.oauth.Description}})
			return
		case err != nil:
			a.pageFailure(w, r, err)
			return
		}
		view := signInPage{App: req.app.Name, Form: r.Form, Email: r.PostForm.Get("email")}
		if r.Method != http.MethodPost {
			a.page(w, http.StatusOK, view)
			return
		}
		email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
		if wait := a.attempt(r.Context(), email); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(wait))
			view.Error = ratelimit.Message(wait)
			a.page(w, http.StatusTooManyRequests, view)
			return
		}
		p, err := a.signIn(r.Context(), req.app, email, r.PostForm.Get("password"))
		if code := shopfloor.ErrorCode(err); code == shopfloor.CodeUnauthenticated || code == shopfloor.CodeForbidden {
			view.Error = shopfloor.ErrorMessage(err)
			a.page(w, code.Status(), view)
			return
		} else if err != nil {
			a.pageFailure(w, r, err)
			return
		}
		code := randomSecret()
		err = a.Grants.SaveAuthCode(r.Context(), shopfloor.AuthCode{CodeHash: shopfloor.HashSecret(code), AppID: req.app.ID, UserID: p.UserID,
			RedirectURI: req.redirectURI, CodeChallenge: req.codeChallenge, Scope: req.scope, Nonce: req.nonce, ExpiresAt: a.Issuer.Now().Add(codeTTL)})
		if err != nil {
			a.pageFailure(w, r, err)
			return
		}
		req.redirect(w, r, url.Values{"code": {code}})
	})
}

// HashPassword returns the hash a person's password is stored as (bcrypt,
// at the default cost, which slows guessing of a chosen password).
func HashPassword(password string) (string, error) {
	if len(password) < 8 {
		return "", errors.New("a password has at least 8 characters")
	}
	return hashPassword(password, bcrypt.DefaultCost)
}

// HashGeneratedPassword hashes a password the machine drew at random with
// at least 128 bits, such as the demo users': no cost factor makes such a
// password any harder to guess, so the lowest is used.
func HashGeneratedPassword(password string) (string, error) {
	return hashPassword(password, bcrypt.MinCost)
}

func hashPassword(password string, cost int) (string, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	return string(hash), err
}

// attempt counts a sign-in attempt for email and returns 0, or the seconds
// to wait when the email has had its share of attempts. Like the API's rate
// limits, it lets attempts through when the limiter cannot be reached.
func (a *Authenticator) attempt(ctx context.Context, email string) int {
	if a.Attempts == nil || !a.AttemptLimit.Enabled() {
		return 0
	}
	res, err := a.Attempts.Allow(ctx, "sign-in:"+email, a.AttemptLimit, 1)
	if err != nil {
		a.Logger.WarnContext(ctx, "rate limiter unavailable; not limiting sign-in", "request_id", shopfloor.RequestID(ctx), "error", err)
		return 0
	}
	if res.Allowed {
		return 0
	}
	return ratelimit.RetrySeconds(res.RetryAfter)
}

// dummyHash is compared against when the email is unknown, so that an
// unknown email takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	hash, _ := bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.DefaultCost)
	return hash
})

// signIn checks a person's email (lower-cased) and password for an app of their
// organization, then the states that refuse them, and returns the
// principal to issue a code for.
func (a *Authenticator) signIn(ctx context.Context, app *shopfloor.OAuthApp, email, password string) (*shopfloor.Principal, error) {
	u, err := a.Grants.UserByEmail(ctx, email)
	hash := ""
	switch {
	case err == nil && u.OrgID == app.OrgID && u.Kind == shopfloor.UserPerson:
		if hash, err = a.Grants.PasswordHash(ctx, u.ID); err != nil {
			return nil, err
		}
	case err != nil && shopfloor.ErrorCode(err) != shopfloor.CodeNotFound:
		return nil, err
	}
	if hash == "" {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return nil, unauthenticated(MsgBadCredentials)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return nil, unauthenticated(MsgBadCredentials)
	}
	return a.person(ctx, u.ID, app)
}

// person loads a person signing in (or refreshing) through app and refuses
// them with the contract's 401 when deactivated, their organization is
// blocked, or their email's domain is not one of its login domains, and
// with its 403 when their organization has OAuth apps turned off.
func (a *Authenticator) person(ctx context.Context, userID int64, app *shopfloor.OAuthApp) (*shopfloor.Principal, error) {
	id, err := a.Store.IdentityViaApp(ctx, userID, app.ClientID, 0)
	if err != nil {
		return nil, err
	}
	switch {
	case id.Deactivated:
		return nil, unauthenticated(fmt.Sprintf(MsgDeactivated, id.Email))
	case id.OrgState == shopfloor.OrgBlocked:
		return nil, unauthenticated(MsgOrgIsBlocked)
	}
	if domain, ok := id.LoginDomainOK(); !ok {
		return nil, unauthenticated(fmt.Sprintf(MsgLoginDomain, domain))
	}
	ctx = shopfloor.WithPrincipal(ctx, &id.Principal)
	if err := shopfloor.RequireFeature(ctx, shopfloor.FeatureOAuthApps); err != nil {
		return nil, err
	}
	return &id.Principal, nil
}

// pageFailure answers an internal failure or outage, or a parameter the
// store refuses, on the sign-in page.
func (a *Authenticator) pageFailure(w http.ResponseWriter, r *http.Request, err error) {
	switch shopfloor.ErrorCode(err) {
	case shopfloor.CodeUnavailable:
		w.Header().Set("Retry-After", "1")
		a.page(w, http.StatusServiceUnavailable, signInPage{Error: shopfloor.MsgUnavailable})
		return
	case shopfloor.CodeInvalid:
		a.page(w, http.StatusBadRequest, signInPage{Error: shopfloor.ErrorMessage(err)})
		return
	}
	a.Logger.ErrorContext(r.Context(), "sign-in", "request_id", shopfloor.RequestID(r.Context()), "error", err)
	a.page(w, http.StatusInternalServerError, signInPage{Error: shopfloor.MsgInternal})
}

//go:embed signin.html
var signInHTML string

var signInTemplate = template.Must(template.New("signin").Parse(signInHTML))

// signInPage is what the sign-in page shows.
type signInPage struct {
	App   string     // the app asking, when the request is valid
	Form  url.Values // the request's parameters, carried through the form
	Email string
	Error string
}

// hidden are the request parameters the form carries back.
var hidden = []string{"client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method"}

// Hidden returns the request's parameters to carry through the form.
func (p signInPage) Hidden() map[string]string {
	out := map[string]string{}
	for _, k := range hidden {
		if v := p.Form.Get(k); v != "" {
			out[k] = v
		}
	}
	return out
}

func (a *Authenticator) page(w http.ResponseWriter, status int, p signInPage) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	signInTemplate.Execute(w, p)
}
