package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// resourceTables maps a table to the webhook resource its rows are: the
// resource's name in plural snake case (PART_INVENTORY: part_inventories).
var resourceTables = func() map[string]string {
	m := make(map[string]string, len(shopfloor.WebhookResources))
	for _, r := range shopfloor.WebhookResources {
		name := strings.ToLower(r)
		if stem, ok := strings.CutSuffix(name, "y"); ok {
			name = stem + "ie"
		}
		m[name+"s"] = r
	}
	return m
}()

// outbox writes, in the change's own transaction, one event for each
// subscription of an active receiver to this action on the table's
// resource: no change commits without its events, and no event without its
// change (the transactional outbox). insert, update and softDelete write
// through writeOne, so every domain's writes emit events.
func (s *Store) outbox(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, table, action string, id int64) error {
	return s.outboxOf(ctx, tx, p, table, action, "SELECT CAST(? AS BIGINT) AS id", id)
}

// outboxOf is outbox for the rows a statement writes set-wise (a copy of a
// whole tree): changed is a SELECT of their ids, as column id, run with
// args; each row gets its events in one statement, whatever their number.
func (s *Store) outboxOf(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, table, action, changed string, args ...any) error {
	q, qargs, ok := s.events(p, table, action, "("+changed+") changed", args)
	if !ok {
		return nil
	}
	if _, err := s.exec(ctx, tx, q, qargs...); err != nil {
		return fmt.Errorf("sqlstore: outbox: %w", err)
	}
	return nil
}

// events is the statement that writes the outbox's events of the rows
// whose ids (column id) the FROM item changed holds, with its arguments
// after args, the ones changed takes; ok is false when the table is no
// webhook resource.
func (s *Store) events(p *shopfloor.Principal, table, action, changed string, args []any) (q string, qargs []any, ok bool) {
	resource, ok := resourceTables[table]
	if !ok {
		return "", nil, false
	}
	now := s.Now().UTC()
	q = "INSERT INTO webhook_events (org_id, subscription_id, receiver_id, resource, action, entity_id, occurred_at, next_attempt_at) " +
		"SELECT ws.org_id, ws.id, ws.receiver_id, ws.resource, ws.action, changed.id, ?, ? FROM " + changed + " " +
		"JOIN webhook_subscriptions ws ON ws.org_id = ? AND ws.resource = ? AND ws.action = ? AND ws.deleted_at IS NULL " +
		"JOIN webhook_receivers wr ON wr.id = ws.receiver_id AND wr.active AND wr.deleted_at IS NULL ORDER BY changed.id, ws.id"
	return q, append(append([]any{now, now}, args...), p.OrgID, resource, action), true
}

// writeOne runs stmt, a write of at most one row of table ending in
// RETURNING id, with its outbox events: on PostgreSQL in one statement (a
// data-modifying WITH), elsewhere in two. found is false when stmt wrote
// no row; then no event is written.
func (s *Store) writeOne(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, table, action, stmt string, args ...any) (id int64, found bool, err error) {
	if s.dialect.modifyingWith {
		if ev, evArgs, ok := s.events(p, table, action, "changed", nil); ok {
			stmt = "WITH changed AS (" + stmt + "), events AS (" + ev + ") SELECT id FROM changed"
			args = append(args, evArgs...)
			return scanID(s.queryRow(ctx, tx, stmt, args...))
		}
	}
	if id, found, err = scanID(s.queryRow(ctx, tx, stmt, args...)); err != nil || !found {
		return id, found, err
	}
	return id, true, s.outbox(ctx, tx, p, table, action, id)
}

// scanID scans the id a write returns; no row is not found, not an error.
func scanID(r *row) (id int64, found bool, err error) {
	err = r.Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// softDeleteWhere soft-deletes the live rows of table in the caller's org
// that cond (with args) selects, set-wise, each with its DELETE event: a
// deletion's cascade to the rows under it.
func (s *Store) softDeleteWhere(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, table, cond string, args ...any) error {
	live := " WHERE org_id = ? AND deleted_at IS NULL AND " + cond
	scoped := append([]any{p.OrgID}, args...)
	if err := s.outboxOf(ctx, tx, p, table, "DELETE", "SELECT id FROM "+table+live, scoped...); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, "UPDATE "+table+" SET deleted_at = ?"+live, append([]any{s.Now().UTC()}, scoped...)...); err != nil {
		return fmt.Errorf("sqlstore: delete %s: %w", table, err)
	}
	return nil
}

