package ratelimit

import (
	"context"
	"fmt"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis keeps buckets in Redis (GCRA, atomic in a Lua script), shared by
// every replica that uses the same server.
type Redis struct {
	client  *redis.Client
	limiter *redis_rate.Limiter
}

// NewRedis connects to the Redis server at url (redis://host:port/db).
func NewRedis(url string) (*Redis, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("ratelimit: redis url: %w", err)
	}
	client := redis.NewClient(opts)
	return &Redis{client: client, limiter: redis_rate.NewLimiter(client)}, nil
}

// Allow takes cost units from key's shared bucket if it holds them.
func (r *Redis) Allow(ctx context.Context, key string, limit Limit, cost int) (Result, error) {
	rl := redis_rate.Limit{Rate: limit.Rate, Period: limit.Period, Burst: limit.Burst}
	res, err := r.limiter.AllowN(ctx, "shopfloor:"+key, rl, cost)
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: redis: %w", err)
	}
	out := Result{Allowed: res.Allowed >= cost, Limit: limit.Burst, Remaining: max(0, res.Remaining), ResetAfter: max(0, res.ResetAfter)}
	if !out.Allowed {
		out.RetryAfter = max(0, res.RetryAfter)
		// A denial reports nothing left; a zero-cost look says what is.
		if peek, err := r.limiter.AllowN(ctx, "shopfloor:"+key, rl, 0); err == nil {
			out.Remaining, out.ResetAfter = max(0, peek.Remaining), max(0, peek.ResetAfter)
		}
	}
	return out, nil
}

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error { return r.client.Ping(ctx).Err() }

// Close closes the connection.
func (r *Redis) Close() error { return r.client.Close() }
