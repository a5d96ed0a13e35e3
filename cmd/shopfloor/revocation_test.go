package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
)

// A token dies with what it was issued from, for good: disabling a key
// revokes its tokens even once the key is enabled again, regenerating its
// secret revokes the tokens of the old one, and a replayed authorization
// code revokes the tokens its first use was given (RFC 6749 §4.1.2).
func TestTokenRevocation(t *testing.T) { onBothEngines(t, testTokenRevocation) }

func testTokenRevocation(t *testing.T, s *testServer) {
	admin := s.token(t, 0, shopfloor.RoleAdmin)
	type key struct {
		ClientID     string  `json:"clientId"`
		ClientSecret *string `json:"clientSecret"`
		Etag         string  `json:"_etag"`
	}
	var made struct{ Apikey key }
	s.gql(t, admin, `mutation { createApiKey { apikey { clientId clientSecret _etag } } }`, nil).must(t).field(t, "createApiKey", &made)
	clientID, secret := made.Apikey.ClientID, *made.Apikey.ClientSecret
	mint := func(secret string) string {
		t.Helper()
		status, body := s.exchange(t, clientID, secret, "")
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(body, &tok); err != nil || status != http.StatusOK {
			t.Fatalf("token: %d %s", status, body)
		}
		return tok.AccessToken
	}
	works := func(token string) { t.Helper(); s.gql(t, token, `{ me { id } }`, nil).must(t) }
	revoked := func(token string) {
		t.Helper()
		s.gql(t, token, `{ me { id } }`, nil).wantError(t, http.StatusUnauthorized, http.StatusUnauthorized, auth.MsgInvalid)
	}
	update := `mutation($c: String!, $e: Boolean, $r: Boolean) { updateApiKey(input: {clientId: $c, enabled: $e, regenerateSecret: $r}) { apikey { clientSecret } } }`

	beforeDisable := mint(secret)
	works(beforeDisable)
	s.gql(t, admin, update, map[string]any{"c": clientID, "e": false}).must(t)
	revoked(beforeDisable)
	s.gql(t, admin, update, map[string]any{"c": clientID, "e": true}).must(t)
	revoked(beforeDisable) // re-enabling does not revive it
	beforeRegenerate := mint(secret)
	works(beforeRegenerate)

	var regenerated struct{ Apikey key }
	s.gql(t, admin, update, map[string]any{"c": clientID, "r": true}).must(t).field(t, "updateApiKey", &regenerated)
	revoked(beforeRegenerate)
	works(mint(*regenerated.Apikey.ClientSecret))

	// A replayed code: refused, and the access and refresh tokens of its
	// first use stop working; another sign-in's tokens are untouched.
	app, person := s.Creds.Orgs[0].OAuthApps[0], s.demoUser(t, 0, shopfloor.RoleAdmin)
	p := newPKCE()
	code := s.code(t, app, person, "offline_access", p)
	first := s.redeem(t, app, code, p.verifier)
	other := newPKCE()
	untouched := s.redeem(t, app, s.code(t, app, person, "offline_access", other), other.verifier)
	refreshed := s.refresh(t, app, first.RefreshToken, "")
	if first.status != http.StatusOK || untouched.status != http.StatusOK || refreshed.status != http.StatusOK {
		t.Fatalf("redeem: %+v %+v %+v", first, untouched, refreshed)
	}
	works(first.AccessToken)
	s.redeem(t, app, code, p.verifier).wantRefused(t, http.StatusBadRequest, "invalid_grant", "Code not valid")
	revoked(first.AccessToken)
	revoked(refreshed.AccessToken) // tokens refreshed from the grant go with it
	s.refresh(t, app, refreshed.RefreshToken, "").wantRefused(t, http.StatusBadRequest, "invalid_grant", "Invalid refresh token")
	works(untouched.AccessToken)
	if again := s.refresh(t, app, untouched.RefreshToken, ""); again.status != http.StatusOK {
		t.Fatalf("the other grant's refresh: %+v", again)
	}
}

// updateApiKey checks an etag when one is sent: a stale one is the 409 and
// changes nothing; without one, the last write wins, as ION's input allows.
func TestUpdateAPIKeyEtag(t *testing.T) { onBothEngines(t, testUpdateAPIKeyEtag) }

func testUpdateAPIKeyEtag(t *testing.T, s *testServer) {
	admin := s.token(t, 0, shopfloor.RoleAdmin)
	k := s.apiKey(t, 0, shopfloor.RoleAdmin)
	update := `mutation($c: String!, $etag: String, $e: Boolean) { updateApiKey(input: {clientId: $c, etag: $etag, enabled: $e}) { apikey { enabled _etag } } }`
	type state struct {
		Enabled bool
		Etag    string `json:"_etag"`
	}
	var before struct{ Apikey state }
	s.gql(t, admin, update, map[string]any{"c": k.ClientID}).must(t).field(t, "updateApiKey", &before)

	s.gql(t, admin, update, map[string]any{"c": k.ClientID, "etag": "0123456789abcdef0123456789abcdef", "e": false}).
		wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)
	if status, _ := s.exchange(t, k.ClientID, k.ClientSecret, ""); status != http.StatusOK {
		t.Fatal("a refused update disabled the key")
	}
	var after struct{ Apikey state }
	s.gql(t, admin, `mutation($c: String!, $etag: String) { updateApiKey(input: {clientId: $c, _etag: $etag, enabled: true}) { apikey { enabled _etag } } }`,
		map[string]any{"c": k.ClientID, "etag": before.Apikey.Etag}).must(t).field(t, "updateApiKey", &after)
	if !after.Apikey.Enabled || after.Apikey.Etag == before.Apikey.Etag {
		t.Fatalf("update with the current etag: %+v", after)
	}
}
