package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor/internal/redistest"
	"github.com/shopfloor-dev/shopfloor/ratelimit"
)

// Both limiters grant the same budget: Burst at once, refilled at Rate per
// Period; a denied request takes nothing and says when to retry.
func TestLimiters(t *testing.T) {
	for _, tc := range []struct {
		name string
		new  func(t *testing.T) ratelimit.Limiter
	}{
		{"memory", func(*testing.T) ratelimit.Limiter { return ratelimit.NewMemory() }},
		{"redis", func(t *testing.T) ratelimit.Limiter {
			r, err := ratelimit.NewRedis(redistest.Start(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			return r
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.new(t)
			ctx := context.Background()
			limit := ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 10}
			for i, step := range []struct {
				cost      int
				allowed   bool
				remaining int
			}{{4, true, 6}, {4, true, 2}, {4, false, 2}, {2, true, 0}, {1, false, 0}} {
				res, err := l.Allow(ctx, "org:1", limit, step.cost)
				if err != nil {
					t.Fatal(err)
				}
				if res.Allowed != step.allowed || res.Remaining != step.remaining || res.Limit != 10 {
					t.Fatalf("step %d: %+v, want allowed %v remaining %d", i, res, step.allowed, step.remaining)
				}
				if !res.Allowed && (res.RetryAfter < 30*time.Minute || res.RetryAfter > 4*time.Hour) {
					t.Fatalf("step %d: retry after %v", i, res.RetryAfter)
				}
			}
			// Buckets are per key.
			if res, _ := l.Allow(ctx, "org:2", limit, 10); !res.Allowed {
				t.Fatal("another key's bucket was spent")
			}
		})
	}
}

// The memory bucket refills with time.
func TestMemoryRefills(t *testing.T) {
	m := ratelimit.NewMemory()
	now := time.Unix(1_000_000, 0)
	m.Now = func() time.Time { return now }
	limit := ratelimit.Limit{Rate: 10, Period: time.Second, Burst: 10}
	if res, _ := m.Allow(context.Background(), "k", limit, 10); !res.Allowed || res.Remaining != 0 || res.ResetAfter != time.Second {
		t.Fatalf("%+v", res)
	}
	if res, _ := m.Allow(context.Background(), "k", limit, 5); res.Allowed || res.RetryAfter != 500*time.Millisecond {
		t.Fatalf("%+v", res)
	}
	now = now.Add(500 * time.Millisecond)
	if res, _ := m.Allow(context.Background(), "k", limit, 5); !res.Allowed {
		t.Fatalf("%+v", res)
	}
}
