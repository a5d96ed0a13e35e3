// Package auth is Shopfloor's identity layer: RS256 signing keys published as
// JWKS, the Keycloak-compatible token endpoint for API keys, and the
// middleware that verifies bearer tokens and answers the contract's 401s
// before GraphQL runs.
package auth

import (
	"cmp"
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
// stored one verifies. Replicas share them through the store: each re-reads
// it once its keys are older than Refresh, so that all of them sign with the
// key a rotation added, and a token signed with a key this replica has not
// seen yet makes it read the keys again at once.
type Keys struct {
	// Refresh is how old the keys in hand may get before they are read
	// again; zero means DefaultKeyRefresh. Set it before use.
	Refresh time.Duration

	store KeyStore

	// loading serializes reads of the store and guards unknownAt; mu
	// guards set and readAt.
	loading sync.Mutex
	mu      sync.RWMutex
	set     *keySet
	readAt  time.Time // when the store was last read, successfully or not
	// unknownAt is when an unknown key id last made the store be read.
	unknownAt time.Time
}

// keySet is one reading of the stored keys.
type keySet struct {
	signer jose.Signer // RS256 with the newest live key, its kid in the header
	verify map[string]*rsa.PublicKey
	jwks   jose.JSONWebKeySet
}

// DefaultKeyRefresh is how often a replica re-reads the signing keys unless
// told otherwise: well within the time a rotation keeps retired keys.
const DefaultKeyRefresh = 30 * time.Second

// reloadEvery bounds how often unknown key ids make a replica re-read the
// store, so that garbage tokens cannot hammer the database. It counts from
// the last such read only: a refresh just before another replica's
// rotation does not keep the new key unknown.
const reloadEvery = time.Second

// readTimeout bounds a refresh that no request's context bounds.
const readTimeout = 5 * time.Second

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
	return &Keys{store: store, set: set, readAt: time.Now()}, nil
}

// snapshot returns the keys in hand and how long ago the store was read.
func (k *Keys) snapshot() (*keySet, time.Duration) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.set, time.Since(k.readAt)
}

// current returns the keys, first reading them again when they are older
// than Refresh. Only one caller reads; the others go on with the keys in
// hand meanwhile.
func (k *Keys) current() *keySet {
	refresh := cmp.Or(k.Refresh, DefaultKeyRefresh)
	set, age := k.snapshot()
	if age < refresh || !k.loading.TryLock() {
		return set
	}
	defer k.loading.Unlock()
	if _, age := k.snapshot(); age >= refresh {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		k.read(ctx)
	}
	set, _ = k.snapshot()
	return set
}

// read reads the keys from the store; the caller holds k.loading. When that
// fails, the keys in hand stay in use until the next try.
func (k *Keys) read(ctx context.Context) {
	stored, err := k.store.SigningKeys(ctx)
	var set *keySet
	if err == nil {
		set, err = newKeySet(stored)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.readAt = time.Now()
	if err == nil {
		k.set = set
	}
}

// verifier returns the public key for kid, re-reading the store once when
// the kid is unknown (a key another replica made, or a rotation).
func (k *Keys) verifier(ctx context.Context, kid string) (*rsa.PublicKey, bool) {
	if pub, ok := k.current().verify[kid]; ok {
		return pub, true
	}
	k.loading.Lock()
	defer k.loading.Unlock()
	set, _ := k.snapshot()
	if _, ok := set.verify[kid]; !ok && time.Since(k.unknownAt) >= reloadEvery {
		k.unknownAt = time.Now()
		k.read(ctx)
		set, _ = k.snapshot()
	}
	pub, ok := set.verify[kid]
	return pub, ok
}

func newKeySet(stored []shopfloor.SigningKey) (*keySet, error) {
	keys := &keySet{verify: make(map[string]*rsa.PublicKey)}
	var sign *rsa.PrivateKey
	var signKID string
	for _, k := range stored { // newest first
		priv, err := parsePrivateKey(k.PrivatePEM)
		if err != nil {
			return nil, fmt.Errorf("auth: signing key %s: %w", k.KID, err)
		}
		keys.verify[k.KID] = &priv.PublicKey
		keys.jwks.Keys = append(keys.jwks.Keys, jose.JSONWebKey{Key: &priv.PublicKey, KeyID: k.KID, Algorithm: string(jose.RS256), Use: "sig"})
		if sign == nil && k.RetiredAt == nil {
			sign, signKID = priv, k.KID
		}
	}
	if sign == nil {
		return nil, errors.New("auth: every signing key is retired")
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: sign},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", signKID))
	if err != nil {
		return nil, fmt.Errorf("auth: signer: %w", err)
	}
	keys.signer = signer
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
