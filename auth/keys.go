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
// known one verifies.
type Keys struct {
	signKID string
	sign    *rsa.PrivateKey
	verify  map[string]*rsa.PublicKey
	jwks    jose.JSONWebKeySet
}

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
		stored = []shopfloor.SigningKey{k}
	}
	keys := &Keys{verify: make(map[string]*rsa.PublicKey)}
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
func (k *Keys) JWKS() jose.JSONWebKeySet { return k.jwks }

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
