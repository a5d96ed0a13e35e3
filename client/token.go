package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// TokenSource is an oauth2.TokenSource that caches its token and gets a new
// one shortly before the token's exp (a minute before, or a quarter of its
// life if shorter), one exchange at a time however many goroutines ask.
type TokenSource struct {
	mu       sync.Mutex
	exchange func(context.Context) (*oauth2.Token, error)
	ctx      context.Context
	now      func() time.Time
	token    *oauth2.Token
	renewAt  time.Time
}

// TokenOption configures a TokenSource.
type TokenOption func(*tokenOptions)

type tokenOptions struct {
	http     *http.Client
	now      func() time.Time
	audience string
	scopes   []string
}

// TokenHTTPClient sends the token requests through hc.
func TokenHTTPClient(hc *http.Client) TokenOption { return func(o *tokenOptions) { o.http = hc } }

// TokenClock is the clock that decides when the token is renewed.
func TokenClock(now func() time.Time) TokenOption { return func(o *tokenOptions) { o.now = now } }

// Audience asks for a token for this audience (ION's scripts send the API's URL).
func Audience(aud string) TokenOption { return func(o *tokenOptions) { o.audience = aud } }

// Scopes asks for these scopes (api:read, api:write…).
func Scopes(scopes ...string) TokenOption { return func(o *tokenOptions) { o.scopes = scopes } }

func newTokenSource(exchange func(context.Context, tokenOptions) (*oauth2.Token, error), opts []TokenOption) *TokenSource {
	o := tokenOptions{http: http.DefaultClient, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	return &TokenSource{
		exchange: func(ctx context.Context) (*oauth2.Token, error) { return exchange(ctx, o) },
		ctx:      context.WithValue(context.Background(), oauth2.HTTPClient, o.http),
		now:      o.now,
	}
}

// APIKey is the token source of an API key: the client-credentials exchange
// at tokenURL (the realm's .../protocol/openid-connect/token).
func APIKey(tokenURL, clientID, clientSecret string, opts ...TokenOption) *TokenSource {
	return newTokenSource(func(ctx context.Context, o tokenOptions) (*oauth2.Token, error) {
		cfg := clientcredentials.Config{ClientID: clientID, ClientSecret: clientSecret, TokenURL: tokenURL, Scopes: o.scopes, AuthStyle: oauth2.AuthStyleInParams}
		if o.audience != "" {
			cfg.EndpointParams = map[string][]string{"audience": {o.audience}}
		}
		return cfg.Token(ctx)
	}, opts)
}

// RefreshToken is the token source of an OAuth app's person: it redeems the
// refresh token at tokenURL, and keeps the refresh token each use returns
// (Shopfloor and Keycloak replace it at every use).
func RefreshToken(tokenURL, clientID, refreshToken string, opts ...TokenOption) *TokenSource {
	var mu sync.Mutex
	return newTokenSource(func(ctx context.Context, o tokenOptions) (*oauth2.Token, error) {
		mu.Lock()
		defer mu.Unlock()
		cfg := oauth2.Config{ClientID: clientID, Scopes: o.scopes, Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams}}
		tok, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
		if err == nil && tok.RefreshToken != "" {
			refreshToken = tok.RefreshToken
		}
		return tok, err
	}, opts)
}

// Token returns the cached token, or exchanges for a new one when it is due.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != nil && now.Before(s.renewAt) {
		return s.token, nil
	}
	tok, err := s.exchange(s.ctx)
	if err != nil {
		return nil, err
	}
	s.token, s.renewAt = tok, renewAt(tok, now)
	return tok, nil
}

// Invalidate drops the cached token: the next Token exchanges again (the
// client calls it when the API answers 401).
func (s *TokenSource) Invalidate() {
	s.mu.Lock()
	s.token = nil
	s.mu.Unlock()
}

// renewAt is when a token obtained at now is renewed: before the exp claim
// of its JWT (else its expires_in), by a minute or a quarter of its life.
func renewAt(tok *oauth2.Token, now time.Time) time.Time {
	exp := jwtExpiry(tok.AccessToken)
	if exp.IsZero() {
		exp = tok.Expiry
	}
	if exp.IsZero() {
		return now.Add(100 * 365 * 24 * time.Hour) // it never expires: until a 401 invalidates it
	}
	early := time.Minute
	if life := exp.Sub(now); life < 4*early {
		early = life / 4
	}
	return exp.Add(-early)
}

// jwtExpiry is the exp claim of a JWT, or zero for another kind of token.
func jwtExpiry(token string) time.Time {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == 0 {
		return time.Time{}
	}
	return time.Unix(claims.Exp, 0)
}
