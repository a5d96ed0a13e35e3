package graph

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/ratelimit"
	"github.com/shopfloor-dev/shopfloor/wire"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound what one request may ask for, and what an organization (and
// each of its API keys) may ask for over time.
type Limits struct {
	MaxDepth    int // deepest selection nesting
	MaxCost     int // largest estimated cost of one operation
	MaxPageSize int // largest first/last; the page size when neither is given
	MaxBatch    int // most operations in one batched request
	// OrgConcurrency is how many root fields an organization runs at once
	// on one replica (0: no bound).
	OrgConcurrency int
	// Limiter and the per-org and per-key buckets; a nil Limiter or a
	// disabled Limit does not limit.
	Limiter ratelimit.Limiter
	Org     ratelimit.Limit
	Key     ratelimit.Limit
}

// DefaultLimits are generous fair-use limits.
var DefaultLimits = Limits{
	MaxDepth:    12,
	MaxCost:     50_000,
	MaxPageSize: 1000,
	MaxBatch:    DefaultMaxBatch,
	// A quarter of a replica's PostgreSQL pool.
	OrgConcurrency: 5,
	// What one replica serves: the parts page with inventory and location
	// (50 parts, about 3,450 units) over 400 pages a second. Fairness between
	// organizations on a replica is OrgConcurrency's; the buckets keep one
	// organization from taking more than a replica's worth across replicas.
	Org: ratelimit.Limit{Rate: 1_500_000, Period: time.Second, Burst: 1_500_000},
	Key: ratelimit.Limit{Rate: 1_500_000, Period: time.Second, Burst: 1_500_000},
}

// MaxIntrospectionFields is how many __schema and __type fields one
// operation may select: enough for a tool that looks up many types at once
// (each costs introspectionCost), few enough to bound the answer.
const MaxIntrospectionFields = 50

// checkShape rejects, before anything runs, an operation that is too deep,
// would cost too much, or introspects too many times.
func (l Limits) checkShape(s shape) error {
	if l.MaxDepth > 0 && s.depth > l.MaxDepth {
		return shopfloor.Errorf(shopfloor.CodeInvalid, "Query depth %d exceeds the maximum of %d.", s.depth, l.MaxDepth)
	}
	if l.MaxCost > 0 && s.cost > l.MaxCost {
		return shopfloor.Errorf(shopfloor.CodeInvalid, "Query cost %d exceeds the maximum of %d.", s.cost, l.MaxCost)
	}
	if s.introspections > MaxIntrospectionFields {
		return shopfloor.Errorf(shopfloor.CodeInvalid, "Query selects __schema or __type %d times; at most %d are allowed.", s.introspections, MaxIntrospectionFields)
	}
	return nil
}

// MaxErrors is how many GraphQL parse or validation errors an answer lists;
// one more entry then says how many there were.
const MaxErrors = 100

// capErrors keeps the first MaxErrors of errs and says how many there were.
func capErrors(errs gqlerror.List) gqlerror.List {
	if len(errs) <= MaxErrors {
		return errs
	}
	return append(errs[:MaxErrors:MaxErrors], gqlerror.Errorf("Too many errors: the first %d of %d are shown.", MaxErrors, len(errs)))
}

// spend takes cost from the principal's API-key bucket and its
// organization's bucket. It returns the tightest result, which the response
// headers report; a limiter that fails lets the request through (fair use
// must not take the API down with it). A cost larger than a bucket can
// ever hold is a 422, not a 429: no wait would let it pass.
func (h *Handler) spend(ctx context.Context, p *shopfloor.Principal, cost int) (*ratelimit.Result, error) {
	if h.limits.Limiter == nil {
		return nil, nil
	}
	type bucket struct {
		key   string
		limit ratelimit.Limit
	}
	buckets := []bucket{{"org:" + strconv.FormatInt(p.OrgID, 10), h.limits.Org}}
	if p.ClientID != "" {
		buckets = append([]bucket{{"key:" + p.ClientID, h.limits.Key}}, buckets...)
	}
	for _, b := range buckets {
		if b.limit.Enabled() && cost > b.limit.Burst {
			return nil, shopfloor.Errorf(shopfloor.CodeInvalid, "Query cost %d exceeds the rate-limit bucket of %d and can never run.", cost, b.limit.Burst)
		}
	}
	var tightest *ratelimit.Result
	for _, b := range buckets {
		if !b.limit.Enabled() {
			continue
		}
		res, err := h.limits.Limiter.Allow(ctx, b.key, b.limit, cost)
		if err != nil {
			h.logger.WarnContext(ctx, "rate limiter unavailable; not limiting", "request_id", shopfloor.RequestID(ctx), "error", err)
			return tightest, nil
		}
		if !res.Allowed {
			h.metrics.RateLimited(b.key[:3])
			return &res, nil
		}
		if tightest == nil || res.Remaining < tightest.Remaining {
			tightest = &res
		}
	}
	return tightest, nil
}

// setRateHeaders reports the bucket on the response: X-RateLimit-Limit (its
// size), -Remaining, and -Reset (Unix time at which it is full again).
func setRateHeaders(w http.ResponseWriter, res *ratelimit.Result) {
	if res == nil {
		return
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(res.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(res.Remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(res.ResetAfter).Unix(), 10))
}

// writeRateLimited is the contract's 429: Retry-After in whole seconds.
func writeRateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	secs := ratelimit.RetrySeconds(retryAfter)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	wire.WriteError(w, shopfloor.CodeRateLimited, ratelimit.Message(secs))
}
