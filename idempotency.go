package shopfloor

import (
	"context"
	"net/http"
	"time"
)

// IdempotentAnswer is the whole HTTP answer to the first request sent with
// an Idempotency-Key, replayed to the retries that carry the same key.
type IdempotentAnswer struct {
	Status int
	Header http.Header
	Body   []byte
}

// IdempotencyService keeps idempotency keys, per organization and
// principal of the context, in the database that replicas share.
type IdempotencyService interface {
	// ClaimIdempotencyKey claims key for a request whose body hashes to
	// requestHash, for ttl. It returns nil when the caller now holds the key
	// and runs the request; the first answer when the key was used with the
	// same body; a 422 when it was used with another body; a 409 while the
	// request holding it still runs.
	ClaimIdempotencyKey(ctx context.Context, key, requestHash string, ttl time.Duration) (*IdempotentAnswer, error)
	// SaveIdempotentAnswer keeps the answer of the request holding key.
	SaveIdempotentAnswer(ctx context.Context, key string, a IdempotentAnswer) error
	// ReleaseIdempotencyKey forgets a key whose request wrote nothing (it
	// was refused with a 429 or failed with a 5xx), so that a retry runs.
	ReleaseIdempotencyKey(ctx context.Context, key string) error
}
