package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Memory keeps buckets in this process.
type Memory struct {
	// Now is the clock.
	Now func() time.Time

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewMemory returns an empty in-memory limiter.
func NewMemory() *Memory { return &Memory{Now: time.Now, buckets: make(map[string]*rate.Limiter)} }

// Allow takes cost units from key's bucket if it holds them.
func (m *Memory) Allow(_ context.Context, key string, limit Limit, cost int) (Result, error) {
	m.mu.Lock()
	b, ok := m.buckets[key]
	if !ok || b.Burst() != limit.Burst || b.Limit() != rate.Limit(limit.perSecond()) {
		b = rate.NewLimiter(rate.Limit(limit.perSecond()), limit.Burst)
		m.buckets[key] = b
	}
	m.mu.Unlock()
	now := m.Now()
	allowed := b.AllowN(now, cost)
	tokens := b.TokensAt(now)
	res := Result{
		Allowed:    allowed,
		Limit:      limit.Burst,
		Remaining:  max(0, int(math.Floor(tokens))),
		ResetAfter: seconds((float64(limit.Burst) - tokens) / limit.perSecond()),
	}
	if !allowed {
		res.RetryAfter = seconds((float64(cost) - tokens) / limit.perSecond())
	}
	return res, nil
}

func seconds(s float64) time.Duration {
	if s <= 0 || math.IsInf(s, 0) || math.IsNaN(s) {
		return 0
	}
	return time.Duration(s * float64(time.Second))
}
