package shopfloor

import (
	"context"
	"net/url"
	"time"
)

// WebhookReceiver is an endpoint an organization's events are POSTed to,
// signed with its shared secret.
type WebhookReceiver struct {
	ID                   int64
	OrgID                int64
	Name                 string
	Description          *string
	WebhookURI           string
	SharedSecret         string
	ContentType          string
	ExpectedResponseCode int
	Active               bool
	// DisabledReason says why delivery stopped by itself (the receiver
	// failed for longer than the server allows); nil otherwise.
	DisabledReason *string
	Etag           string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	CreatedByID    *int64
	UpdatedByID    *int64
}

// WebhookSubscription sends a receiver the changes of one action on one
// resource.
type WebhookSubscription struct {
	ID          int64
	OrgID       int64
	ReceiverID  int64
	Resource    string // one of WebhookResources
	Action      string // CREATE, UPDATE or DELETE
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// WebhookDelivery is one attempt to deliver an event: the delivery log.
type WebhookDelivery struct {
	ID             int64
	OrgID          int64
	EventID        int64
	ReceiverID     int64
	SubscriptionID int64
	Resource       string
	Action         string
	EntityID       int64 // the changed row's id
	Attempt        int
	At             time.Time
	StatusCode     *int
	Error          *string
	DurationMs     int64
}

// Enumerations of webhooks: ION's ResourceEnum (the resources whose
// changes can be subscribed to; a resource's table is its name in plural
// snake case) and WebhookSubscriptionActions.
var (
	WebhookResources = []string{"RUN", "RUN_STEP", "PART", "PART_INVENTORY", "ISSUE", "PURCHASE_ORDER", "PURCHASE_ORDER_LINE",
		"FILE_ATTACHMENT", "LOCATION", "PROCEDURE", "STEP", "RECEIPT", "SUPPLIER",
		"BUILD_REQUIREMENT", "ABOM_INSTALLATION"}
	WebhookActions = []string{"CREATE", "UPDATE", "DELETE"}
)

// WebhookReceiverFields are the writable fields of a receiver.
type WebhookReceiverFields struct {
	Name                 *string
	Description          *string
	WebhookURI           *string
	SharedSecret         *string
	ContentType          *string
	ExpectedResponseCode *int
	Active               *bool
}

// Validate normalizes and validates a receiver's fields: the URI is an
// absolute https URL (http only for loopback hosts), the secret at least
// 16 characters.
func (f *WebhookReceiverFields) Validate(create bool) error {
	c := &check{entity: "WebhookReceiver"}
	c.text("name", f.Name, create, MaxName)
	c.text("description", f.Description, false, 1024)
	c.text("webhookUri", f.WebhookURI, create, MaxURI)
	c.text("sharedSecret", f.SharedSecret, create, 255)
	c.text("contentType", f.ContentType, false, 255)
	if c.err != nil {
		return c.err
	}
	if f.WebhookURI != nil {
		u, err := url.Parse(*f.WebhookURI)
		if err != nil || u.Host == "" || u.Fragment != "" || !(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) {
			return Errorf(CodeInvalid, "WebhookReceiver webhookUri must be an absolute https URL (http only for localhost).")
		}
	}
	if f.SharedSecret != nil && len(*f.SharedSecret) < 16 {
		return Errorf(CodeInvalid, "WebhookReceiver sharedSecret must be at least 16 characters.")
	}
	if f.ExpectedResponseCode != nil && (*f.ExpectedResponseCode < 200 || *f.ExpectedResponseCode > 299) {
		return Errorf(CodeInvalid, "WebhookReceiver expectedResponseCode must be within 200..299.")
	}
	return nil
}

// WebhookSubscriptionFields are the writable fields of a subscription.
type WebhookSubscriptionFields struct {
	ReceiverID *int64
	Resource   *string
	Action     *string
}

// Validate validates a subscription's fields.
func (f *WebhookSubscriptionFields) Validate(create bool) error {
	c := &check{entity: "WebhookSubscription"}
	if create && f.ReceiverID == nil {
		c.fail("receiverId", "is required.")
	}
	if create && f.Resource == nil {
		c.fail("resource", "is required.")
	}
	if create && f.Action == nil {
		c.fail("action", "is required.")
	}
	c.enum("resource", f.Resource, WebhookResources...)
	c.enum("action", f.Action, WebhookActions...)
	return c.result()
}

// WebhookService manages an organization's receivers and subscriptions,
// and reads its delivery log.
type WebhookService interface {
	WebhookReceiver(ctx context.Context, id int64) (*WebhookReceiver, error)
	WebhookReceivers(ctx context.Context, opts ListOptions) (*Page[WebhookReceiver], error)
	CreateWebhookReceiver(ctx context.Context, f WebhookReceiverFields) (*WebhookReceiver, error)
	UpdateWebhookReceiver(ctx context.Context, id int64, etag string, f WebhookReceiverFields) (*WebhookReceiver, error)
	// DeleteWebhookReceiver deletes a receiver with its subscriptions; its
	// undelivered events are abandoned.
	DeleteWebhookReceiver(ctx context.Context, id int64, etag string) error
	// SubscriptionsByReceiverIDs returns each receiver's live
	// subscriptions, in id order.
	SubscriptionsByReceiverIDs(ctx context.Context, ids []int64) (map[int64][]WebhookSubscription, error)
	CreateWebhookSubscription(ctx context.Context, f WebhookSubscriptionFields) (*WebhookSubscription, error)
	UpdateWebhookSubscription(ctx context.Context, id int64, etag string, f WebhookSubscriptionFields) (*WebhookSubscription, error)
	DeleteWebhookSubscription(ctx context.Context, id int64, etag string) error
	WebhookDeliveries(ctx context.Context, opts ListOptions) (*Page[WebhookDelivery], error)
}

// WebhookEvent is an event taken for delivery, with what sending it needs.
type WebhookEvent struct {
	ID, OrgID, SubscriptionID, ReceiverID, EntityID int64
	Resource, Action                                string
	OccurredAt                                      time.Time
	Attempts                                        int // made before this one
	URI, SharedSecret, ContentType                  string
	ExpectedResponseCode                            int
}

// WebhookAttempt is the outcome of one delivery attempt.
type WebhookAttempt struct {
	At         time.Time
	Delivered  bool
	StatusCode *int
	Error      *string
	Duration   time.Duration
	// RetryAt is when a failed event is tried again.
	RetryAt time.Time
}

// WebhookOutbox is what the sender needs of the store: events taken under
// a lease, so that one replica sends each, and their outcomes recorded.
type WebhookOutbox interface {
	// TakeWebhookEvents leases up to limit due events until now+lease: the
	// oldest undelivered event of each receiver and entity, so that an
	// entity's events arrive in order.
	TakeWebhookEvents(ctx context.Context, lease time.Duration, limit int) ([]WebhookEvent, error)
	// RecordWebhookAttempt logs an attempt and marks the event delivered or
	// due again; a receiver that has failed for longer than disableAfter
	// is disabled, with the reason, and its undelivered events abandoned.
	RecordWebhookAttempt(ctx context.Context, e WebhookEvent, a WebhookAttempt, disableAfter time.Duration) error
}
