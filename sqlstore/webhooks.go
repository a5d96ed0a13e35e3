package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var webhookReceivers = &table[shopfloor.WebhookReceiver]{
	entity: "WebhookReceiver", name: "webhook_receivers", alias: "wr",
	selects: "wr.id, wr.org_id, wr.name, wr.description, wr.webhook_uri, wr.shared_secret, wr.content_type, wr.expected_response_code, wr.active, wr.disabled_reason, " +
		"wr.etag, wr.created_at, wr.updated_at, wr.created_by_id, wr.updated_by_id",
	fields: map[string]column{
		"id":     {"wr.id", kindID},
		"name":   {"wr.name", kindText},
		"active": {"wr.active", kindBool},
	},
	dest: func(v *shopfloor.WebhookReceiver) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.Description, &v.WebhookURI, &v.SharedSecret, &v.ContentType, &v.ExpectedResponseCode, &v.Active, &v.DisabledReason,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var webhookSubscriptions = &table[shopfloor.WebhookSubscription]{
	entity: "WebhookSubscription", name: "webhook_subscriptions", alias: "ws",
	selects: "ws.id, ws.org_id, ws.receiver_id, ws.resource, ws.action, ws.etag, ws.created_at, ws.updated_at, ws.created_by_id, ws.updated_by_id",
	fields: map[string]column{
		"id":         {"ws.id", kindID},
		"receiverId": {"ws.receiver_id", kindID},
		"resource":   {"ws.resource", kindEnum},
		"action":     {"ws.action", kindEnum},
	},
	dest: func(v *shopfloor.WebhookSubscription) []any {
		return []any{&v.ID, &v.OrgID, &v.ReceiverID, &v.Resource, &v.Action, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// webhookDeliveries is the delivery log: kept, never deleted.
var webhookDeliveries = &table[shopfloor.WebhookDelivery]{
	entity: "WebhookDelivery", name: "webhook_deliveries", alias: "wd", kept: true,
	selects: "wd.id, wd.org_id, wd.event_id, wd.receiver_id, wd.subscription_id, wd.resource, wd.action, wd.entity_id, wd.attempt, wd.at, wd.status_code, wd.error, wd.duration_ms",
	fields: map[string]column{
		"id":             {"wd.id", kindID},
		"eventId":        {"wd.event_id", kindID},
		"receiverId":     {"wd.receiver_id", kindID},
		"subscriptionId": {"wd.subscription_id", kindID},
		"resource":       {"wd.resource", kindEnum},
		"action":         {"wd.action", kindEnum},
		"entityId":       {"wd.entity_id", kindID},
	},
	dest: func(v *shopfloor.WebhookDelivery) []any {
		return []any{&v.ID, &v.OrgID, &v.EventID, &v.ReceiverID, &v.SubscriptionID, &v.Resource, &v.Action, &v.EntityID, &v.Attempt, &v.At, &v.StatusCode, &v.Error, &v.DurationMs}
	},
}

// WebhookReceiver returns one receiver of the caller's org.
func (s *Store) WebhookReceiver(ctx context.Context, id int64) (*shopfloor.WebhookReceiver, error) {
	return get(ctx, s, webhookReceivers, id)
}

// WebhookReceivers lists the caller's receivers.
func (s *Store) WebhookReceivers(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.WebhookReceiver], error) {
	return list(ctx, s, webhookReceivers, opts)
}

func receiverChanges(f shopfloor.WebhookReceiverFields) changes {
	var c changes
	setIf(&c, "name", f.Name)
	setIf(&c, "description", f.Description)
	setIf(&c, "webhook_uri", f.WebhookURI)
	setIf(&c, "shared_secret", f.SharedSecret)
	setIf(&c, "content_type", f.ContentType)
	setIf(&c, "expected_response_code", f.ExpectedResponseCode)
	setIf(&c, "active", f.Active)
	if f.Active != nil && *f.Active { // enabled again: its failures are forgotten
		c.set("disabled_reason", nil)
		c.set("failing_since", nil)
	}
	return c
}

// CreateWebhookReceiver adds a receiver.
func (s *Store) CreateWebhookReceiver(ctx context.Context, f shopfloor.WebhookReceiverFields) (*shopfloor.WebhookReceiver, error) {
	return mutate(ctx, s, webhookReceivers, "CreateWebhookReceiver", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, webhookReceivers.name, p, receiverChanges(f))
	})
}

// UpdateWebhookReceiver changes a receiver if etag is current; setting
// active re-enables a receiver the server disabled.
func (s *Store) UpdateWebhookReceiver(ctx context.Context, id int64, etag string, f shopfloor.WebhookReceiverFields) (*shopfloor.WebhookReceiver, error) {
	return mutate(ctx, s, webhookReceivers, "UpdateWebhookReceiver", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		return id, update(ctx, s, tx, webhookReceivers, p, id, etag, receiverChanges(f))
	})
}

// DeleteWebhookReceiver soft-deletes a receiver and its subscriptions; its
// undelivered events are abandoned.
func (s *Store) DeleteWebhookReceiver(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, webhookReceivers, "DeleteWebhookReceiver", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		now := s.Now().UTC()
		if _, err := s.exec(ctx, tx, "UPDATE webhook_subscriptions SET deleted_at = ? WHERE receiver_id = ? AND org_id = ? AND deleted_at IS NULL", now, id, p.OrgID); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, "UPDATE webhook_events SET abandoned_at = ? WHERE receiver_id = ? AND org_id = ? AND delivered_at IS NULL AND abandoned_at IS NULL", now, id, p.OrgID)
		return err
	})
}

// SubscriptionsByReceiverIDs returns each receiver's live subscriptions.
func (s *Store) SubscriptionsByReceiverIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.WebhookSubscription, error) {
	return grouped(ctx, s, webhookSubscriptions, "", "ws.receiver_id", ids)
}

func subscriptionChanges(f shopfloor.WebhookSubscriptionFields) changes {
	var c changes
	setIf(&c, "receiver_id", f.ReceiverID)
	setIf(&c, "resource", f.Resource)
	setIf(&c, "action", f.Action)
	return c
}

// CreateWebhookSubscription subscribes a receiver of the caller's org to
// one action on one resource.
func (s *Store) CreateWebhookSubscription(ctx context.Context, f shopfloor.WebhookSubscriptionFields) (*shopfloor.WebhookSubscription, error) {
	return mutate(ctx, s, webhookSubscriptions, "CreateWebhookSubscription", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, webhookReceivers, p, *f.ReceiverID); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, webhookSubscriptions.name, p, subscriptionChanges(f))
	})
}

// UpdateWebhookSubscription changes a subscription's resource or action.
func (s *Store) UpdateWebhookSubscription(ctx context.Context, id int64, etag string, f shopfloor.WebhookSubscriptionFields) (*shopfloor.WebhookSubscription, error) {
	return mutate(ctx, s, webhookSubscriptions, "UpdateWebhookSubscription", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		f.ReceiverID = nil // a subscription stays with its receiver
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		return id, update(ctx, s, tx, webhookSubscriptions, p, id, etag, subscriptionChanges(f))
	})
}

// DeleteWebhookSubscription soft-deletes a subscription; events already
// written for it are still delivered.
func (s *Store) DeleteWebhookSubscription(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, webhookSubscriptions, "DeleteWebhookSubscription", id, etag, nil)
}

// WebhookDeliveries lists the caller's delivery log.
func (s *Store) WebhookDeliveries(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.WebhookDelivery], error) {
	return list(ctx, s, webhookDeliveries, opts)
}
