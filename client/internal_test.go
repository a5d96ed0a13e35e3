package client

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0}, {"3", 3 * time.Second}, {"0", 0}, {"-1", 0}, {"soon", 0},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{now.Add(-7 * time.Second).Format(http.TimeFormat), 0},
	} {
		if got := retryAfter(http.Header{"Retry-After": {tc.header}}, now); got != tc.want {
			t.Errorf("Retry-After %q: %v, want %v", tc.header, got, tc.want)
		}
	}
}

// A token is renewed a minute before its JWT's exp, or a quarter of its
// life before when that is shorter; a token that says no expiry is kept.
func TestRenewAt(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	jwt := func(exp time.Time) string {
		claims := base64.RawURLEncoding.EncodeToString([]byte(`{"exp":` + strconv.FormatInt(exp.Unix(), 10) + `}`))
		return "e30." + claims + ".sig"
	}
	for _, tc := range []struct {
		tok  *oauth2.Token
		want time.Time
	}{
		{&oauth2.Token{AccessToken: jwt(now.Add(time.Hour))}, now.Add(59 * time.Minute)},
		{&oauth2.Token{AccessToken: jwt(now.Add(2 * time.Minute))}, now.Add(90 * time.Second)},
		{&oauth2.Token{AccessToken: "opaque", Expiry: now.Add(10 * time.Minute)}, now.Add(9 * time.Minute)},
	} {
		if got := renewAt(tc.tok, now); !got.Equal(tc.want) {
			t.Errorf("%s: renew at %v, want %v", tc.tok.AccessToken, got, tc.want)
		}
	}
	if got := renewAt(&oauth2.Token{AccessToken: "opaque"}, now); got.Before(now.Add(24 * time.Hour * 365)) {
		t.Errorf("a token without expiry is renewed at %v", got)
	}
}

func TestIsMutation(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]bool{
		`{ me { id } }`:                         false,
		`query Q { me { id } }`:                 false,
		`mutation { deletePart(id: 1) { id } }`: true,
		`query A { me { id } } mutation B { deletePart(id: 1) { id } }`: true,
		`{ me { `: true, // does not parse: not assumed safe
	} {
		if got := isMutation(q); got != want {
			t.Errorf("isMutation(%q) = %v", q, got)
		}
	}
}
