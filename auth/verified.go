package auth

import (
	"context"
	"crypto/rsa"
	"sync"
)

// verifiedCap bounds the verified tokens kept: past it the cache starts
// over, which costs each live token one more signature check.
const verifiedCap = 8192

// verifiedTokens remembers the tokens that were valid when their signature
// was checked, with their claims, so that a client's every request does not
// parse its token, check its RS256 signature and decode its claims again.
// An entry holds only while the key that signed it is still trusted; the
// checks of the claims (expiry first) are made again at every use.
type verifiedTokens struct {
	mu     sync.Mutex
	tokens map[string]verifiedToken
}

type verifiedToken struct {
	claims Claims
	kid    string
	key    *rsa.PublicKey // the key the signature was checked with
}

// get returns a copy of token's claims when its signature was checked with
// a key keys still trusts.
func (v *verifiedTokens) get(ctx context.Context, keys *Keys, token string) (*Claims, bool) {
	v.mu.Lock()
	t, ok := v.tokens[token]
	v.mu.Unlock()
	if !ok {
		return nil, false
	}
	if key, ok := keys.verifier(ctx, t.kid); !ok || key != t.key {
		return nil, false
	}
	c := t.claims
	return &c, true
}

func (v *verifiedTokens) put(token, kid string, key *rsa.PublicKey, c *Claims) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.tokens == nil || len(v.tokens) >= verifiedCap {
		v.tokens = make(map[string]verifiedToken)
	}
	v.tokens[token] = verifiedToken{claims: *c, kid: kid, key: key}
}
