package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// memKeys is a KeyStore in memory.
type memKeys struct {
	mu   sync.Mutex
	keys []shopfloor.SigningKey
}

func (m *memKeys) SigningKeys(context.Context) ([]shopfloor.SigningKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]shopfloor.SigningKey(nil), m.keys...), nil
}

func (m *memKeys) AddSigningKey(_ context.Context, k shopfloor.SigningKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys = append([]shopfloor.SigningKey{k}, m.keys...)
	return nil
}

// A verified token is taken again without its signature being checked, but
// only while it is unexpired and its key is still trusted.
func TestVerifiedTokens(t *testing.T) {
	ctx := context.Background()
	store := &memKeys{}
	keys, err := LoadKeys(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	iss := &Issuer{Keys: keys, URL: "https://shopfloor.test" + RealmPath, Now: func() time.Time { return now }}
	token, err := iss.Mint(&shopfloor.Principal{UserID: 7, OrgID: 3}, nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		c, err := iss.Verify(ctx, token)
		if err != nil || c.OrgID != 3 || c.Subject != "7" {
			t.Fatalf("verify %d: %+v, %v", i, c, err)
		}
		c.OrgID = 99 // a caller's change does not reach the cache
	}
	if _, ok := iss.verified.tokens[token]; !ok {
		t.Fatal("the verified token is not kept")
	}
	if c, err := iss.Verify(ctx, token); err != nil || c.OrgID != 3 {
		t.Fatalf("after a caller's change: %+v, %v", c, err)
	}

	now = now.Add(2 * time.Hour)
	if _, err := iss.Verify(ctx, token); !isMessage(err, MsgExpired) {
		t.Fatalf("expired: %v", err)
	}
	now = now.Add(-2 * time.Hour)

	// The key is removed (as after a rotation's grace): its tokens fail.
	k, err := newSigningKey(now)
	if err != nil {
		t.Fatal(err)
	}
	store.mu.Lock()
	store.keys = []shopfloor.SigningKey{k}
	store.mu.Unlock()
	keys.loading.Lock()
	keys.read(ctx)
	keys.loading.Unlock()
	if _, err := iss.Verify(ctx, token); !isMessage(err, MsgUnknownKey) {
		t.Fatalf("after its key is gone: %v", err)
	}
}

func isMessage(err error, msg string) bool {
	var e *shopfloor.Error
	return errors.As(err, &e) && e.Message == msg
}
