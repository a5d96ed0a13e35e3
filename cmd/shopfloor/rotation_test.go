package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// kidOf reads the kid from a token's header.
func kidOf(tb testing.TB, token string) string {
	tb.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		tb.Fatal(err)
	}
	return tok.Headers[0].KeyID
}

// jwksKIDs returns the kids the server publishes, sorted.
func (s *testServer) jwksKIDs(tb testing.TB) []string {
	tb.Helper()
	res, err := httpGet(s.URL + "/realms/api-keys/protocol/openid-connect/certs")
	if err != nil {
		tb.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(res.body, &set); err != nil {
		tb.Fatalf("certs: %v: %s", err, res.body)
	}
	var kids []string
	for _, k := range set.Keys {
		kids = append(kids, k.KeyID)
	}
	slices.Sort(kids)
	return kids
}

// eventually checks cond every 20ms until it holds, and fails the test if
// it does not within 10s.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("not within 10s: %s", what)
		}
	}
}

// A signing-key rotation reaches every replica without a restart: tokens
// signed before it keep working, both keys are published, new tokens carry
// the new kid once each replica has re-read its keys, and a pruned key's
// tokens are refused as signed by an unknown key.
func TestKeyRotation(t *testing.T) {
	url := pgtest.Database(t)
	a := startServer(t, "--database-url", url, "--key-refresh", "100ms")
	b := startServer(t, "--database-url", url, "--key-refresh", "100ms")
	b.Creds = a.Creds
	replicas := []*testServer{a, b}
	me := `{ me { email } }`

	old := a.token(t, 0, shopfloor.RoleAdmin)
	oldKID := kidOf(t, old)
	minted := time.Now()
	expiring := strings.TrimSpace(a.operator(t, "token", "--email", a.Creds.Orgs[0].Users[0].Email, "--ttl", "1s"))

	newKID := strings.TrimSpace(a.operator(t, "keys", "rotate"))
	if newKID == "" || newKID == oldKID {
		t.Fatalf("rotate printed %q; the old kid is %q", newKID, oldKID)
	}
	both := []string{oldKID, newKID}
	slices.Sort(both)
	var fresh string
	for _, s := range replicas {
		s.gql(t, old, me, nil).must(t)
		eventually(t, "a replica publishes the old and the new key", func() bool { return slices.Equal(s.jwksKIDs(t), both) })
		eventually(t, "a replica signs with the new key", func() bool {
			fresh = s.token(t, 0, shopfloor.RoleAdmin)
			return kidOf(t, fresh) == newKID
		})
		for _, other := range replicas {
			other.gql(t, fresh, me, nil).must(t)
			other.gql(t, old, me, nil).must(t)
		}
	}
	list := a.operator(t, "keys", "list")
	if !strings.Contains(list, newKID+" created ") || !strings.Contains(list, " live") || !strings.Contains(list, oldKID+" created ") || !strings.Contains(list, " retired ") {
		t.Fatalf("keys list:\n%s", list)
	}

	// A token of the retired key is refused once it expires, as expired.
	time.Sleep(time.Until(minted.Add(time.Second)))
	a.gql(t, expiring, me, nil).wantError(t, http.StatusUnauthorized, http.StatusUnauthorized, "Token is expired")

	// Rotating again with --keep 0 prunes the first key, revoking its
	// tokens; the second key, retired now, still verifies.
	a.operator(t, "keys", "rotate", "--keep", "0")
	for _, s := range replicas {
		eventually(t, "a replica forgets the pruned key", func() bool {
			r := s.gql(t, old, me, nil)
			return r.Status == http.StatusUnauthorized
		})
		s.gql(t, old, me, nil).wantError(t, http.StatusUnauthorized, http.StatusUnauthorized, "Unable to find appropriate RSA key")
		s.gql(t, fresh, me, nil).must(t)
		if kids := s.jwksKIDs(t); len(kids) != 2 || slices.Contains(kids, oldKID) || !slices.Contains(kids, newKID) {
			t.Fatalf("published after pruning: %v", kids)
		}
	}
}