// TakeWebhookEvents leases up to limit due events, of every organization,
// until now+lease: each the oldest undelivered event of its receiver and
// entity, so that an entity's events go out in order. On PostgreSQL the
// rows another replica is taking are skipped (FOR UPDATE SKIP LOCKED), so
// replicas take different events; SQLite has one writer at a time.
func (s *Store) TakeWebhookEvents(ctx context.Context, lease time.Duration, limit int) (_ []shopfloor.WebhookEvent, err error) {
	defer s.classify(&err)
	now := s.Now().UTC()
	var out []shopfloor.WebhookEvent
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.query(ctx, tx, "SELECT we.id FROM webhook_events we "+
			"WHERE we.delivered_at IS NULL AND we.abandoned_at IS NULL AND we.next_attempt_at <= ? AND (we.leased_until IS NULL OR we.leased_until < ?) "+
			"AND EXISTS (SELECT 1 FROM webhook_receivers wr WHERE wr.id = we.receiver_id AND wr.active AND wr.deleted_at IS NULL) "+
			"AND NOT EXISTS (SELECT 1 FROM webhook_events pe WHERE pe.receiver_id = we.receiver_id AND pe.resource = we.resource AND pe.entity_id = we.entity_id "+
			"AND pe.id < we.id AND pe.delivered_at IS NULL AND pe.abandoned_at IS NULL) "+
			"ORDER BY we.id LIMIT ?"+s.dialect.skipLocked, now, now, limit)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		leased, args := s.dialect.idIn("id", ids)
		if _, err := s.exec(ctx, tx, "UPDATE webhook_events SET leased_until = ? WHERE "+leased, append([]any{now.Add(lease)}, args...)...); err != nil {
			return err
		}
		in, _ := s.dialect.idIn("we.id", ids)
		rows, err = s.query(ctx, tx, "SELECT we.id, we.org_id, we.subscription_id, we.receiver_id, we.entity_id, we.resource, we.action, we.occurred_at, we.attempts, "+
			"wr.webhook_uri, wr.shared_secret, wr.content_type, wr.expected_response_code "+
			"FROM webhook_events we JOIN webhook_receivers wr ON wr.id = we.receiver_id WHERE "+in+" ORDER BY we.id", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e shopfloor.WebhookEvent
			if err := rows.Scan(&e.ID, &e.OrgID, &e.SubscriptionID, &e.ReceiverID, &e.EntityID, &e.Resource, &e.Action, &e.OccurredAt, &e.Attempts,
				&e.URI, &e.SharedSecret, &e.ContentType, &e.ExpectedResponseCode); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: take webhook events: %w", err)
	}
	return out, nil
}

// RecordWebhookAttempt logs an attempt and marks its event delivered, or
// due again at a.RetryAt. A receiver's failures since its last success
// count from the first: past disableAfter it is disabled, saying why, and
// its undelivered events are abandoned.
func (s *Store) RecordWebhookAttempt(ctx context.Context, e shopfloor.WebhookEvent, a shopfloor.WebhookAttempt, disableAfter time.Duration) (err error) {
	defer s.classify(&err)
	at := a.At.UTC()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, "INSERT INTO webhook_deliveries (org_id, event_id, receiver_id, subscription_id, resource, action, entity_id, attempt, at, status_code, error, duration_ms) "+
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e.OrgID, e.ID, e.ReceiverID, e.SubscriptionID, e.Resource, e.Action, e.EntityID, e.Attempts+1, at,
			a.StatusCode, a.Error, a.Duration.Milliseconds()); err != nil {
			return err
		}
		if a.Delivered {
			if _, err := s.exec(ctx, tx, "UPDATE webhook_events SET delivered_at = ?, attempts = attempts + 1, leased_until = NULL WHERE id = ?", at, e.ID); err != nil {
				return err
			}
			_, err := s.exec(ctx, tx, "UPDATE webhook_receivers SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL", e.ReceiverID)
			return err
		}
		if _, err := s.exec(ctx, tx, "UPDATE webhook_events SET attempts = attempts + 1, next_attempt_at = ?, leased_until = NULL WHERE id = ?", a.RetryAt.UTC(), e.ID); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, "UPDATE webhook_receivers SET failing_since = ? WHERE id = ? AND failing_since IS NULL", at, e.ReceiverID); err != nil {
			return err
		}
		var since time.Time
		if err := s.queryRow(ctx, tx, "SELECT failing_since FROM webhook_receivers WHERE id = ?", e.ReceiverID).Scan(&since); err != nil {
			return err
		}
		if at.Sub(since) < disableAfter {
			return nil
		}
		reason := fmt.Sprintf("Disabled: every delivery failed for %s, since %s; the last: %s", disableAfter, since.UTC().Format(time.RFC3339), attemptFailure(a))
		if _, err := s.exec(ctx, tx, "UPDATE webhook_receivers SET active = FALSE, disabled_reason = ?, etag = ?, updated_at = ? WHERE id = ? AND active",
			reason, newEtag(), at, e.ReceiverID); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, "UPDATE webhook_events SET abandoned_at = ? WHERE receiver_id = ? AND delivered_at IS NULL AND abandoned_at IS NULL", at, e.ReceiverID)
		return err
	})
}

// attemptFailure tells how an attempt failed.
func attemptFailure(a shopfloor.WebhookAttempt) string {
	if a.Error != nil {
		return *a.Error
	}
	if a.StatusCode != nil {
		return fmt.Sprintf("HTTP %d", *a.StatusCode)
	}
	return "no answer"
}
