// Package ratelimit budgets request cost: a Limiter grants cost units from a
// bucket per key (an organization, an API key). Memory serves one replica;
// Redis shares the buckets among replicas, so N replicas enforce one limit.
package ratelimit

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Limit is a bucket: it holds Burst units at most and refills Rate units per
// Period.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// Enabled reports whether the limit limits anything.
func (l Limit) Enabled() bool { return l.Rate > 0 && l.Period > 0 && l.Burst > 0 }

// perSecond is the refill rate in units per second.
func (l Limit) perSecond() float64 { return float64(l.Rate) / l.Period.Seconds() }

// Result is a Limiter's answer for one request.
type Result struct {
	Allowed    bool
	Limit      int           // the bucket's size
	Remaining  int           // units left after this request
	RetryAfter time.Duration // when denied: until the request's cost is available
	ResetAfter time.Duration // until the bucket is full again
}

// Limiter takes cost units for key from its bucket, or denies the request
// and takes nothing.
type Limiter interface {
	Allow(ctx context.Context, key string, limit Limit, cost int) (Result, error)
}

// RetrySeconds is Retry-After in whole seconds: at least 1.
func RetrySeconds(retryAfter time.Duration) int {
	return max(1, int(math.Ceil(retryAfter.Seconds())))
}

// Message is the contract's 429 message for a wait of secs seconds.
func Message(secs int) string {
	return fmt.Sprintf("Rate limit exceeded: retry after %d seconds.", secs)
}
