package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// pruneEvery is how often a store deletes expired idempotency keys.
const pruneEvery = time.Minute

// The answers to a key used wrongly.
var (
	errKeyReused  = shopfloor.Errorf(shopfloor.CodeInvalid, "Idempotency-Key was already used with a different request body.")
	errKeyRunning = shopfloor.Errorf(shopfloor.CodeConflict, "A request with this Idempotency-Key is still running; retry it later.")
)

// ClaimIdempotencyKey implements shopfloor.IdempotencyService. The
// database decides which of concurrent requests holds a key, on every
// replica: the one whose INSERT adds the row.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, key, requestHash string, ttl time.Duration) (_ *shopfloor.IdempotentAnswer, err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	if err := s.pruneIdempotencyKeys(ctx, now); err != nil {
		return nil, err
	}
	scope := []any{p.OrgID, p.String(), key}
	if _, err := s.exec(ctx, s.write, "DELETE FROM idempotency_keys WHERE org_id = ? AND principal = ? AND idem_key = ? AND expires_at < ?", append(scope, now)...); err != nil {
		return nil, fmt.Errorf("sqlstore: expire idempotency key: %w", err)
	}
	res, err := s.exec(ctx, s.write, "INSERT INTO idempotency_keys (org_id, principal, idem_key, request_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
		append(scope, requestHash, now, now.Add(ttl))...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: claim idempotency key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("sqlstore: claim idempotency key: %w", err)
	} else if n == 1 {
		return nil, nil
	}
	var hash string
	var status sql.NullInt64
	var header sql.NullString
	var body []byte
	err = s.queryRow(ctx, s.write, "SELECT request_hash, status, header, body FROM idempotency_keys WHERE org_id = ? AND principal = ? AND idem_key = ?", scope...).
		Scan(&hash, &status, &header, &body)
	switch {
	case errors.Is(err, sql.ErrNoRows): // released meanwhile: the request wrote nothing
		return nil, errKeyRunning
	case err != nil:
		return nil, fmt.Errorf("sqlstore: read idempotency key: %w", err)
	case hash != requestHash:
		return nil, errKeyReused
	case !status.Valid:
		return nil, errKeyRunning
	}
	a := &shopfloor.IdempotentAnswer{Status: int(status.Int64), Header: http.Header{}, Body: body}
	if err := json.Unmarshal([]byte(header.String), &a.Header); err != nil {
		return nil, fmt.Errorf("sqlstore: read idempotency key: %w", err)
	}
	return a, nil
}

// SaveIdempotentAnswer implements shopfloor.IdempotencyService.
func (s *Store) SaveIdempotentAnswer(ctx context.Context, key string, a shopfloor.IdempotentAnswer) (err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	header, err := json.Marshal(a.Header)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, s.write, "UPDATE idempotency_keys SET status = ?, header = ?, body = ? WHERE org_id = ? AND principal = ? AND idem_key = ?",
		a.Status, string(header), a.Body, p.OrgID, p.String(), key)
	if err != nil {
		return fmt.Errorf("sqlstore: save idempotent answer: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey implements shopfloor.IdempotencyService.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, key string) (err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, s.write, "DELETE FROM idempotency_keys WHERE org_id = ? AND principal = ? AND idem_key = ? AND status IS NULL", p.OrgID, p.String(), key); err != nil {
		return fmt.Errorf("sqlstore: release idempotency key: %w", err)
	}
	return nil
}

// pruneIdempotencyKeys deletes the expired keys of every organization, at
// most once every pruneEvery per store (maintenance, not a read: no row
// reaches a caller).
func (s *Store) pruneIdempotencyKeys(ctx context.Context, now time.Time) error {
	last := s.lastPrune.Load()
	if now.UnixNano()-last < int64(pruneEvery) || !s.lastPrune.CompareAndSwap(last, now.UnixNano()) {
		return nil
	}
	if _, err := s.exec(ctx, s.write, "DELETE FROM idempotency_keys WHERE expires_at < ?", now); err != nil {
		return fmt.Errorf("sqlstore: prune idempotency keys: %w", err)
	}
	return nil
}
