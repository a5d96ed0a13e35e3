package auth

import (
	"context"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// KeyRotator is the store's side of a signing-key rotation.
type KeyRotator interface {
	RotateSigningKeys(ctx context.Context, k shopfloor.SigningKey, pruneBefore time.Time) error
}

// Rotate makes a new signing key the one that signs, and returns its kid.
// In one transaction the keys that signed until now are retired (they keep
// verifying the tokens they signed) and the keys retired longer than keep
// ago are deleted, which revokes whatever they signed. Every replica signs
// with the new key once it next reads its keys (Keys.Refresh), so keep
// should exceed the longest token lifetime plus that interval.
func Rotate(ctx context.Context, store KeyRotator, now time.Time, keep time.Duration) (string, error) {
	k, err := newSigningKey(now)
	if err != nil {
		return "", err
	}
	return k.KID, store.RotateSigningKeys(ctx, k, now.Add(-keep))
}
