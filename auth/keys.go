// Package auth is Shopfloor's identity layer: RS256 signing keys published as
// JWKS, the Keycloak-compatible token endpoint for API keys, and the
// middleware that verifies bearer tokens and answers the contract's 401s
// before GraphQL runs.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/shopfloor-dev/shopfloor"
)

// KeyStore keeps the signing keys, so that every replica signs and verifies
// with the same ones.
type KeyStore interface {
	SigningKeys(ctx context.Context) ([]shopfloor.SigningKey, error)
	AddSigningKey(ctx context.Context, k shopfloor.SigningKey) error
}

// Keys are the RS256 keys of the realm: the newest live one signs; every
// stored one verifies. Replicas share them through the store: a token signed
// with a key this replica has not seen yet makes it read the keys again.
type Keys struct {
	store KeyStore

	mu       sync.RWMutex
	set      *keySet
	reloaded time.Time
}

// keySet is one reading of the stored keys.
type keySet struct {
	signKID string
	sign    *rsa.PrivateKey
	verify  map[string]*rsa.PublicKey
	jwks    jose.JSONWebKeySet
}

// reloadEvery bounds how often unknown key ids make a replica re-read the
// store, so that garbage tokens cannot hammer the database.
const reloadEvery = time.Second

// LoadKeys reads the signing keys from the store, creating the first one when
// there is none.
func LoadKeys(ctx context.Context, store KeyStore) (*Keys, error) {
	stored, err := store.SigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	if len(stored) == 0 {
		k, err := newSigningKey(time.Now())
		if err != nil {
			return nil, err
		}
		if err := store.AddSigningKey(ctx, k); err != nil {
			return nil, err
		}
		if stored, err = store.SigningKeys(ctx); err != nil {
			return nil, err
		}
	}
	set, err := newKeySet(stored)
	if err != nil {
		return nil, err
	}
	return &Keys{store: store, set: set, reloaded: time.Now()}, nil
}

// current returns the keys as last read.
func (k *Keys) current() *keySet {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.set
}

// verifier returns the public key for kid, re-reading the store once when
// the kid is unknown (a key another replica made, or a rotation).
func (k *Keys) verifier(ctx context.Context, kid string) (*rsa.PublicKey, bool) {
	if pub, ok := k.current().verify[kid]; ok {
		return pub, true
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if pub, ok := k.set.verify[kid]; ok {
		return pub, true
	}
	if time.Since(k.reloaded) < reloadEvery {
		return nil, false
	}
	k.reloaded = time.Now()
	stored, err := k.store.SigningKeys(ctx)
	if err != nil {
		return nil, false
	}
	set, err := newKeySet(stored)
	if err != nil {
		return nil, false
	}
	k.set = set
	pub, ok := set.verify[kid]
	return pub, ok
}

func newKeySet(stored []shopfloor.SigningKey) (*keySet, error) {
	keys := &keySet{verify: make(map[string]*rsa.PublicKey)}
	for _, k := range stored { // newest first
		priv, err := parsePrivateKey(k.PrivatePEM)
		if err != nil {
			return nil, fmt.Errorf("auth: signing key %s: %w", k.KID, err)
		}
		keys.verify[k.KID] = &priv.PublicKey
		keys.jwks.Keys = append(keys.jwks.Keys, jose.JSONWebKey{Key: &priv.PublicKey, KeyID: k.KID, Algorithm: string(jose.RS256), Use: "sig"})
		if keys.sign == nil && k.RetiredAt == nil {
			keys.sign, keys.signKID = priv, k.KID
		}
	}
	if keys.sign == nil {
		return nil, errors.New("auth: every signing key is retired")
	}
	return keys, nil
}

// JWKS is the public key set published at the realm's certs endpoint.
func (k *Keys) JWKS() jose.JSONWebKeySet { return k.current().jwks }

func newSigningKey(now time.Time) (shopfloor.SigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return shopfloor.SigningKey{}, fmt.Errorf("auth: generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return shopfloor.SigningKey{}, fmt.Errorf("auth: encode key: %w", err)
	}
	return shopfloor.SigningKey{
		KID:        randomID(),
		PrivatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		CreatedAt:  now,
	}, nil
}

func parsePrivateKey(s string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	priv, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return priv, nil
}

// randomID returns 128 random bits as hex.
func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
